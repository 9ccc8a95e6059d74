-- CreateTable
CREATE TABLE "revoked_store_session" (
    "id" VARCHAR(24) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "revoked_store_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "revoked_store_session_expires_at_idx" ON "revoked_store_session"("expires_at");
