/**
 * The statements the app sends for each benchmarked path, as the bare reference server and
 * pgbench send them. The hand-written ones are copied from packages/api/src/services; Prisma's are
 * copied from what it generates (`pnpm --filter @otp-access/bench run trace-sql` prints both the
 * app's and the bare server's statements per request and says where they differ).
 */

const OTP_USER_COLUMNS =
  'id, organization_id, store_id, published_application_id, email, allowed_downloads_num, last_login_date, last_download_date, created_at, updated_at';

export const SQL = {
  /** services/otp-user.ts UPDATE_OTP_USER_SQL (updateOtpUser). */
  // A copy of the app's statement on purpose: the bare reference must send the same SQL without the framework.
  updateOtpUser: `
WITH target AS (
  SELECT id, allowed_downloads_num FROM otp_user
   WHERE id = $1 AND store_id = $2 AND organization_id = $3
   FOR UPDATE
), updated AS (
  UPDATE otp_user u
     SET allowed_downloads_num = COALESCE($4::bigint, u.allowed_downloads_num), updated_at = $5
    FROM target
   WHERE u.id = target.id
  RETURNING ${OTP_USER_COLUMNS.replace(/(^|, )/g, '$1u.')}, target.allowed_downloads_num AS before_allowed
), audit AS (
  INSERT INTO audit_event (id, organization_id, actor, action, target_type, target_id, changes, at)
  SELECT $6, $3, $7, 'otpUser.update', 'OtpUser', id,
         jsonb_build_object(
           'email', email,
           'allowedDownloadsNum', jsonb_build_object('from', before_allowed, 'to', $4::bigint)
         ),
         $5
    FROM updated
   WHERE $4::bigint IS NOT NULL
)
SELECT * FROM updated`,

  /** services/otp-user.ts searchOtpUsersByEmail (default sort, no application filter). */
  searchByEmail: `SELECT ${OTP_USER_COLUMNS}, count(*) OVER () AS total_docs
       FROM otp_user
      WHERE organization_id = $1 AND store_id = $2 AND email LIKE $3
      ORDER BY created_at DESC, id DESC
      LIMIT $4 OFFSET $5`,
  /**
   * services/otp-user.ts otpUserPageSql sorted by allowance (listOtpUsers, no filter): unlimited
   * (any negative value) ranks above every number, so the order is an expression, not the column.
   */
  listPageByAllowance: (direction: 'ASC' | 'DESC') => `SELECT ${OTP_USER_COLUMNS}
       FROM otp_user
      WHERE organization_id = $1 AND store_id = $2
      ORDER BY (allowed_downloads_num < 0) ${direction}, allowed_downloads_num ${direction}, id ${direction}
      LIMIT $3 OFFSET $4`,
  /** The same, for a page past the end. */
  countByEmail:
    'SELECT count(*) AS n FROM otp_user WHERE organization_id = $1 AND store_id = $2 AND email LIKE $3',

  /**
   * rate-limiter-flexible's RateLimiterPostgres upsert (services/limits.ts consume of one point):
   * $1 key, $2 points, $3 expiry (ms), $4 now (ms).
   */
  rateLimitConsume: `INSERT INTO "rate_limit" VALUES ($1, $2, $3)
              ON CONFLICT(key) DO UPDATE SET
                points = CASE
                          WHEN ("rate_limit".expire <= $4 OR 1=0) THEN $2
                          ELSE "rate_limit".points + ($2)
                         END,
                expire = CASE
                         WHEN "rate_limit".expire <= $4 THEN $3
                         ELSE "rate_limit".expire
                         END
            RETURNING points, expire;`,

  /** services/otp-user.ts STORE_IN_ORGANIZATION_SQL (findStoreInOrganization; named 'store-in-organization'). */
  storeInOrganization: 'SELECT id, otp_user_count FROM store WHERE id = $1 AND organization_id = $2',
  /** services/otp-user.ts OTP_USER_BY_ID_SQL (getOtpUser; named 'otp-user-by-id'). */
  otpUserById: `SELECT ${OTP_USER_COLUMNS} FROM otp_user WHERE id = $1 AND store_id = $2 AND organization_id = $3`,
  /** services/otp-user.ts otpUserPageSql, default sort (listOtpUsers, no filter). */
  listPage: `SELECT ${OTP_USER_COLUMNS}
       FROM otp_user
      WHERE organization_id = $1 AND store_id = $2
      ORDER BY created_at DESC, id DESC
      LIMIT $3 OFFSET $4`,

  // Prisma's, as it generates them (Prisma 7, driver adapter pg).

  /** services/api-key-auth.ts apiKey.findUnique by key_hash (LIMIT 1 OFFSET 0)… */
  apiKeyByHash:
    'SELECT "public"."api_key"."id", "public"."api_key"."name", "public"."api_key"."prefix", "public"."api_key"."permissions", "public"."api_key"."revoked_at", "public"."api_key"."last_used_at", "public"."api_key"."organization_id" FROM "public"."api_key" WHERE ("public"."api_key"."key_hash" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  /** …and its `organization` relation, a second statement (OFFSET 0). */
  organizationById:
    'SELECT "public"."organization"."id", "public"."organization"."slug", "public"."organization"."name" FROM "public"."organization" WHERE "public"."organization"."id" = $1 OFFSET $2',
  /** services/api-key-auth.ts: lastUsedAt, at most once a minute per key. */
  apiKeyTouch:
    'UPDATE "public"."api_key" SET "last_used_at" = $1 WHERE ("public"."api_key"."id" = $2 AND 1=1) RETURNING "public"."api_key"."id"',
  // A copy of the app's statement on purpose: the bare reference must send the same SQL without the framework.
  /** services/otp-codes.ts CLAIM_TRY_SQL (answerChallenge; named 'otp-code-claim-try'): the newest live code, one try claimed… */
  claimTry: `
WITH live AS (
  SELECT id FROM otp_code
   WHERE purpose = $1::"OtpPurpose" AND subject_id = $2 AND consumed_at IS NULL AND expires_at > $3
   ORDER BY created_at DESC
   LIMIT 1
)
UPDATE otp_code c
   SET attempts = c.attempts + CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN 1 ELSE 0 END,
       foreign_attempts = c.foreign_attempts + CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN 0 ELSE 1 END
  FROM live
 WHERE c.id = live.id
   AND c.consumed_at IS NULL
   AND CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN c.attempts ELSE c.foreign_attempts END < $5
RETURNING c.id, c.code_hash`,
  /** …CONSUME_SQL (named 'otp-code-consume'): the code used up… */
  consumeCode:
    'UPDATE otp_code SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2',
  /** …and services/store-access.ts SIGNED_IN_SQL (verifyStoreCode; named 'otp-user-signed-in'). */
  touchLastLogin:
    'UPDATE otp_user SET last_login_date = $3, updated_at = $3 WHERE store_id = $1 AND email = $2',
};
