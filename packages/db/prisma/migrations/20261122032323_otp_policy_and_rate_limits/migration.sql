-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "otp_code_length" INTEGER NOT NULL DEFAULT 6,
ADD COLUMN     "otp_code_ttl_seconds" INTEGER NOT NULL DEFAULT 600,
ADD COLUMN     "otp_mail_subject" VARCHAR(200),
ADD COLUMN     "otp_mail_template" VARCHAR(4000),
ADD COLUMN     "otp_sms_template" VARCHAR(500);

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);
