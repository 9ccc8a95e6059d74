/** Runs one parameterised statement: a pg client's `query`, or Prisma's `$executeRawUnsafe`. */
export type RunSql = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Recomputes the OTP-user counters of stores and published applications from the rows — of one
 * store, or of all — for data written outside the OTP-user service (seeds, bulk loads).
 */
export async function recountOtpUsers(run: RunSql, storeId: string | null = null): Promise<void> {
  await run(
    `UPDATE store s SET otp_user_count = c.n
       FROM (SELECT st.id, count(u.id)::int AS n FROM store st LEFT JOIN otp_user u ON u.store_id = st.id
              WHERE $1::text IS NULL OR st.id = $1 GROUP BY st.id) c
      WHERE s.id = c.id AND s.otp_user_count <> c.n`,
    [storeId],
  );
  await run(
    `UPDATE published_application p SET otp_user_count = c.n
       FROM (SELECT pa.id, count(u.id)::int AS n FROM published_application pa
              LEFT JOIN otp_user u ON u.published_application_id = pa.id
              WHERE $1::text IS NULL OR pa.store_id = $1 GROUP BY pa.id) c
      WHERE p.id = c.id AND p.otp_user_count <> c.n`,
    [storeId],
  );
}
