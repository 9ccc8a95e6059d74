-- AlterTable
ALTER TABLE "download_event" ADD COLUMN     "build_id" VARCHAR(24);

-- CreateTable
CREATE TABLE "build" (
    "id" VARCHAR(24) NOT NULL,
    "organization_id" VARCHAR(24) NOT NULL,
    "published_application_id" VARCHAR(24) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(255) NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "storage_key" VARCHAR(400),
    "content" BYTEA,
    "kind" VARCHAR(16) NOT NULL,
    "bundle_id" VARCHAR(255),
    "version" VARCHAR(100),
    "build_number" VARCHAR(100),
    "icon" BYTEA,
    "metadata_note" VARCHAR(500),
    "created_by" VARCHAR(400) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "build_pkey" PRIMARY KEY ("id")
);

-- Each published application's former in-row artifact becomes its first build, kept in the row
-- (builds uploaded from now on go to build storage) and published.
ALTER TABLE "published_application" ADD COLUMN     "published_build_id" VARCHAR(24);

INSERT INTO "build" ("id", "organization_id", "published_application_id", "file_name", "content_type",
                     "size", "sha256", "content", "kind", "version", "created_by", "created_at")
SELECT substr(md5('build:' || pa."id"), 1, 24), s."organization_id", pa."id", pa."artifact_file_name",
       pa."artifact_mime_type", octet_length(pa."artifact"), encode(sha256(pa."artifact"), 'hex'),
       pa."artifact", 'FILE', pa."version", 'migration', pa."created_at"
  FROM "published_application" pa JOIN "store" s ON s."id" = pa."store_id";

UPDATE "published_application" SET "published_build_id" = substr(md5('build:' || "id"), 1, 24);

ALTER TABLE "published_application" DROP COLUMN "artifact",
DROP COLUMN "artifact_file_name",
DROP COLUMN "artifact_mime_type";

-- CreateIndex
CREATE INDEX "build_published_application_id_created_at_id_idx" ON "build"("published_application_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "build_organization_id_idx" ON "build"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "published_application_published_build_id_key" ON "published_application"("published_build_id");

-- AddForeignKey
ALTER TABLE "published_application" ADD CONSTRAINT "published_application_published_build_id_fkey" FOREIGN KEY ("published_build_id") REFERENCES "build"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build" ADD CONSTRAINT "build_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build" ADD CONSTRAINT "build_published_application_id_fkey" FOREIGN KEY ("published_application_id") REFERENCES "published_application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "download_event" ADD CONSTRAINT "download_event_build_id_fkey" FOREIGN KEY ("build_id") REFERENCES "build"("id") ON DELETE SET NULL ON UPDATE CASCADE;
