-- CreateTable
CREATE TABLE "AdminApiBucket" (
    "shop" TEXT NOT NULL,
    "maximumAvailable" DOUBLE PRECISION NOT NULL,
    "currentlyAvailable" DOUBLE PRECISION NOT NULL,
    "restoreRate" DOUBLE PRECISION NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdminApiBucket_pkey" PRIMARY KEY ("shop")
);

