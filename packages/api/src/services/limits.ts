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
  /**
   * Admin sign-in codes have budgets of their own, keyed by the account: a store's code requests
   * for the same address (which anyone can make) never spend them.
   */
  adminCodeCooldown: { points: 1, duration: 30 },
  adminCodePerAccount: { points: 10, duration: 3600 },
  /** Every password attempt from one address, whatever the account. */
  signInPerIp: { points: 30, duration: 600 },
  /**
   * Wrong passwords for one account from one address (LOGIN_MAX_FAILURES per LOGIN_LOCK_SECONDS):
   * the guesser's own address is throttled, not the account.
   */
  signInFailuresPerAccountIp: { points: 5, duration: 600 },
  /**
   * Wrong passwords for one account from all addresses together (NIST SP 800-63B's ceiling of 100).
   * Past it, only addresses the account signed in from before may still try.
   */
  signInFailuresPerAccount: { points: 100, duration: 3600 },
  /** Addresses an account signed in from (a marker, never a refusal). */
  signInKnownAddress: { points: 1_000_000, duration: 30 * 24 * 3600 },
  /** Guesses of second-factor answers (app codes, recovery codes) per account. */
  secondFactorPerAccount: { points: 10, duration: 600 },
  invitePerOrganization: { points: 50, duration: 3600 },
} as const;
export type LimitName = keyof typeof LIMITS;
export type LimitOverrides = Partial<Record<LimitName, { points: number; duration: number }>>;

export interface Limits {
  /**
   * Takes one point of each named limit for its key, in order; throws 429 (7001) when one is spent.
   * A refused request spends nothing: the points it took from the limits before the refusing one
   * are given back, so no one can spend another budget (a recipient's, an account's) with requests
   * an earlier limit refuses.
   */
  consume(checks: readonly [LimitName, string][]): Promise<void>;
  /** Gives back one point taken by `consume` (a reservation that turned out not to count). */
  refund(name: LimitName, key: string): Promise<void>;
  /** Clears a key's count (a successful sign-in ends its address's failure streak). */
  reset(name: LimitName, key: string): Promise<void>;
  /** Points consumed for the key in the current window (0 when none). */
  used(name: LimitName, key: string): Promise<number>;
  close(): Promise<void>;
}

export type LimitsStore = { kind: 'postgres'; connectionString: string } | { kind: 'redis'; url: string };

const unavailable = (cause: unknown) =>
  new AppError(ErrorCode.UNAVAILABLE, {
    message: 'Send and verify limits cannot be checked now (their store is not available); try again shortly',
    cause,
  });

export function createLimits(store: LimitsStore, overrides: LimitOverrides = {}): Limits {
  const options = (name: LimitName) => overrides[name] ?? LIMITS[name];
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
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `otp-access:${name}`, ...options(name) });
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
        ...options(name),
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
      const taken: [LimitName, string][] = [];
      for (const [name, key] of checks) {
        try {
          await limiter(name).consume(key);
          taken.push([name, key]);
        } catch (error) {
          await Promise.allSettled(taken.map(([n, k]) => limiter(n).reward(k, 1)));
          if (error instanceof RateLimiterRes) {
            throw new AppError(ErrorCode.TOO_MANY_REQUESTS, {
              message: 'Too many requests: try again later',
              data: { retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) },
            });
          }
          throw unavailable(error);
        }
      }
    },
    async refund(name, key) {
      await limiter(name)
        .reward(key, 1)
        .catch((error: unknown) => {
          throw unavailable(error);
        });
    },
    async reset(name, key) {
      await limiter(name)
        .delete(key)
        .catch((error: unknown) => {
          throw unavailable(error);
        });
    },
    async used(name, key) {
      const res = await limiter(name)
        .get(key)
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      return res ? res.consumedPoints : 0;
    },
    close: () => closeStore(),
  };
}
