-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "discountGroupId" UUID;

-- CreateTable
CREATE TABLE "DiscountGroup" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "endsAt" TIMESTAMP(3),
    "members" INTEGER NOT NULL DEFAULT 0,
    "discountGid" TEXT,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscountGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTriggerUsage_pkey" PRIMARY KEY ("shop","trigger")
);

-- CreateIndex
CREATE UNIQUE INDEX "DiscountGroup_shop_groupKey_slot_key" ON "DiscountGroup"("shop", "groupKey", "slot");

-- CreateIndex
CREATE INDEX "Offer_discountGroupId_customerGid_idx" ON "Offer"("discountGroupId", "customerGid");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_discountGroupId_fkey" FOREIGN KEY ("discountGroupId") REFERENCES "DiscountGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

