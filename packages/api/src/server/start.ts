import path from 'node:path';
import { createDb, type Db, type DbEnv } from '@otp-access/db';
import { startDatabaseProcess } from '@otp-access/db/database-process';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { type ApiEnv, apiConfig, keyring } from '../env';
import { createHttpHandlers } from '../http';
import { localSecretsKeyring, localSessionSecret } from '../local-secrets';
import type { BuildStorage } from '../services/builds/storage';
import { removeStaleUploads } from '../services/builds/storage';
import { generateSetupToken, hasAnyOrganization } from '../services/first-run';
import { useLocalMailSink } from '../services/local-mail';
import { allowEndpoints, DEFAULT_OUTBOUND_POLICY } from '../services/outbound-policy';

/** The server's settings, read once from its environment (`readApiEnv`, `readDbEnv`). */
export type StartApiEnv = ApiEnv & Pick<DbEnv, 'DATA_DIR' | 'DATABASE_POOL_MAX'>;

export interface RunningApi {
  db: Db;
  handlers: ReturnType<typeof createHttpHandlers>;
  storage: BuildStorage;
  /** The database the handlers use: DATABASE_URL's, or the embedded one this process serves. */
  database: { connectionString: string; embedded: boolean };
  /** The local SMTP sink (embedded mode, `ADMIN_MAIL_URL=local`). */
  mailSink: MailSink | undefined;
  /** No organization exists yet: the setup page is open to `setupToken`. */
  firstRun: boolean;
  setupToken: { value: string; generated: boolean };
  /** Closes the pool, the sink and the embedded database. */
  close(): Promise<void>;
}

/**
 * Everything behind the HTTP handlers of `pnpm start`: the database (provisioned in a process of
 * its own: DATABASE_URL, or the embedded one with demo data), the secrets a single-machine install
 * did not set (generated once into DATA_DIR), the first-run setup token, the local mail sink, and
 * the handlers on top. The web server calls this once and serves what it returns.
 */
export async function startApi(env: StartApiEnv, options: { publicUrl: string }): Promise<RunningApi> {
  const database = await startDatabaseProcess({ seed: 'auto' });
  try {
    return await composeApi(env, options, database);
  } catch (error) {
    await database.stop();
    throw error;
  }
}

async function composeApi(
  env: StartApiEnv,
  options: { publicUrl: string },
  database: Awaited<ReturnType<typeof startDatabaseProcess>>,
): Promise<RunningApi> {
  // A single-machine install without these gets values generated once into the data directory.
  const sessionSecret = env.SESSION_SECRET ?? (await localSessionSecret(env.DATA_DIR)).value;
  let secretsKeys = env.OTP_SECRETS_KEYS;
  if (!secretsKeys) {
    const local = await localSecretsKeyring(env.DATA_DIR);
    secretsKeys = local.value;
    if (local.created) {
      console.log(
        `Generated an encryption key for delivery secrets in ${path.join(env.DATA_DIR, 'secrets-keys')}.`,
      );
      console.log('  For production set OTP_SECRETS_KEYS instead (see the README).');
    }
  }
  // First run: the setup page opens with a token only the operator sees (the server's log).
  const setupToken = env.SETUP_TOKEN
    ? { value: env.SETUP_TOKEN, generated: false }
    : { value: generateSetupToken(), generated: true };

  // Embedded mode sends mail to a local sink, so codes work out of the box (`pnpm mailbox` reads
  // it). The same sink is the installation's own mail server (admin sign-in codes, invitations)
  // unless ADMIN_MAIL_URL names a real one; `ADMIN_MAIL_URL=local` asks for the sink on any database.
  const adminMailLocal = env.ADMIN_MAIL_URL === 'local' || (!env.ADMIN_MAIL_URL && database.embedded);
  const mailDir = path.join(env.DATA_DIR, 'mailbox');
  const mailSink =
    database.embedded || adminMailLocal
      ? await startMailSink({ port: env.MAIL_SINK_PORT, dir: mailDir }).catch(() =>
          startMailSink({ port: 0, dir: mailDir }),
        )
      : undefined;
  const adminMailUrl =
    mailSink && adminMailLocal
      ? `smtp://${mailSink.host}:${mailSink.port}?from=no-reply%40otp-access.local`
      : env.ADMIN_MAIL_URL === 'local'
        ? undefined
        : env.ADMIN_MAIL_URL;

  const resolved: ApiEnv = {
    ...env,
    SESSION_SECRET: sessionSecret,
    OTP_SECRETS_KEYS: secretsKeys,
    SETUP_TOKEN: setupToken.value,
    ADMIN_MAIL_URL: adminMailUrl,
    PUBLIC_URL: env.PUBLIC_URL ?? options.publicUrl,
  };
  const db = createDb({ connectionString: database.connectionString, max: env.DATABASE_POOL_MAX });
  const config = apiConfig(resolved, env, database.connectionString);
  // The embedded sink is on loopback, which tenant settings may not reach: the demo space's setting
  // points at it, so this one endpoint is allowed (the operator's own mail is not a tenant setting).
  config.delivery.outbound = allowEndpoints(
    config.delivery.outbound ?? DEFAULT_OUTBOUND_POLICY,
    mailSink && database.embedded ? [{ host: mailSink.host, port: mailSink.port }] : [],
  );
  const handlers = createHttpHandlers({ db, ...config });

  // Uploads a crashed process was receiving; a failure here must not stop the server.
  void removeStaleUploads(config.storage, new Date()).catch((error: unknown) =>
    console.error('Could not clean up stale uploads:', error),
  );
  const firstRun = !(await hasAnyOrganization(db));
  if (!adminMailUrl) {
    const waiting = await db.adminUser.count({ where: { otpType: { in: ['MAIL', 'SMS'] } } });
    if (waiting > 0)
      console.warn(
        `${waiting} admin account(s) get sign-in codes by email, but ADMIN_MAIL_URL is not set: their sign-ins answer 503 until it is.`,
      );
  }
  if (mailSink && database.embedded) await useLocalMailSink(db, keyring(resolved), 'demo', mailSink);

  return {
    db,
    handlers,
    storage: config.storage,
    database: { connectionString: database.connectionString, embedded: database.embedded },
    mailSink,
    firstRun,
    setupToken,
    async close() {
      await mailSink?.stop().catch(() => {});
      await config.apiKeyCache?.close().catch(() => {});
      await db.$disconnect().catch(() => {});
      await database.stop();
    },
  };
}
