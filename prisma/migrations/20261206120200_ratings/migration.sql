-- CreateEnum
CREATE TYPE "RatingChannel" AS ENUM ('WEB', 'APP_PROXY');

-- CreateTable
CREATE TABLE "Rating" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "incidentId" UUID NOT NULL,
    "score" INTEGER NOT NULL,
    "channel" "RatingChannel" NOT NULL,
    "ratedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rating_incidentId_key" ON "Rating"("incidentId");

-- CreateIndex
CREATE INDEX "Rating_shop_ratedAt_idx" ON "Rating"("shop", "ratedAt");

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

