-- AlterTable
ALTER TABLE "catalog_rules" ADD COLUMN     "upgrade_credits" BOOLEAN NOT NULL DEFAULT true;
