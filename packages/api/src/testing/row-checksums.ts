import type { Db } from '@otp-access/db';
import { storeSubjectId } from '../services/store-access';

/**
 * Row checksums of everything a set of organizations owns, to prove that a refused (or ignored)
 * request changed nothing, down to a single column. Scoped to the given organizations because test
 * files share one database and run in parallel: a checksum of whole tables would see the others.
 */
export interface TableChecksum {
  rows: number;
  md5: string | null;
}
export type RowChecksums = Record<string, TableChecksum>;

/**
 * Per table: the rows that belong to the organizations `$1`, and the key that orders them.
 * `$2` holds the one-time-code subjects of those organizations (admin members and store sign-ins),
 * since codes name their subject, not an organization.
 */
// One entry a table on purpose: each table's scope reads on its own line.
const TENANT_ROWS: Record<string, { from: string; orderBy: string }> = {
  organization: { from: 'SELECT * FROM organization WHERE id = ANY($1)', orderBy: 't.id' },
  store: { from: 'SELECT * FROM store WHERE organization_id = ANY($1)', orderBy: 't.id' },
  application: { from: 'SELECT * FROM application WHERE organization_id = ANY($1)', orderBy: 't.id' },
  published_application: {
    from: 'SELECT * FROM published_application WHERE store_id IN (SELECT id FROM store WHERE organization_id = ANY($1))',
    orderBy: 't.id',
  },
  otp_user: { from: 'SELECT * FROM otp_user WHERE organization_id = ANY($1)', orderBy: 't.id' },
  download_event: {
    from: 'SELECT * FROM download_event WHERE otp_user_id IN (SELECT id FROM otp_user WHERE organization_id = ANY($1))',
    orderBy: 't.id',
  },
  otp_code: { from: 'SELECT * FROM otp_code WHERE subject_id = ANY($2)', orderBy: 't.id' },
  delivery_setting: {
    from: 'SELECT * FROM delivery_setting WHERE organization_id = ANY($1)',
    orderBy: 't.id',
  },
  delivery_log: { from: 'SELECT * FROM delivery_log WHERE organization_id = ANY($1)', orderBy: 't.id' },
  // last_used_at moves whenever a key authenticates, refused request or not: it is bookkeeping,
  // not something a caller asked to change.
  api_key: {
    from: `SELECT id, organization_id, name, prefix, key_hash, permissions, revoked_at, created_at
             FROM api_key WHERE organization_id = ANY($1)`,
    orderBy: 't.id',
  },
  membership: {
    from: 'SELECT * FROM membership WHERE organization_id = ANY($1)',
    orderBy: 't.organization_id, t.user_id',
  },
  admin_user: {
    from: 'SELECT * FROM admin_user WHERE id IN (SELECT user_id FROM membership WHERE organization_id = ANY($1))',
    orderBy: 't.id',
  },
  audit_event: { from: 'SELECT * FROM audit_event WHERE organization_id = ANY($1)', orderBy: 't.id' },
};

export const CHECKSUMMED_TABLES = Object.keys(TENANT_ROWS);

const CHECKSUM_SQL = Object.entries(TENANT_ROWS)
  .map(
    ([table, { from, orderBy }]) =>
      `SELECT '${table}' AS "table", count(*)::int AS rows,
              md5(string_agg(t::text, ',' ORDER BY ${orderBy})) AS md5
         FROM (${from}) t`,
  )
  .join('\nUNION ALL\n');

/** `{table: {rows, md5}}` over every row the organizations own (md5 is null for no rows). */
export async function rowChecksums(db: Db, organizationIds: readonly string[]): Promise<RowChecksums> {
  const ids = [...organizationIds];
  const [storeLogins, admins] = await Promise.all([
    db.$queryRawUnsafe<{ store_id: string; email: string }[]>(
      'SELECT DISTINCT store_id, email FROM otp_user WHERE organization_id = ANY($1)',
      ids,
    ),
    db.$queryRawUnsafe<{ user_id: string }[]>(
      'SELECT DISTINCT user_id FROM membership WHERE organization_id = ANY($1)',
      ids,
    ),
  ]);
  const subjects = [
    ...storeLogins.map((row) => storeSubjectId(row.store_id, row.email)),
    ...admins.map((row) => row.user_id),
  ];
  const rows = await db.$queryRawUnsafe<{ table: string; rows: number; md5: string | null }[]>(
    CHECKSUM_SQL,
    ids,
    subjects,
  );
  return Object.fromEntries(rows.map((row) => [row.table, { rows: row.rows, md5: row.md5 }]));
}

/** How many rows a checksum covered, over all tables. */
export function countRows(checksums: RowChecksums): number {
  return Object.values(checksums).reduce((sum, table) => sum + table.rows, 0);
}
