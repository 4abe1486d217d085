-- AlterTable
ALTER TABLE "event_processing_attempt" ADD COLUMN     "summary" TEXT;

-- AlterTable
ALTER TABLE "subscription" ADD COLUMN     "grace_started_at" TIMESTAMP(3);
