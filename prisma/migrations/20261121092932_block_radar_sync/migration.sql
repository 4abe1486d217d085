-- AlterTable
ALTER TABLE "block_event" ADD COLUMN     "radar_error" TEXT,
ADD COLUMN     "radar_items" JSONB,
ADD COLUMN     "radar_status" TEXT;
