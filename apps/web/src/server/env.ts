import { z } from 'zod';

const ZWebEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  SESSION_SECRET: z.string().optional(),
  OTP_SECRETS_KEYS: z.string().optional(),
  /** Opens the setup page while no organization exists; generated and printed when unset. */
  SETUP_TOKEN: z.string().optional(),
  /** Embedded mode's local SMTP sink (0 = any free port). */
  MAIL_SINK_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /** Behind a reverse proxy: honour its X-Forwarded-* headers (client address: the last X-Forwarded-For entry). Off: they are dropped. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /**
   * The installation's own mail server (admin sign-in codes, invitations): an smtp:// URL, or
   * `local` for the local sink that `pnpm mailbox` reads. Embedded mode defaults to `local`.
   */
  ADMIN_MAIL_URL: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
});

/** The only place the web app reads process.env. */
export function readWebEnv() {
  return ZWebEnv.parse(process.env);
}
