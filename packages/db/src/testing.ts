import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { readDbEnv } from './env';

export interface ScratchDatabase {
  connectionString: string;
  drop(): Promise<void>;
}

/** Whether the server at `connectionString` is the embedded PGlite rather than a PostgreSQL server. */
export async function isEmbedded(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('select version() as version');
    return rows[0]!.version.includes('PGlite');
  } finally {
    await client.end();
  }
}

/**
 * An empty database for tests that need one of their own: a new database on the DATABASE_URL
 * server when that is a real PostgreSQL, else a fresh in-memory PGlite (which serves one
 * database per instance).
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const base = readDbEnv().DATABASE_URL;
  if (base && !(await isEmbedded(base))) {
    const name = `scratch_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      connectionString: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const embedded = await startEmbeddedPostgres();
  return { connectionString: embedded.connectionString, drop: () => embedded.stop() };
}

/**
 * Everything that makes up the shape of the `public` schema (tables, columns, constraints,
 * indexes, enums, extensions), normalised so two databases built differently compare equal
 * exactly when their schemas are the same.
 */
export async function describeSchema(connectionString: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`
        select table_name, column_name, data_type, udt_name, is_nullable, column_default,
               character_maximum_length, numeric_precision, datetime_precision
        from information_schema.columns
        where table_schema = 'public' and table_name <> '_prisma_migrations'
        order by table_name, column_name`),
      constraints: await q(`
        select cl.relname as table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) as definition
        from pg_constraint c join pg_class cl on cl.oid = c.conrelid
        join pg_namespace n on n.oid = cl.relnamespace
        where n.nspname = 'public' and cl.relname <> '_prisma_migrations'
        order by cl.relname, c.conname`),
      indexes: await q(`
        select tablename, indexname, indexdef from pg_indexes
        where schemaname = 'public' and tablename <> '_prisma_migrations'
        order by tablename, indexname`),
      enums: await q(`
        select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
        from pg_type t join pg_enum e on e.enumtypid = t.oid
        join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' group by t.typname order by t.typname`),
      extensions: await q(`select extname from pg_extension order by extname`),
    };
  } finally {
    await client.end();
  }
}
