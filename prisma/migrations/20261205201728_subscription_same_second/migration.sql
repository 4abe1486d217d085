-- AlterTable
ALTER TABLE "subscription" ADD COLUMN     "reread_requested_at" TIMESTAMP(3),
ADD COLUMN     "status_before" TEXT;
