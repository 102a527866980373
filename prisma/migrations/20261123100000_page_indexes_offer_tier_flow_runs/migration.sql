-- CreateEnum
CREATE TYPE "CustomerTier" AS ENUM ('NEW', 'REGULAR', 'LOYAL', 'VIP');

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "tier" "CustomerTier";

-- CreateTable
CREATE TABLE "FlowActionRun" (
    "shop" TEXT NOT NULL,
    "actionRunId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "incidentId" UUID,
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowActionRun_pkey" PRIMARY KEY ("shop","actionRunId")
);

-- CreateIndex
CREATE INDEX "Incident_shop_orderName_idx" ON "Incident"("shop", "orderName");

-- CreateIndex
CREATE INDEX "IncidentEvent_shop_kind_at_idx" ON "IncidentEvent"("shop", "kind", "at");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_name_idx" ON "OrderRecord"("shop", "name");

