import path from 'node:path';
import { type DbEnv, readDbEnv } from '@otp-access/db';
import { z } from 'zod';
import type { SmtpConfig } from './delivery/smtp';
import { createLogger, serverLogDestination } from './logger';
import { createApiKeyCache } from './services/api-key-cache';
import { type BuildStorage, createLocalBuildStorage, createS3BuildStorage } from './services/builds/storage';
import { DEFAULT_BUILD_MAX_BYTES } from './services/builds/upload';
import { DEFAULT_DELIVERY_CONFIG, type DeliveryConfig } from './services/delivery';
import { createLimits, type Limits } from './services/limits';
import { createOutboundPolicy } from './services/outbound-policy';
import { type Keyring, parseKeyringSpec } from './services/secret-box';
import { DEFAULT_SESSION_SETTINGS, type SessionConfig } from './services/session';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** What this package takes from the environment (`readApiEnv`). */
const ZApiEnv = z.object({
  /** HMAC key of admin access tokens (≥ 32 characters); the same on every instance. */
  SESSION_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 3600, DEFAULT_SESSION_SETTINGS.accessTokenTtlSeconds),
  REFRESH_TOKEN_TTL_SECONDS: int(300, 90 * 24 * 3600, DEFAULT_SESSION_SETTINGS.refreshTokenTtlSeconds),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  LOGIN_MAX_FAILURES: int(1, 100, DEFAULT_SESSION_SETTINGS.maxFailedLogins),
  LOGIN_LOCK_SECONDS: int(1, 86_400, DEFAULT_SESSION_SETTINGS.lockSeconds),
  /** Sign-in attempts one address may make in 10 minutes, whatever the accounts. */
  LOGIN_MAX_PER_IP: int(1, 100_000, 30),
  /** `keyId:<base64 of 32 bytes>,…`, current key first: encrypts delivery-setting secrets. */
  OTP_SECRETS_KEYS: z.string().min(1).optional(),
  DELIVERY_TIMEOUT_MS: int(100, 120_000, DEFAULT_DELIVERY_CONFIG.timeoutMs),
  TWILIO_BASE_URL: z.string().url().optional(),
  NETGSM_BASE_URL: z.string().url().optional(),
  DATAPORT_BASE_URL: z.string().url().optional(),
  /**
   * The operator's mail server for admin sign-in codes and invitations:
   * `smtp://[user:pass@]host[:port]?from=<address>` (STARTTLS when offered), `smtp+starttls://…`
   * (STARTTLS required) or `smtps://…` (TLS from the first byte). `local`: the server's own
   * mail sink (`startApi`), which `pnpm mailbox` reads.
   */
  ADMIN_MAIL_URL: z
    .union([
      z.literal('local'),
      z
        .string()
        .regex(/^(smtp|smtps|smtp\+starttls):\/\//, 'An smtp://, smtp+starttls:// or smtps:// URL, or local'),
    ])
    .optional(),
  /** Where admins reach the console (`https://otp.example.com`): links in invitation mail. */
  PUBLIC_URL: z.string().url().optional(),
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
  /** Where builds live: files under BUILD_STORAGE_DIR, or an S3-compatible bucket. */
  BUILD_STORAGE: z.enum(['local', 's3']).default('local'),
  /** Default DATA_DIR/builds. Uploads are received here first in both modes. */
  BUILD_STORAGE_DIR: z.string().min(1).optional(),
  BUILD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(DEFAULT_BUILD_MAX_BYTES),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /**
   * Opens the one-time setup page while no organization exists. Unset: the server generates one
   * and prints it at start-up (set it to share one token between several instances).
   */
  SETUP_TOKEN: z.string().min(16).optional(),
  /** The CLI's password for a new owner account (else one is generated and printed once). */
  OWNER_PASSWORD: z.string().min(12).max(1024).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The local SMTP sink of `startApi` (embedded mode, `ADMIN_MAIL_URL=local`); 0 = any free port. */
  MAIL_SINK_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
});

export type ApiEnv = z.infer<typeof ZApiEnv>;

/**
 * This package's settings, parsed once from `source` (a process's environment, read by the
 * program that starts: the server's env module, a CLI script). The functions below take the
 * parsed values; their `…FromEnv` forms parse a source themselves, for scripts and tests.
 */
export function readApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = ZApiEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function sessionConfigFromEnv(source: NodeJS.ProcessEnv = process.env): SessionConfig {
  return sessionConfig(readApiEnv(source));
}

export function sessionConfig(env: ApiEnv): SessionConfig {
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
  return keyring(readApiEnv(source));
}

export function keyring(env: ApiEnv): Keyring {
  if (!env.OTP_SECRETS_KEYS) throw new Error('OTP_SECRETS_KEYS is not set.');
  return parseKeyringSpec(env.OTP_SECRETS_KEYS);
}

/** `smtp://user:pass@host:port?from=…` → the SMTP settings of the operator's mail server. */
export function parseSmtpUrl(value: string): SmtpConfig {
  const url = new URL(value);
  const scheme = url.protocol.replace(/:$/, '');
  const transportStrategy = scheme === 'smtps' ? 'SMTPS' : scheme === 'smtp+starttls' ? 'SMTP_TLS' : 'SMTP';
  const fromAddress = url.searchParams.get('from') ?? `no-reply@${url.hostname}`;
  return {
    smtpHost: url.hostname.replace(/^\[|\]$/g, ''),
    smtpPort: url.port ? Number(url.port) : transportStrategy === 'SMTPS' ? 465 : 587,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    transportStrategy,
    fromAddress,
  };
}

export function deliveryConfigFromEnv(source: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return deliveryConfig(readApiEnv(source));
}

/** `ADMIN_MAIL_URL=local` sends no operator mail here: `startApi` replaces it by its sink's URL. */
export function deliveryConfig(env: ApiEnv): DeliveryConfig {
  return {
    ...(env.ADMIN_MAIL_URL && env.ADMIN_MAIL_URL !== 'local'
      ? { operatorMail: parseSmtpUrl(env.ADMIN_MAIL_URL) }
      : {}),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
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
  return limits(readApiEnv(source), databaseUrl);
}

export function limits(env: ApiEnv, databaseUrl: string): Limits {
  return createLimits(
    env.REDIS_URL
      ? { kind: 'redis', url: env.REDIS_URL }
      : { kind: 'postgres', connectionString: databaseUrl },
    {
      signInFailuresPerAccountIp: { points: env.LOGIN_MAX_FAILURES, duration: env.LOGIN_LOCK_SECONDS },
      signInPerIp: { points: env.LOGIN_MAX_PER_IP, duration: 600 },
    },
  );
}

/** Build storage and the upload size limit. */
export function buildStorageFromEnv(source: NodeJS.ProcessEnv = process.env) {
  return buildStorage(readApiEnv(source), readDbEnv(source));
}

export function buildStorage(
  env: ApiEnv,
  dbEnv: Pick<DbEnv, 'DATA_DIR'>,
): { storage: BuildStorage; buildMaxBytes: number } {
  const dir = env.BUILD_STORAGE_DIR ?? path.join(dbEnv.DATA_DIR, 'builds');
  if (env.BUILD_STORAGE === 'local')
    return { storage: createLocalBuildStorage(dir), buildMaxBytes: env.BUILD_MAX_BYTES };
  if (!env.S3_BUCKET) throw new Error('BUILD_STORAGE=s3 needs S3_BUCKET.');
  return {
    storage: createS3BuildStorage({
      bucket: env.S3_BUCKET,
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      incomingDir: path.join(dir, '.incoming'),
    }),
    buildMaxBytes: env.BUILD_MAX_BYTES,
  };
}

/** Everything the HTTP handlers need from the environment. */
export function apiConfigFromEnv(databaseUrl: string, source: NodeJS.ProcessEnv = process.env) {
  return apiConfig(readApiEnv(source), readDbEnv(source), databaseUrl);
}

export function apiConfig(env: ApiEnv, dbEnv: Pick<DbEnv, 'DATA_DIR'>, databaseUrl: string) {
  const logger = createLogger({ level: env.LOG_LEVEL, destination: serverLogDestination() });
  return {
    session: sessionConfig(env),
    keyring: keyring(env),
    delivery: deliveryConfig(env),
    limits: limits(env, databaseUrl),
    ...buildStorage(env, dbEnv),
    logger,
    setupToken: env.SETUP_TOKEN,
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

/** The setup token the server was started with, if any. */
export function setupTokenFromEnv(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return readApiEnv(source).SETUP_TOKEN;
}

/** The password `pnpm admin:create-organization` gives a new owner, when set. */
export function ownerPasswordFromEnv(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return readApiEnv(source).OWNER_PASSWORD;
}
