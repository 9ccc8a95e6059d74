/**
 * `pnpm start` / `pnpm dev`: provisions the database (DATABASE_URL, empty of demo data unless
 * SEED_DEMO=true, or the embedded one with demo data) in a process of its own, then serves
 * everything from one node:http server. API paths go straight to the framework-free handlers;
 * every other path is a Next.js page.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import {
  closeGracefully,
  generateSetupToken,
  hasAnyOrganization,
  isApiPath,
  keyringFromEnv,
  localSecretsKeyring,
  localSessionSecret,
  removeStaleUploads,
  setClientIp,
  startMailSink,
  useLocalMailSink,
} from '@otp-access/api';
import { readDbEnv } from '@otp-access/db';
import { startDatabaseProcess } from '@otp-access/db/database-process';
import next from 'next';
import { getApi } from './api';
import { readWebEnv } from './env';
import { applySecurityHeaders } from './security-headers';

const dev = process.argv.includes('--dev');
const database = await startDatabaseProcess({ seed: 'auto' });
const { DATA_DIR } = readDbEnv();

// Settings the handlers read from the environment: a single-machine install without them gets
// values generated once into the data directory.
process.env.DATABASE_URL = database.connectionString;
const initial = readWebEnv();
if (!initial.SESSION_SECRET) process.env.SESSION_SECRET = (await localSessionSecret(DATA_DIR)).value;
if (!initial.OTP_SECRETS_KEYS) {
  const keyring = await localSecretsKeyring(DATA_DIR);
  process.env.OTP_SECRETS_KEYS = keyring.value;
  if (keyring.created) {
    console.log(
      `Generated an encryption key for delivery secrets in ${path.join(DATA_DIR, 'secrets-keys')}.`,
    );
    console.log('  For production set OTP_SECRETS_KEYS instead (see the README).');
  }
}
// First run: the setup page opens with a token only the operator sees (this log).
const setupTokenGenerated = !initial.SETUP_TOKEN;
if (setupTokenGenerated) process.env.SETUP_TOKEN = generateSetupToken();
const env = readWebEnv();

// Embedded mode sends mail to a local sink, so codes work out of the box (`pnpm mailbox` reads it).
// The same sink is the installation's own mail server (admin sign-in codes, invitations) unless
// ADMIN_MAIL_URL names a real one; `ADMIN_MAIL_URL=local` asks for the sink on any database.
const adminMailLocal = env.ADMIN_MAIL_URL === 'local' || (!env.ADMIN_MAIL_URL && database.embedded);
const mailSink =
  database.embedded || adminMailLocal
    ? await startMailSink({ port: env.MAIL_SINK_PORT, dir: path.join(DATA_DIR, 'mailbox') }).catch(() =>
        startMailSink({ port: 0, dir: path.join(DATA_DIR, 'mailbox') }),
      )
    : undefined;
if (mailSink && adminMailLocal) {
  process.env.ADMIN_MAIL_URL = `smtp://${mailSink.host}:${mailSink.port}?from=no-reply%40otp-access.local`;
} else if (env.ADMIN_MAIL_URL === 'local') {
  delete process.env.ADMIN_MAIL_URL;
}
if (!env.PUBLIC_URL) process.env.PUBLIC_URL = `http://localhost:${env.PORT}`;
// The embedded sink is on loopback, which tenant settings may not reach: the demo space's setting
// points at it, so this one endpoint is allowed (the operator's own mail is not a tenant setting).
const api = getApi(mailSink && database.embedded ? [{ host: mailSink.host, port: mailSink.port }] : []);
// Uploads a crashed process was receiving; a failure here must not stop the server.
void removeStaleUploads(api.storage, new Date()).catch((error: unknown) =>
  console.error('Could not clean up stale uploads:', error),
);
const firstRun = !(await hasAnyOrganization(api.db));
if (!process.env.ADMIN_MAIL_URL) {
  const waiting = await api.db.adminUser.count({ where: { otpType: { in: ['MAIL', 'SMS'] } } });
  if (waiting > 0)
    console.warn(
      `${waiting} admin account(s) get sign-in codes by email, but ADMIN_MAIL_URL is not set: their sign-ins answer 503 until it is.`,
    );
}
if (mailSink && database.embedded) await useLocalMailSink(api.db, keyringFromEnv(), 'demo', mailSink);

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nextApp = next({ dev, dir: appDir, hostname: env.HOST, port: env.PORT });
await nextApp.prepare();
const handlePage = nextApp.getRequestHandler();

const handleApi = getRequestListener(
  (request) => api.handlers.route(request) ?? new Response(null, { status: 404 }),
);

const server = createServer((req, res) => {
  applySecurityHeaders(req, res, { dev, trustProxy: env.TRUST_PROXY === 'true' });
  // Limits key on the client address: ours to set, whatever the client sent.
  setClientIp(req, { trustProxy: env.TRUST_PROXY === 'true' });
  const pathname = (req.url ?? '/').split('?')[0]!;
  if (isApiPath(pathname)) {
    void handleApi(req, res);
  } else {
    void handlePage(req, res);
  }
});

// Next's runtime keeps the process alive on uncaught errors: a port already in use must stop it
// explicitly, or it would run on without serving anything.
server.once('error', (error: NodeJS.ErrnoException) => {
  console.error(`Cannot listen on ${env.HOST}:${env.PORT}: ${error.code ?? error.message}`);
  void Promise.allSettled([mailSink?.stop(), api.close(), database.stop()]).then(() => process.exit(1));
});
server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  console.log(`OTP Access ${dev ? '(development) ' : ''}is running at http://localhost:${port}`);
  console.log(`  REST:   http://localhost:${port}/v1/organizations/<slug>/stores`);
  console.log(`  tRPC:   http://localhost:${port}/api/trpc`);
  console.log(`  Health: http://localhost:${port}/api/health`);
  if (firstRun) {
    console.log('No organization yet. Create the first one and its owner:');
    console.log(`  either open http://localhost:${port}/setup with the setup token`);
    if (setupTokenGenerated) console.log(`  Setup token (shown once): ${env.SETUP_TOKEN}`);
    else console.log('  (the SETUP_TOKEN you set),');
    console.log('  or run `pnpm admin:create-organization --help`.');
  }
  if (database.embedded) console.log(`  Database (embedded): ${database.connectionString}`);
  if (mailSink)
    console.log(
      `  Mail sink (embedded): smtp://${mailSink.host}:${mailSink.port} — read it with \`pnpm mailbox\``,
    );
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing in-flight requests, then exiting…`);
  await closeGracefully(server, {
    graceMs: 15_000,
    cleanup: async () => {
      await mailSink?.stop().catch(() => {});
      await api.close().catch(() => {});
      await database.stop();
    },
  });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
