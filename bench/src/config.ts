import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '..');

// Fixed, bench-only credentials: the database is a throwaway one made by the harness.
export const DEMO_KEY = 'oa_bench_demo_key_0000000000000000000000000000000';
export const OTHER_KEY = 'oa_bench_other_key_000000000000000000000000000000';
export const CODE = '424242';
export const SESSION_SECRET = 'bench-only-session-secret-0123456789abcdef';
const SECRETS_KEYS = `bench:${Buffer.alloc(32, 9).toString('base64')}`;

/** The admin connection: the harness creates and reuses its database on that server. */
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** BENCH_DATABASE_NAME (default otp_access_bench): the database the harness makes there. */
export const databaseName = process.env.BENCH_DATABASE_NAME ?? 'otp_access_bench';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName))
  throw new Error(`BENCH_DATABASE_NAME must be a plain lower-case identifier, not "${databaseName}"`);

/** The app's environment on the bench database, as `pnpm start` would get it in production. */
export function appEnv(connectionString: string, dataDir: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: connectionString,
    DEMO_API_KEY: DEMO_KEY,
    OTHER_API_KEY: OTHER_KEY,
    SEED_ADMIN_PASSWORD: 'bench-admin-password',
    SESSION_SECRET,
    OTP_SECRETS_KEYS: SECRETS_KEYS,
    TRUST_PROXY: 'true',
    DATA_DIR: dataDir,
  };
}
