import { deriveKey, hashOtpCode, sessionConfigFromEnv, storeSubjectId } from '@otp-access/api';
import { createDb, newObjectId, seedScale } from '@otp-access/db';
import { applyMigrations } from '@otp-access/db/migrate';
import { seed, seedIds } from '@otp-access/db/seed';
import pg from 'pg';

export interface BenchDatabase {
  connectionString: string;
  /** Demo organization: the big store. */
  big: { organizationSlug: string; organizationId: string; storeId: string; users: number };
  /** Other organization: the small store, for "latency at 1M vs at 10k". */
  small: { organizationSlug: string; organizationId: string; storeId: string; users: number };
}

const SMALL_STORE_USERS = 10_000;

/** The two seeded stores the scenarios load, the big one holding `users` OTP users. */
export function benchStores(users: number): Pick<BenchDatabase, 'big' | 'small'> {
  return {
    big: {
      organizationSlug: 'demo',
      organizationId: seedIds.organization('demo'),
      storeId: seedIds.store('demo'),
      users,
    },
    small: {
      organizationSlug: 'other',
      organizationId: seedIds.organization('other'),
      storeId: seedIds.store('other'),
      users: SMALL_STORE_USERS,
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function countUsers(connectionString: string, storeId: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM otp_user WHERE store_id = $1',
      [storeId],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * A database named `name` on the server of `adminUrl`, migrated and seeded (demo data with the
 * given API keys), with `users` synthetic OTP users in the demo store and 10k in the other
 * organization's store. Reused when it already holds them (`fresh` drops it first).
 */
export async function prepareDatabase(options: {
  adminUrl: string;
  name: string;
  users: number;
  fresh: boolean;
  apiKeys: { demo: string; other: string };
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const { adminUrl, name, log } = options;
  const connectionString = withDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (options.fresh && exists.rowCount) {
      log(`Dropping database ${name}`);
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    if (options.fresh || !exists.rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }

  await applyMigrations(connectionString);
  const db = createDb({ connectionString, max: 2 });
  try {
    await seed(db, { adminPassword: 'bench-admin-password', apiKeys: options.apiKeys });
  } finally {
    await db.$disconnect();
  }

  const { big, small } = benchStores(options.users);
  for (const [target, idPrefix] of [
    [big, '5ca1e000'],
    [small, '5ca1e001'],
  ] as const) {
    const present = await countUsers(connectionString, target.storeId);
    if (present >= target.users) {
      log(`Store of "${target.organizationSlug}" already holds ${present.toLocaleString('en-US')} OTP users`);
      continue;
    }
    const started = Date.now();
    await seedScale({
      connectionString,
      organizationSlug: target.organizationSlug,
      count: target.users,
      idPrefix,
      onProgress: (inserted, total) =>
        log(
          `Seeding "${target.organizationSlug}": ${inserted.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} OTP users (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        ),
    });
  }
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
  return { connectionString, big, small };
}

/** A random sample of the store's OTP users (id and email). */
export async function sampleUsers(
  connectionString: string,
  storeId: string,
  count: number,
): Promise<{ id: string; email: string }[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; email: string }>(
      // The build scenarios' users are theirs alone: a PUT must never change their allowance.
      `SELECT id, email FROM otp_user WHERE store_id = $1 AND email NOT LIKE '%@bench-downloads.example'
        ORDER BY random() LIMIT $2`,
      [storeId, count],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** The users pgbench updates, by number (`bench_ids`): the same ones the HTTP scenarios use. */
export async function savePgbenchSample(connectionString: string, ids: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_ids');
    await client.query('CREATE TABLE bench_ids (n int PRIMARY KEY, id varchar(24) NOT NULL)');
    await client.query(
      'INSERT INTO bench_ids SELECT ordinality, id FROM unnest($1::varchar[]) WITH ORDINALITY AS id',
      [ids],
    );
  } finally {
    await client.end();
  }
}

/**
 * One live store-login code per user, stored exactly as the app stores codes (HMAC under the
 * server's code key), so the verify scenario spends real codes without sending any messages.
 */
export async function issueStoreCodes(
  connectionString: string,
  storeId: string,
  users: readonly { email: string }[],
  code: string,
  sessionSecret: string,
): Promise<void> {
  const codeKey = deriveKey(sessionConfigFromEnv({ SESSION_SECRET: sessionSecret }), 'otp-code');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("DELETE FROM otp_code WHERE purpose = 'STORE_LOGIN'");
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 3600_000);
    for (let start = 0; start < users.length; start += 10_000) {
      const batch = users.slice(start, start + 10_000);
      const subjects = batch.map((user) => storeSubjectId(storeId, user.email));
      await client.query(
        `INSERT INTO otp_code (id, purpose, subject_id, code_hash, expires_at, attempts, created_at)
         SELECT id, 'STORE_LOGIN', subject_id, code_hash, $4, 0, $5
           FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS t(id, subject_id, code_hash)`,
        [
          batch.map(() => newObjectId(now)),
          subjects,
          subjects.map((subject) => hashOtpCode(codeKey, 'STORE_LOGIN', subject, code)),
          expiresAt,
          now,
        ],
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Between scenarios: vacuum what the previous load dirtied and checkpoint, so each scenario (the
 * product's and the references') starts from the same state instead of inheriting dead rows or a
 * checkpoint in progress. PostgreSQL servers with autovacuum off need this most. `prewarm` loads
 * those relations into shared buffers and `pageCache` into the OS page cache (pg_prewarm, skipped
 * where the server lacks it), so scenarios that read them start from the same cache whatever ran
 * before.
 */
export async function settleDatabase(
  connectionString: string,
  options: { prewarm?: readonly string[]; pageCache?: readonly string[] } = {},
): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) otp_user, audit_event, otp_code, api_key');
    await client.query('CHECKPOINT');
    if (options.prewarm?.length || options.pageCache?.length) {
      const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'");
      if (available.rowCount) {
        await client.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
        for (const relation of options.pageCache ?? [])
          await client.query("SELECT pg_prewarm($1::regclass, 'read')", [relation]);
        for (const relation of options.prewarm ?? [])
          await client.query('SELECT pg_prewarm($1::regclass)', [relation]);
      }
    }
  } finally {
    await client.end();
  }
}

/** Rows earlier bench runs left behind; removed before a run so every run starts alike. */
const BENCH_LEFTOVERS = [
  "DELETE FROM audit_event WHERE action = 'otpUser.update'",
  "DELETE FROM otp_code WHERE purpose = 'STORE_LOGIN'",
  'DELETE FROM rate_limit',
  // The build scenarios': their downloads, and builds whose files went with that run's data
  // directory (the published one too: the next run uploads and publishes its own).
  `DELETE FROM download_event WHERE otp_user_id IN
     (SELECT id FROM otp_user WHERE email LIKE '%@bench-downloads.example')`,
  `UPDATE otp_user SET downloads_count = 0, last_download_date = NULL
    WHERE email LIKE '%@bench-downloads.example' AND (downloads_count <> 0 OR last_download_date IS NOT NULL)`,
  `DELETE FROM build WHERE published_application_id IN
     (SELECT id FROM published_application WHERE name = 'Bench builds')`,
  "DELETE FROM audit_event WHERE action IN ('build.upload', 'build.publish', 'build.delete')",
];
const BENCH_TABLES = [
  'otp_user',
  'audit_event',
  'otp_code',
  'api_key',
  'rate_limit',
  'store',
  'build',
  'download_event',
  'published_application',
];

/**
 * The known state every run starts from: what earlier runs wrote removed, every table the
 * scenarios touch rewritten with its indexes (`VACUUM FULL` rebuilds them, as REINDEX would),
 * statistics fresh, and a CHECKPOINT so no write-back of the reset lands in the first window.
 */
export async function resetDatabase(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const statement of BENCH_LEFTOVERS) await client.query(statement);
    await client.query(`VACUUM (FULL, ANALYZE) ${BENCH_TABLES.join(', ')}`);
    // VACUUM FULL leaves the dead-tuple statistics as they were; a plain VACUUM brings them to now.
    await client.query(`VACUUM ${BENCH_TABLES.join(', ')}`);
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

export interface TableState {
  table: string;
  /** Heap only, MB. */
  tableMb: number;
  indexesMb: number;
  liveTuples: number;
  deadTuples: number;
  indexes: { name: string; mb: number }[];
}

/** Sizes and dead tuples of the tables the scenarios touch (statistics as of now). */
export async function databaseState(connectionString: string): Promise<TableState[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const mb = (bytes: string) => Math.round((Number(bytes) / 2 ** 20) * 10) / 10;
  try {
    // The cumulative statistics are flushed on their own schedule; these figures must be current.
    await client.query('SELECT pg_stat_force_next_flush()').catch(() => {});
    const tables = await client.query<{
      relname: string;
      heap: string;
      idx: string;
      live: string;
      dead: string;
    }>(
      `SELECT relname, pg_relation_size(relid) AS heap, pg_indexes_size(relid) AS idx,
              n_live_tup AS live, n_dead_tup AS dead
         FROM pg_stat_user_tables WHERE relname = ANY($1) ORDER BY relname`,
      [BENCH_TABLES],
    );
    const indexes = await client.query<{ table: string; name: string; size: string }>(
      `SELECT t.relname AS table, i.relname AS name, pg_relation_size(i.oid) AS size
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY($1) ORDER BY t.relname, i.relname`,
      [BENCH_TABLES],
    );
    return tables.rows.map((row) => ({
      table: row.relname,
      tableMb: mb(row.heap),
      indexesMb: mb(row.idx),
      liveTuples: Number(row.live),
      deadTuples: Number(row.dead),
      indexes: indexes.rows
        .filter((index) => index.table === row.relname)
        .map((index) => ({ name: index.name, mb: mb(index.size) })),
    }));
  } finally {
    await client.end();
  }
}
