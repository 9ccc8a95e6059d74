import { readApiEnv } from '@otp-access/api';
import { readDbEnv } from '@otp-access/db';
import { z } from 'zod';

/** The web server's own settings; the packages' (`readApiEnv`, `readDbEnv`) are added to them. */
const ZWebEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Behind a reverse proxy: honour its X-Forwarded-* headers (client address: the last X-Forwarded-For entry). Off: they are dropped. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
});

export type ServerEnv = ReturnType<typeof readServerEnv>;

/**
 * The only place the web server reads process.env: once, at start, into one typed object that is
 * passed down (the database's, the API's and the server's own settings, each package parsing its
 * part).
 */
export function readServerEnv(source: NodeJS.ProcessEnv = process.env) {
  const web = ZWebEnv.safeParse(source);
  if (!web.success) throw new Error(`Invalid environment: ${z.prettifyError(web.error)}`);
  return { ...readDbEnv(source), ...readApiEnv(source), ...web.data };
}
