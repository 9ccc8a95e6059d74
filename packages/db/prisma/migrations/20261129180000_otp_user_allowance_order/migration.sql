-- The OTP-user list sorted by allowance ranks an unlimited allowance (any negative value) above
-- every number: ORDER BY (allowed_downloads_num < 0), allowed_downloads_num, id. Without an index in
-- that order every page read and sorted the whole store: 0.5 s for the first page and 3 s for page
-- 500 at 1M users (bench/ALLOWANCE-SORT.md). schema.prisma cannot declare an expression key, so
-- this index is written by hand, and packages/db/src/migrate.ts lists it in EXPRESSION_INDEXES.
CREATE INDEX "otp_user_store_id_allowance_order_idx" ON "otp_user" ("store_id", ("allowed_downloads_num" < 0), "allowed_downloads_num", "id");
