-- AlterTable
ALTER TABLE "ArmAssignment" ADD COLUMN     "timing" TEXT,
ADD COLUMN     "timingOnly" BOOLEAN NOT NULL DEFAULT false;
