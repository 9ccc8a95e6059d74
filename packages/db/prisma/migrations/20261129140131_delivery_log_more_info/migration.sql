-- AlterTable
ALTER TABLE "delivery_log" ADD COLUMN     "more_info" VARCHAR(500);
