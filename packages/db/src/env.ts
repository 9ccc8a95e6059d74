import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const ZDbEnv = z.object({
  // An empty value (as compose files and shells leave behind) means unset: the embedded database.
  DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  /** Local state of a single-machine install: the embedded database, generated secrets. */
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  /** Where the embedded database keeps its files when DATABASE_URL is not set (default DATA_DIR/pglite). */
  PGLITE_DATA_DIR: z.string().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Demo data on start: unset = only on the embedded database; `true`/`false` decide either way. */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  SEED_ADMIN_PASSWORD: z.string().min(8).optional(),
  DEMO_API_KEY: z.string().min(16).optional(),
  OTHER_API_KEY: z.string().min(16).optional(),
});

export type DbEnv = z.infer<typeof ZDbEnv> & { PGLITE_DATA_DIR: string };

/** The only place this package reads process.env. */
export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = ZDbEnv.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid database environment: ${z.prettifyError(parsed.error)}`);
  }
  return {
    ...parsed.data,
    PGLITE_DATA_DIR: parsed.data.PGLITE_DATA_DIR ?? path.join(parsed.data.DATA_DIR, 'pglite'),
  };
}

/**
 * Whether a start seeds the demo organizations. A production database (DATABASE_URL) starts
 * empty, its operator bootstraps the first organization; the embedded default keeps the demo.
 */
export function wantsDemoSeed(env: Pick<DbEnv, 'DATABASE_URL' | 'SEED_DEMO'>): boolean {
  return env.SEED_DEMO ? env.SEED_DEMO === 'true' : !env.DATABASE_URL;
}
