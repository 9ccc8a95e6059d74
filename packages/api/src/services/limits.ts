import { Redis } from 'ioredis';
import pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { AppError, ErrorCode } from '../errors';

/**
 * Limits on everything that sends a message or checks a code. Counters live in PostgreSQL (the
 * `rate_limit` table of our schema) or in Redis when REDIS_URL is set, so every app instance
 * shares them.
 */
export const LIMITS = {
  /** One code per recipient per minute: the resend cooldown. */
  sendCooldown: { points: 1, duration: 60 },
  sendPerRecipient: { points: 10, duration: 3600 },
  sendPerIp: { points: 30, duration: 600 },
  sendPerOrganization: { points: 2000, duration: 3600 },
  verifyPerIp: { points: 60, duration: 600 },
  testSendPerOrganization: { points: 30, duration: 3600 },
} as const;
export type LimitName = keyof typeof LIMITS;

export interface Limits {
  /** Takes one point of each named limit for its key; throws 429 (7001) when one is spent. */
  consume(checks: readonly [LimitName, string][]): Promise<void>;
  close(): Promise<void>;
}

export type LimitsStore = { kind: 'postgres'; connectionString: string } | { kind: 'redis'; url: string };

export function createLimits(store: LimitsStore): Limits {
  let closeStore: () => Promise<void>;
  let make: (name: LimitName) => RateLimiterAbstract;
  if (store.kind === 'redis') {
    const redis = new Redis(store.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    closeStore = async () => {
      redis.disconnect();
    };
    make = (name) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `otp-access:${name}`, ...LIMITS[name] });
  } else {
    // Without a connect timeout a request would hang for as long as the OS keeps trying to reach
    // an unreachable database host (minutes), instead of answering 503.
    const pool = new pg.Pool({
      connectionString: store.connectionString,
      max: 4,
      connectionTimeoutMillis: 2_000,
    });
    // An idle connection the server drops is reported here; the pool discards it on its own, but
    // an 'error' event with no listener would crash the process.
    pool.on('error', () => {});
    closeStore = () => pool.end();
    // The library names its statements; named prepared statements break where connections share
    // server sessions (PgBouncer in transaction mode before 1.21), so drop the names: a limit
    // check is one small statement, where a saved parse is worth little.
    const unnamed = {
      query: (query: string | pg.QueryConfig, values?: unknown[]) =>
        pool.query(
          typeof query === 'string'
            ? { text: query, values: values ?? [] }
            : { text: query.text, values: query.values ?? values ?? [] },
        ),
    };
    make = (name) =>
      new RateLimiterPostgres({
        storeClient: unnamed,
        storeType: 'pool',
        tableName: 'rate_limit',
        // The table is part of our migrations.
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        ...LIMITS[name],
      });
  }
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  const limiter = (name: LimitName) => {
    let found = limiters.get(name);
    if (!found) {
      found = make(name);
      limiters.set(name, found);
    }
    return found;
  };

  return {
    async consume(checks) {
      for (const [name, key] of checks) {
        try {
          await limiter(name).consume(key);
        } catch (error) {
          if (error instanceof RateLimiterRes) {
            throw new AppError(ErrorCode.TOO_MANY_REQUESTS, {
              message: 'Too many requests: try again later',
              data: { retryAfterSeconds: Math.ceil(error.msBeforeNext / 1000) },
            });
          }
          throw new AppError(ErrorCode.UNAVAILABLE, {
            message:
              'Send and verify limits cannot be checked now (their store is not available); try again shortly',
            cause: error,
          });
        }
      }
    },
    close: () => closeStore(),
  };
}
