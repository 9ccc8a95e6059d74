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
         jsonb_build_object('allowedDownloadsNum', jsonb_build_object('from', before_allowed, 'to', $4::bigint)),
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
  /** The same, for a page past the end. */
  countByEmail:
    'SELECT count(*) AS n FROM otp_user WHERE organization_id = $1 AND store_id = $2 AND email LIKE $3',

  /** rate-limiter-flexible's RateLimiterPostgres upsert (consume of one point, not forced). */
  rateLimitConsume: '',

  // Prisma's (filled from trace-sql).
  apiKeyByHash: {
    text: '',
    toKey: (row: Record<string, unknown>) => ({
      id: String(row.id),
      name: String(row.name),
      prefix: String(row.prefix),
      permissions: row.permissions as string[],
      lastUsedAt: (row.last_used_at as Date | null) ?? null,
      organization: { id: '', slug: '', name: '' },
    }),
  },
  apiKeyTouch: '',
  storeInOrganization: '',
  otpUserById: '',
  listPage: '',
  liveCode: '',
  claimCode: '',
  consumeCode: '',
  touchLastLogin: '',
};
