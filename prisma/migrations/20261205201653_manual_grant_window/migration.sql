-- AlterTable
ALTER TABLE "catalog_rules" ADD COLUMN     "manual_grant_window_hours" INTEGER NOT NULL DEFAULT 24;
