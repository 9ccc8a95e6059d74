/**
 * `pnpm start` (compiled to dist/server/main.js by the build) / `pnpm dev` (through tsx): reads
 * the environment once, starts the API (`startApi`: the database, DATABASE_URL or the embedded
 * one with demo data, in a process of its own; secrets; the mail sink), then serves everything
 * from one node:http server. API paths go straight to the framework-free handlers;
 * every other path is a Next.js page.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeGracefully, createNodeListener, startApi } from '@otp-access/api';
import next from 'next';
import { setApi } from './api';
import { readServerEnv } from './env';
import { keepNativeClock } from './native-clock';
import { createRequestHandler } from './request-handler';

const dev = process.argv.includes('--dev');
const env = readServerEnv();
const api = await startApi(env, { publicUrl: `http://localhost:${env.PORT}` });
setApi(api);
const { database, mailSink } = api;

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const restoreNativeClock = keepNativeClock();
const nextApp = next({ dev, dir: appDir, hostname: env.HOST, port: env.PORT });
await nextApp.prepare();
restoreNativeClock();
const handlePage = nextApp.getRequestHandler();

const handleApi = createNodeListener(api.handlers.route);

const server = createServer(
  createRequestHandler({ dev, trustProxy: env.TRUST_PROXY === 'true', handleApi, handlePage }),
);

// Next's runtime keeps the process alive on uncaught errors: a port already in use must stop it
// explicitly, or it would run on without serving anything.
server.once('error', (error: NodeJS.ErrnoException) => {
  console.error(`Cannot listen on ${env.HOST}:${env.PORT}: ${error.code ?? error.message}`);
  void api.close().finally(() => process.exit(1));
});
server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  console.log(`OTP Access ${dev ? '(development) ' : ''}is running at http://localhost:${port}`);
  console.log(`  REST:   http://localhost:${port}/v1/organizations/<slug>/stores`);
  console.log(`  tRPC:   http://localhost:${port}/api/trpc`);
  console.log(`  Health: http://localhost:${port}/api/health`);
  if (api.firstRun) {
    console.log('No organization yet. Create the first one and its owner:');
    console.log(`  either open http://localhost:${port}/setup with the setup token`);
    if (api.setupToken.generated) console.log(`  Setup token (shown once): ${api.setupToken.value}`);
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
    cleanup: () => api.close(),
  });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
