-- AlterTable
ALTER TABLE "store" ADD COLUMN     "description" VARCHAR(2000) NOT NULL DEFAULT '';
