-- AlterTable
ALTER TABLE "ComplianceRequest" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "deliveredBy" TEXT,
ADD COLUMN     "export" JSONB,
ADD COLUMN     "exportExpiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actorName" TEXT,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDeliveryDay" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "topic" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "WebhookDeliveryDay_pkey" PRIMARY KEY ("shop","day","topic","status")
);

-- CreateIndex
CREATE INDEX "AuditEntry_shop_at_idx" ON "AuditEntry"("shop", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_shop_action_at_idx" ON "AuditEntry"("shop", "action", "at");

-- CreateIndex
CREATE INDEX "ComplianceRequest_exportExpiresAt_idx" ON "ComplianceRequest"("exportExpiresAt");

-- CreateIndex
CREATE INDEX "IncidentEvent_incidentId_idx" ON "IncidentEvent"("incidentId");

-- CreateIndex
CREATE INDEX "Offer_incidentId_idx" ON "Offer"("incidentId");

-- CreateIndex
CREATE INDEX "OfferTransition_offerId_idx" ON "OfferTransition"("offerId");

