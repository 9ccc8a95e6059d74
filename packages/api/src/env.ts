import { z } from 'zod';
import { DEFAULT_SESSION_SETTINGS, type SessionConfig } from './services/session';

const ZApiEnv = z.object({
  /** HMAC key of admin access tokens (≥ 32 characters); the same on every instance. */
  SESSION_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(DEFAULT_SESSION_SETTINGS.accessTokenTtlSeconds),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 24 * 3600)
    .default(DEFAULT_SESSION_SETTINGS.refreshTokenTtlSeconds),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  LOGIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(DEFAULT_SESSION_SETTINGS.maxFailedLogins),
  LOGIN_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(DEFAULT_SESSION_SETTINGS.lockSeconds),
});

/** The only place this package reads process.env: session settings. */
export function sessionConfigFromEnv(source: NodeJS.ProcessEnv = process.env): SessionConfig {
  const parsed = ZApiEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid session environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
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
