/**
 * `pnpm start` / `pnpm dev`: provisions the database (DATABASE_URL, or the embedded one with demo
 * data), then serves everything from one node:http server. API paths go straight to the
 * framework-free handlers; every other path is a Next.js page.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { readDbEnv } from '@otp-access/db';
import { provisionDatabase } from '@otp-access/db/provision';
import next from 'next';

const dev = process.argv.includes('--dev');
const database = await provisionDatabase({ seed: true });
process.env.DATABASE_URL = database.connectionString;
process.env.SESSION_SECRET ??= await localSessionSecret();

// Imported after DATABASE_URL is known: env.ts reads it once.
const { env } = await import('./env');
const { getApi } = await import('./api');
const { SESSION_PATHS } = await import('@otp-access/api');
const api = getApi();

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nextApp = next({ dev, dir: appDir, hostname: env.HOST, port: env.PORT });
await nextApp.prepare();
const handlePage = nextApp.getRequestHandler();

/**
 * Without SESSION_SECRET (a single-machine install), a secret is generated once into the data
 * directory so sessions survive restarts. Several instances must share one SESSION_SECRET.
 */
async function localSessionSecret(): Promise<string> {
  const file = path.join(readDbEnv().DATA_DIR, 'session-secret');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing && existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  console.log(`Generated a session secret in ${file} (set SESSION_SECRET to share one between instances).`);
  return secret;
}

const handleApi = getRequestListener(
  (request) => api.handlers.route(request) ?? new Response(null, { status: 404 }),
);

const isApiPath = (pathname: string) =>
  pathname === '/v1' ||
  pathname.startsWith('/v1/') ||
  pathname.startsWith('/api/trpc') ||
  pathname === '/api/health' ||
  (SESSION_PATHS as readonly string[]).includes(pathname);

const server = createServer((req, res) => {
  const pathname = (req.url ?? '/').split('?')[0]!;
  if (isApiPath(pathname)) {
    void handleApi(req, res);
  } else {
    void handlePage(req, res);
  }
});

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  console.log(`OTP Access ${dev ? '(development) ' : ''}is running at http://localhost:${port}`);
  console.log(`  REST:   http://localhost:${port}/v1/organizations/demo/stores`);
  console.log(`  tRPC:   http://localhost:${port}/api/trpc`);
  console.log(`  Health: http://localhost:${port}/api/health`);
  if (database.embedded) console.log(`  Database (embedded): ${database.connectionString}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, shutting down…`);
  server.close();
  server.closeIdleConnections();
  await api.db.$disconnect().catch(() => {});
  await database.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
