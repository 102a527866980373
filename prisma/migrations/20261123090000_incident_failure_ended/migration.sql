-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "failureEndedAt" TIMESTAMP(3);

