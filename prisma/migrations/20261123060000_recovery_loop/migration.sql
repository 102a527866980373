-- CreateEnum
CREATE TYPE "IncidentType" AS ENUM ('LATE_FULFILLMENT', 'DELIVERY_DELAY', 'DELIVERY_FAILURE', 'REFUND', 'MERCHANT_CANCELLATION', 'MANUAL');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('minor', 'moderate', 'major', 'critical');

-- CreateEnum
CREATE TYPE "IncidentState" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "OfferKind" AS ENUM ('DISCOUNT_PERCENT', 'DISCOUNT_FIXED', 'STORE_CREDIT', 'GIFT_CARD', 'GIFT_PRODUCT', 'NONE');

-- CreateEnum
CREATE TYPE "ApprovalRoute" AS ENUM ('AUTO', 'STAFF', 'MANAGER');

-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('PROPOSED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'ISSUING', 'ISSUED', 'FAILED', 'HOLDOUT', 'SUPERSEDED', 'REDEEMED', 'UNUSED');

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "customerGid" TEXT,
    "type" "IncidentType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "state" "IncidentState" NOT NULL DEFAULT 'OPEN',
    "openSlot" TEXT DEFAULT 'open',
    "measure" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "rootCause" JSONB,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "decision" TEXT,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "explanation" TEXT[],
    "summary" TEXT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "incidentId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL DEFAULT 'system',
    "at" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "incidentId" UUID NOT NULL,
    "customerGid" TEXT,
    "kind" "OfferKind" NOT NULL,
    "cell" JSONB NOT NULL,
    "gridVersion" INTEGER NOT NULL,
    "faceValueMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "OfferStatus" NOT NULL,
    "approval" "ApprovalRoute" NOT NULL,
    "explanation" TEXT[],
    "summary" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "issueKey" TEXT NOT NULL,
    "shopifyGid" TEXT,
    "code" TEXT,
    "giftOrderGid" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "issuedAt" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),
    "followUpAt" TIMESTAMP(3),
    "redeemedAt" TIMESTAMP(3),
    "redeemedOrderGid" TEXT,
    "discountUsedMinor" INTEGER,
    "wonBackAt" TIMESTAMP(3),
    "wonBackOrderGid" TEXT,
    "wonBackMinor" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferTransition" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "offerId" UUID NOT NULL,
    "fromStatus" "OfferStatus",
    "toStatus" "OfferStatus" NOT NULL,
    "actor" TEXT NOT NULL DEFAULT 'system',
    "note" TEXT,
    "data" JSONB,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfferTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GridVersion" (
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "grid" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GridVersion_pkey" PRIMARY KEY ("shop","version")
);

-- CreateTable
CREATE TABLE "BudgetMonth" (
    "shop" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "committedMinor" INTEGER NOT NULL DEFAULT 0,
    "issuedMinor" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BudgetMonth_pkey" PRIMARY KEY ("shop","month")
);

-- CreateTable
CREATE TABLE "CustomerValue" (
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "amountSpentMinor" INTEGER NOT NULL,
    "numberOfOrders" INTEGER NOT NULL,
    "tags" TEXT[],
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerValue_pkey" PRIMARY KEY ("shop","customerGid")
);

-- CreateIndex
CREATE INDEX "Incident_shop_detectedAt_idx" ON "Incident"("shop", "detectedAt");

-- CreateIndex
CREATE INDEX "Incident_shop_customerGid_detectedAt_idx" ON "Incident"("shop", "customerGid", "detectedAt");

-- CreateIndex
CREATE INDEX "Incident_shop_type_detectedAt_idx" ON "Incident"("shop", "type", "detectedAt");

-- CreateIndex
CREATE INDEX "Incident_shop_state_detectedAt_idx" ON "Incident"("shop", "state", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_shop_orderGid_type_openSlot_key" ON "Incident"("shop", "orderGid", "type", "openSlot");

-- CreateIndex
CREATE INDEX "IncidentEvent_shop_incidentId_at_idx" ON "IncidentEvent"("shop", "incidentId", "at");

-- CreateIndex
CREATE INDEX "Offer_shop_status_createdAt_idx" ON "Offer"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Offer_shop_customerGid_issuedAt_idx" ON "Offer"("shop", "customerGid", "issuedAt");

-- CreateIndex
CREATE INDEX "Offer_shop_issuedAt_idx" ON "Offer"("shop", "issuedAt");

-- CreateIndex
CREATE INDEX "Offer_shop_incidentId_idx" ON "Offer"("shop", "incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_shop_issueKey_key" ON "Offer"("shop", "issueKey");

-- CreateIndex
CREATE INDEX "OfferTransition_shop_offerId_at_idx" ON "OfferTransition"("shop", "offerId", "at");

-- AddForeignKey
ALTER TABLE "IncidentEvent" ADD CONSTRAINT "IncidentEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferTransition" ADD CONSTRAINT "OfferTransition_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

