-- CreateEnum
CREATE TYPE "InstallState" AS ENUM ('INSTALLED', 'UNINSTALLED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED');

-- CreateEnum
CREATE TYPE "ComplianceKind" AS ENUM ('CUSTOMER_DATA_REQUEST', 'CUSTOMER_REDACT', 'SHOP_REDACT');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "installState" "InstallState" NOT NULL DEFAULT 'INSTALLED',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "scopes" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "plan" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "source" TEXT NOT NULL DEFAULT 'http',
    "rawBody" TEXT NOT NULL,
    "orderGid" TEXT,
    "customerGid" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderRecord" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerGid" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "currency" TEXT NOT NULL,
    "totalPrice" DECIMAL(14,2) NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT[],
    "discountCodes" TEXT[],
    "lineItemCount" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundRecord" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "refundGid" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" TEXT,
    "lineCount" INTEGER NOT NULL,
    "restock" BOOLEAN NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefundRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentRecord" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentGid" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "shipmentStatus" TEXT,
    "trackingCompany" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "lineItemCount" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FulfillmentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentEventRecord" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "eventGid" TEXT NOT NULL,
    "fulfillmentGid" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "happenedAt" TIMESTAMP(3),
    "estimatedDeliveryAt" TIMESTAMP(3),
    "message" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentEventRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentHoldRecord" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "holdGid" TEXT NOT NULL,
    "fulfillmentOrderGid" TEXT NOT NULL,
    "orderGid" TEXT,
    "reason" TEXT NOT NULL,
    "reasonNotes" TEXT,
    "heldAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentHoldRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" "ComplianceKind" NOT NULL,
    "customerGid" TEXT,
    "orderGids" TEXT[],
    "result" JSONB NOT NULL,
    "deliveryId" UUID NOT NULL,
    "completedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_receivedAt_idx" ON "WebhookDelivery"("shop", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_receivedAt_idx" ON "WebhookDelivery"("shop", "topic", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_customerGid_idx" ON "WebhookDelivery"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_customerGid_createdAt_idx" ON "OrderRecord"("shop", "customerGid", "createdAt");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_createdAt_idx" ON "OrderRecord"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderRecord_shop_orderGid_key" ON "OrderRecord"("shop", "orderGid");

-- CreateIndex
CREATE INDEX "RefundRecord_shop_orderGid_idx" ON "RefundRecord"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRecord_shop_refundGid_key" ON "RefundRecord"("shop", "refundGid");

-- CreateIndex
CREATE INDEX "FulfillmentRecord_shop_orderGid_idx" ON "FulfillmentRecord"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentRecord_shop_fulfillmentGid_key" ON "FulfillmentRecord"("shop", "fulfillmentGid");

-- CreateIndex
CREATE INDEX "FulfillmentEventRecord_shop_orderGid_idx" ON "FulfillmentEventRecord"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentEventRecord_shop_eventGid_key" ON "FulfillmentEventRecord"("shop", "eventGid");

-- CreateIndex
CREATE INDEX "FulfillmentHoldRecord_shop_fulfillmentOrderGid_idx" ON "FulfillmentHoldRecord"("shop", "fulfillmentOrderGid");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentHoldRecord_shop_holdGid_key" ON "FulfillmentHoldRecord"("shop", "holdGid");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_kind_completedAt_idx" ON "ComplianceRequest"("shop", "kind", "completedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_deliveryId_key" ON "ComplianceRequest"("deliveryId");

