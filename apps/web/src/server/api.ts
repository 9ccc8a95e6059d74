import {
  allowEndpoints,
  apiConfigFromEnv,
  type BuildStorage,
  createHttpHandlers,
  DEFAULT_OUTBOUND_POLICY,
} from '@otp-access/api';
import { createDb, type Db } from '@otp-access/db';
import { readWebEnv } from './env';

/**
 * One database pool and one set of handlers per process. Next bundles route handlers apart from
 * the custom server, so the instance lives on globalThis where both find it.
 */
const globalForApi = globalThis as unknown as {
  otpAccessApi?: {
    db: Db;
    handlers: ReturnType<typeof createHttpHandlers>;
    storage: BuildStorage;
    close(): Promise<void>;
  };
};

/**
 * `allow`: endpoints of this process's own (the embedded mode's mail sink) that tenant settings
 * may reach although they are internal. Only the first call (the server's) decides.
 */
export function getApi(allow: { host: string; port: number }[] = []) {
  if (!globalForApi.otpAccessApi) {
    const env = readWebEnv();
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set: start the app with `pnpm start`.');
    const db = createDb({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
    const config = apiConfigFromEnv(env.DATABASE_URL);
    config.delivery.outbound = allowEndpoints(config.delivery.outbound ?? DEFAULT_OUTBOUND_POLICY, allow);
    globalForApi.otpAccessApi = {
      db,
      handlers: createHttpHandlers({ db, ...config }),
      storage: config.storage,
      async close() {
        await config.apiKeyCache?.close();
        await db.$disconnect();
      },
    };
  }
  return globalForApi.otpAccessApi;
}
