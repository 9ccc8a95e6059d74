-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "MemberRole" AS ENUM ('OWNER', 'ADMIN', 'VIEWER');

-- CreateEnum
CREATE TYPE "AdminOtpType" AS ENUM ('NONE', 'SMS', 'MAIL');

-- CreateEnum
CREATE TYPE "OtpPurpose" AS ENUM ('STORE_LOGIN', 'ADMIN_2FA', 'TEST');

-- CreateEnum
CREATE TYPE "DeliveryType" AS ENUM ('SMS', 'MAIL');

-- CreateEnum
CREATE TYPE "DeliveryProvider" AS ENUM ('TWILIO', 'NETGSM', 'DATAPORT', 'DEFAULT');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('SENT', 'FAILED');

-- CreateTable
CREATE TABLE "organization" (
    "id" VARCHAR(24) NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "store" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "otp_user_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "published_application" (
    "id" VARCHAR(24) NOT NULL,
    "store_id" VARCHAR(24) NOT NULL,
    "application_id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "version" VARCHAR(100) NOT NULL,
    "artifact_file_name" VARCHAR(255) NOT NULL,
    "artifact_mime_type" VARCHAR(255) NOT NULL,
    "artifact" BYTEA NOT NULL,
    "otp_user_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "published_application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "otp_user" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "store_id" VARCHAR(24) NOT NULL,
    "published_application_id" VARCHAR(24) NOT NULL,
    "email" VARCHAR(256) NOT NULL,
    "allowed_downloads_num" BIGINT NOT NULL DEFAULT -1,
    "downloads_count" BIGINT NOT NULL DEFAULT 0,
    "last_login_date" TIMESTAMPTZ(3),
    "last_download_date" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "otp_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "otp_code" (
    "id" VARCHAR(24) NOT NULL,
    "purpose" "OtpPurpose" NOT NULL,
    "subject_id" VARCHAR(24) NOT NULL,
    "code_hash" VARCHAR(128) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "otp_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_setting" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "type" "DeliveryType" NOT NULL,
    "provider" "DeliveryProvider" NOT NULL,
    "default_for" "DeliveryType",
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" JSONB NOT NULL DEFAULT '{}',
    "created_by" VARCHAR(320) NOT NULL,
    "creation_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_modified_by" VARCHAR(320) NOT NULL,
    "last_modified_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_setting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_log" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "type" "DeliveryType" NOT NULL,
    "provider" "DeliveryProvider" NOT NULL,
    "recipient" VARCHAR(320) NOT NULL,
    "purpose" "OtpPurpose" NOT NULL,
    "status" "DeliveryStatus" NOT NULL,
    "provider_message_id" VARCHAR(200),
    "error" VARCHAR(2000),
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_user" (
    "id" VARCHAR(24) NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "otp_type" "AdminOtpType" NOT NULL DEFAULT 'NONE',
    "phone" VARCHAR(32),
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "user_id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "role" "MemberRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("user_id","organization_id")
);

-- CreateTable
CREATE TABLE "refresh_token" (
    "id" VARCHAR(24) NOT NULL,
    "user_id" VARCHAR(24) NOT NULL,
    "family_id" VARCHAR(24) NOT NULL,
    "token_hash" VARCHAR(128) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "replaced_by_id" VARCHAR(24),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" VARCHAR(128) NOT NULL,
    "permissions" TEXT[],
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "actor" VARCHAR(400) NOT NULL,
    "action" VARCHAR(100) NOT NULL,
    "target_type" VARCHAR(100) NOT NULL,
    "target_id" VARCHAR(100) NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "download_event" (
    "id" VARCHAR(24) NOT NULL,
    "otp_user_id" VARCHAR(24) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "download_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE INDEX "store_organization_id_name_idx" ON "store"("organization_id", "name");

-- CreateIndex
CREATE INDEX "application_organization_id_idx" ON "application"("organization_id");

-- CreateIndex
CREATE INDEX "published_application_store_id_name_idx" ON "published_application"("store_id", "name");

-- CreateIndex
CREATE INDEX "published_application_application_id_idx" ON "published_application"("application_id");

-- CreateIndex
CREATE INDEX "otp_user_store_id_created_at_id_idx" ON "otp_user"("store_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "otp_user_store_id_updated_at_id_idx" ON "otp_user"("store_id", "updated_at", "id");

-- CreateIndex
CREATE INDEX "otp_user_store_id_email_id_idx" ON "otp_user"("store_id", "email", "id");

-- CreateIndex
CREATE INDEX "otp_user_store_id_published_application_id_created_at_id_idx" ON "otp_user"("store_id", "published_application_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "otp_user_organization_id_idx" ON "otp_user"("organization_id");

-- CreateIndex
CREATE INDEX "otp_user_email_trgm_idx" ON "otp_user" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "otp_user_published_application_id_email_key" ON "otp_user"("published_application_id", "email");

-- CreateIndex
CREATE INDEX "otp_code_purpose_subject_id_created_at_idx" ON "otp_code"("purpose", "subject_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "otp_code_expires_at_idx" ON "otp_code"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_setting_organization_id_type_provider_key" ON "delivery_setting"("organization_id", "type", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_setting_organization_id_default_for_key" ON "delivery_setting"("organization_id", "default_for");

-- CreateIndex
CREATE INDEX "delivery_log_organization_id_created_at_idx" ON "delivery_log"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "admin_user_email_key" ON "admin_user"("email");

-- CreateIndex
CREATE INDEX "membership_organization_id_idx" ON "membership"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_token_token_hash_key" ON "refresh_token"("token_hash");

-- CreateIndex
CREATE INDEX "refresh_token_user_id_idx" ON "refresh_token"("user_id");

-- CreateIndex
CREATE INDEX "refresh_token_family_id_idx" ON "refresh_token"("family_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_organization_id_idx" ON "api_key"("organization_id");

-- CreateIndex
CREATE INDEX "audit_event_organization_id_at_idx" ON "audit_event"("organization_id", "at" DESC);

-- CreateIndex
CREATE INDEX "download_event_otp_user_id_at_idx" ON "download_event"("otp_user_id", "at" DESC);

-- AddForeignKey
ALTER TABLE "store" ADD CONSTRAINT "store_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application" ADD CONSTRAINT "application_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "published_application" ADD CONSTRAINT "published_application_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "published_application" ADD CONSTRAINT "published_application_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "otp_user" ADD CONSTRAINT "otp_user_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "otp_user" ADD CONSTRAINT "otp_user_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "otp_user" ADD CONSTRAINT "otp_user_published_application_id_fkey" FOREIGN KEY ("published_application_id") REFERENCES "published_application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_setting" ADD CONSTRAINT "delivery_setting_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_log" ADD CONSTRAINT "delivery_log_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "admin_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "admin_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "download_event" ADD CONSTRAINT "download_event_otp_user_id_fkey" FOREIGN KEY ("otp_user_id") REFERENCES "otp_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
