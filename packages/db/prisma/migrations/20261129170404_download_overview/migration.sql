-- AlterTable
ALTER TABLE "download_event" ADD COLUMN     "organization_id" VARCHAR(24),
ADD COLUMN     "published_application_id" VARCHAR(24);

-- Backfill: the events written before the columns existed take them from their OTP user.
UPDATE "download_event" e
   SET "organization_id" = u."organization_id",
       "published_application_id" = u."published_application_id"
  FROM "otp_user" u
 WHERE u."id" = e."otp_user_id";

-- CreateIndex
CREATE INDEX "otp_user_near_allowance_idx" ON "otp_user"("organization_id", "store_id", "allowed_downloads_num", "downloads_count") WHERE (allowed_downloads_num >= 0 AND downloads_count >= allowed_downloads_num - 2);

-- CreateIndex
CREATE INDEX "download_event_organization_id_at_published_application_id_idx" ON "download_event"("organization_id", "at", "published_application_id");
