-- CreateTable
CREATE TABLE "ArmAssignment" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "incidentId" UUID NOT NULL,
    "experimentKey" TEXT NOT NULL,
    "arm" INTEGER,
    "label" TEXT,
    "arms" INTEGER NOT NULL,
    "gridVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArmAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ArmAssignment_incidentId_key" ON "ArmAssignment"("incidentId");

-- CreateIndex
CREATE INDEX "ArmAssignment_shop_experimentKey_idx" ON "ArmAssignment"("shop", "experimentKey");

-- AddForeignKey
ALTER TABLE "ArmAssignment" ADD CONSTRAINT "ArmAssignment_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

