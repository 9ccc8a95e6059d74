import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { baseURL, E2E, firstRunURL } from './e2e/env';

/**
 * Browser tests: Debian's Chromium drives a production build of the app (`next build`, then the
 * single-process server of `pnpm start`). Without DATABASE_URL the server runs an embedded
 * database in a fresh temporary data directory, so every run starts from the seed; with it (CI),
 * it uses that database with the demo asked for (SEED_DEMO=true), and the tests only touch rows
 * they create. A second server starts in production mode on an empty database of its own, for the
 * first-run setup (e2e/first-run-server.ts).
 */
const isRunner = !process.env.TEST_WORKER_INDEX;
/** A fresh temporary directory for the run, named in `env` so that the test workers find it. */
function runDirectory(env: 'E2E_DATA_DIR' | 'E2E_FIRST_RUN_DIR', prefix: string): string | undefined {
  if (process.env[env] || !isRunner) return process.env[env];
  const created = mkdtempSync(path.join(tmpdir(), prefix));
  process.env[env] = created;
  process.on('exit', () => rmSync(created, { recursive: true, force: true }));
  return created;
}
// The test workers read the mailbox in the data directory, and the setup token from the server log
// in the first-run one.
const dataDir = runDirectory('E2E_DATA_DIR', 'otp-access-e2e-');
const firstRunDir = runDirectory('E2E_FIRST_RUN_DIR', 'otp-access-e2e-first-run-');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // One server on a 2-core machine: tests run one after another, each in a fresh browser context.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1000, height: 700 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      // E2E_SKIP_BUILD=1 reuses the last build while iterating on tests. The build goes through
      // turbo, so a build `pnpm start` just made (same sources) is reused.
      command:
        process.env.E2E_SKIP_BUILD === '1'
          ? 'pnpm run serve'
          : 'pnpm --dir ../.. exec turbo run build --filter=@otp-access/web... --output-logs=errors-only && pnpm run serve',
      url: `${baseURL}/api/health`,
      timeout: 10 * 60_000,
      reuseExistingServer: false,
      stdout: process.env.E2E_SERVER_LOG === '1' ? 'pipe' : 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      env: {
        PORT: String(E2E.port),
        HOST: '127.0.0.1',
        ...(dataDir ? { DATA_DIR: dataDir } : {}),
        SEED_ADMIN_PASSWORD: E2E.ownerPassword,
        DEMO_API_KEY: E2E.demoApiKey,
        OTHER_API_KEY: E2E.otherApiKey,
        SEED_DEMO: 'true',
        MAIL_SINK_PORT: '0',
        // The installation's mail (admin codes, invitations) lands in the data directory's mailbox,
        // where the tests read it, on the embedded database and on DATABASE_URL alike.
        ADMIN_MAIL_URL: 'local',
        // Every test signs in from 127.0.0.1.
        LOGIN_MAX_PER_IP: '100000',
        // The tests' mail servers listen on loopback, which tenant settings may not reach by default.
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        // As behind a TLS-terminating proxy: the cookie test sends its X-Forwarded-Proto. (Without
        // TRUST_PROXY forwarding headers are dropped; the API's reliability suite tests that.)
        TRUST_PROXY: 'true',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
    {
      command: 'node --import tsx e2e/first-run-server.ts',
      url: `${firstRunURL}/api/health`,
      timeout: 3 * 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      env: {
        PORT: String(E2E.firstRunPort),
        HOST: '127.0.0.1',
        ...(firstRunDir
          ? { DATA_DIR: firstRunDir, E2E_FIRST_RUN_LOG: path.join(firstRunDir, 'server.log') }
          : {}),
        MAIL_SINK_PORT: '0',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
