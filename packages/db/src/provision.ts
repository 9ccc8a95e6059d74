import { createDb } from './client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded';
import { readDbEnv, wantsDemoSeed } from './env';
import { applyMigrations } from './migrate';
import { seed } from './seed';

export interface ProvisionOptions {
  /** Embedded mode only: keep the data in memory instead of the data directory. */
  memory?: boolean;
  /** The demo seed: always, never, or `auto` (embedded database, or `SEED_DEMO=true`). */
  seed?: boolean | 'auto';
  log?: (line: string) => void;
}

export interface ProvisionedDatabase {
  connectionString: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database the app runs on: `DATABASE_URL` when set, else an embedded PostgreSQL (PGlite over
 * the wire protocol) with its files under `.data/`. Either way migrations are applied first, and
 * optionally the demo seed, whose one-time credentials are printed.
 */
export async function provisionDatabase(options: ProvisionOptions = {}): Promise<ProvisionedDatabase> {
  const env = readDbEnv();
  const log = options.log ?? ((line: string) => console.log(line));
  let embedded: EmbeddedPostgres | undefined;
  let connectionString = env.DATABASE_URL;
  if (!connectionString) {
    embedded = await startEmbeddedPostgres(options.memory ? {} : { dataDir: env.PGLITE_DATA_DIR });
    connectionString = embedded.connectionString;
    log(
      `Embedded PostgreSQL ${options.memory ? '(in memory)' : `(data in ${env.PGLITE_DATA_DIR})`} at ${connectionString}`,
    );
  }
  try {
    const applied = await applyMigrations(connectionString);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
    if (options.seed === true || (options.seed === 'auto' && wantsDemoSeed(env))) {
      const db = createDb({ connectionString, max: 2 });
      try {
        const { generated } = await seed(db, {
          adminPassword: env.SEED_ADMIN_PASSWORD,
          apiKeys: { demo: env.DEMO_API_KEY, other: env.OTHER_API_KEY },
        });
        for (const credential of generated) {
          log(`Generated ${credential.label} (shown once): ${credential.value}`);
        }
      } finally {
        await db.$disconnect();
      }
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    connectionString,
    embedded: embedded !== undefined,
    stop: async () => {
      await embedded?.stop();
    },
  };
}
