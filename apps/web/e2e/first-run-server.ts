/**
 * The browser tests' second server: a production start (`DATABASE_URL` set) on an empty
 * database of its own — a new database on the test server, or a fresh in-memory PostgreSQL — so
 * the first-run setup can be tested beside the demo server. Its output also goes to
 * E2E_FIRST_RUN_LOG, where the test reads the setup token as an operator would.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createScratchDatabase } from '@otp-access/db/testing';

const logPath = process.env.E2E_FIRST_RUN_LOG;
if (!logPath) throw new Error('Set E2E_FIRST_RUN_LOG: the file the server log is copied to.');

// Started as `pnpm start` starts it: apps/web's `serve` script (the compiled server), run directly.
const serve = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { serve: string } }).scripts
  .serve;
const [program, ...args] = serve.split(/\s+/);
if (program !== 'node') throw new Error(`apps/web's serve script is no longer "node …": ${serve}`);

const scratch = await createScratchDatabase();
const log = createWriteStream(logPath);
const server = spawn(process.execPath, args, {
  env: { ...process.env, DATABASE_URL: scratch.connectionString },
  stdio: ['ignore', 'pipe', 'inherit'],
});
server.stdout.pipe(log);
server.stdout.pipe(process.stdout);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const code = await new Promise<number>((resolve) => server.on('exit', (exitCode) => resolve(exitCode ?? 1)));
log.end();
await scratch.drop().catch((error: unknown) => console.error(error));
process.exit(code);
