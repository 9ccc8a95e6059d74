import { z } from 'zod';
import { createLogger } from './logger';
import { createApiKeyCache } from './services/api-key-cache';
import { DEFAULT_DELIVERY_CONFIG, type DeliveryConfig } from './services/delivery';
import { createLimits, type Limits } from './services/limits';
import { createOutboundPolicy } from './services/outbound-policy';
import { type Keyring, parseKeyringSpec } from './services/secret-box';
import { DEFAULT_SESSION_SETTINGS, type SessionConfig } from './services/session';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The only place this package reads process.env. */
const ZApiEnv = z.object({
  /** HMAC key of admin access tokens (≥ 32 characters); the same on every instance. */
  SESSION_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 3600, DEFAULT_SESSION_SETTINGS.accessTokenTtlSeconds),
  REFRESH_TOKEN_TTL_SECONDS: int(300, 90 * 24 * 3600, DEFAULT_SESSION_SETTINGS.refreshTokenTtlSeconds),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  LOGIN_MAX_FAILURES: int(1, 100, DEFAULT_SESSION_SETTINGS.maxFailedLogins),
  LOGIN_LOCK_SECONDS: int(1, 86_400, DEFAULT_SESSION_SETTINGS.lockSeconds),
  /** `keyId:<base64 of 32 bytes>,…`, current key first: encrypts delivery-setting secrets. */
  OTP_SECRETS_KEYS: z.string().min(1).optional(),
  DELIVERY_TIMEOUT_MS: int(100, 120_000, DEFAULT_DELIVERY_CONFIG.timeoutMs),
  TWILIO_BASE_URL: z.string().url().optional(),
  NETGSM_BASE_URL: z.string().url().optional(),
  DATAPORT_BASE_URL: z.string().url().optional(),
  /**
   * Hosts (`name`, `address`, `name:port`) and networks (CIDR) that tenant-configured
   * destinations (SMTP hosts) may reach although they are internal; comma-separated.
   */
  OUTBOUND_ALLOW_HOSTS: z.string().default(''),
  OUTBOUND_ALLOW_CIDRS: z.string().default(''),
  /** Keep send/verify limit counters in Redis instead of PostgreSQL. */
  REDIS_URL: z.string().url().optional(),
  /** How long an instance trusts an API key it looked up (revocations still reach it at once). 0 = never. */
  API_KEY_CACHE_SECONDS: int(0, 60, 5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

function readApiEnv(source: NodeJS.ProcessEnv) {
  const parsed = ZApiEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function sessionConfigFromEnv(source: NodeJS.ProcessEnv = process.env): SessionConfig {
  const env = readApiEnv(source);
  if (!env.SESSION_SECRET) throw new Error('SESSION_SECRET is not set (32 characters or more).');
  return {
    accessTokenSecret: new TextEncoder().encode(env.SESSION_SECRET),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    secureCookies: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
    maxFailedLogins: env.LOGIN_MAX_FAILURES,
    lockSeconds: env.LOGIN_LOCK_SECONDS,
  };
}

/** Keys of delivery-setting secrets. */
export function keyringFromEnv(source: NodeJS.ProcessEnv = process.env): Keyring {
  const env = readApiEnv(source);
  if (!env.OTP_SECRETS_KEYS) throw new Error('OTP_SECRETS_KEYS is not set.');
  return parseKeyringSpec(env.OTP_SECRETS_KEYS);
}

export function deliveryConfigFromEnv(source: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  const env = readApiEnv(source);
  return {
    timeoutMs: env.DELIVERY_TIMEOUT_MS,
    baseUrls: {
      ...(env.TWILIO_BASE_URL ? { TWILIO: env.TWILIO_BASE_URL } : {}),
      ...(env.NETGSM_BASE_URL ? { NETGSM: env.NETGSM_BASE_URL } : {}),
      ...(env.DATAPORT_BASE_URL ? { DATAPORT: env.DATAPORT_BASE_URL } : {}),
    },
    outbound: createOutboundPolicy({
      hosts: env.OUTBOUND_ALLOW_HOSTS.split(','),
      networks: env.OUTBOUND_ALLOW_CIDRS.split(',').filter((cidr) => cidr.trim()),
    }),
  };
}

/** Limits in Redis when REDIS_URL is set, else in the application database. */
export function limitsFromEnv(databaseUrl: string, source: NodeJS.ProcessEnv = process.env): Limits {
  const env = readApiEnv(source);
  return createLimits(
    env.REDIS_URL
      ? { kind: 'redis', url: env.REDIS_URL }
      : { kind: 'postgres', connectionString: databaseUrl },
  );
}

/** Everything the HTTP handlers need from the environment. */
export function apiConfigFromEnv(databaseUrl: string, source: NodeJS.ProcessEnv = process.env) {
  const env = readApiEnv(source);
  const logger = createLogger({ level: env.LOG_LEVEL });
  return {
    session: sessionConfigFromEnv(source),
    keyring: keyringFromEnv(source),
    delivery: deliveryConfigFromEnv(source),
    limits: limitsFromEnv(databaseUrl, source),
    logger,
    apiKeyCache:
      env.API_KEY_CACHE_SECONDS > 0
        ? createApiKeyCache({
            connectionString: databaseUrl,
            ttlMs: env.API_KEY_CACHE_SECONDS * 1000,
            logger,
          })
        : undefined,
  };
}
