-- CreateTable
CREATE TABLE "RecoveryDigest" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "weekStart" TEXT NOT NULL,
    "digest" JSONB NOT NULL,
    "flowSentAt" TIMESTAMP(3),
    "emailSentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecoveryDigest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryDigest_shop_weekStart_key" ON "RecoveryDigest"("shop", "weekStart");

