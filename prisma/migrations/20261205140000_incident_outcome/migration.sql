-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "returnedAt" TIMESTAMP(3),
ADD COLUMN     "returnedMinor" INTEGER,
ADD COLUMN     "returnedOrderGid" TEXT;

