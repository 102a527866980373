-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "customerAccountsCheckedAt" TIMESTAMP(3),
ADD COLUMN     "customerAccountsV2" BOOLEAN,
ADD COLUMN     "protectedDataDeniedAt" TIMESTAMP(3),
ADD COLUMN     "reauthReason" TEXT,
ADD COLUMN     "reauthRequiredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ALTER COLUMN "rawBody" DROP NOT NULL;

-- Earlier redeliveries of one event were stored as separate deliveries. Keep the event id on the
-- first one only, so the unique index below can be built on a live database.
UPDATE "WebhookDelivery" AS d SET "eventId" = NULL
WHERE d."eventId" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "WebhookDelivery" AS e
  WHERE e."shop" = d."shop" AND e."topic" = d."topic" AND e."eventId" = d."eventId"
    AND (e."receivedAt", e."id") < (d."receivedAt", d."id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_topic_eventId_key" ON "WebhookDelivery"("shop", "topic", "eventId");

