/**
 * `pnpm bench`: seeds 1M OTP users, starts the production server on a real PostgreSQL, loads it
 * from this process with autocannon, and measures the same PUT against a bare node:http + pg
 * server and pgbench — side by side, in one run. Writes bench/results/latest.json,
 * bench/results/latency.svg and bench/REPORT.md.
 *
 *   pnpm bench [--duration 10] [--users 1000000] [--connections 32] [--fresh]
 *   BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres): the server to use.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { issueStoreCodes, prepareDatabase, sampleUsers, savePgbenchSample, settleDatabase } from './database';
import { type LoadResult, type RequestFactory, runLoad } from './load';
import { runPaced } from './paced';
import { runPgbench } from './pgbench';
import { type ServerProcess, startServer } from './processes';
import {
  type BenchResults,
  machineInfo,
  renderLatencyChart,
  renderReport,
  renderTable,
  type ScenarioResult,
} from './report';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    users: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '32' },
    fresh: { type: 'boolean', default: false },
  },
});
const DURATION = Number(args.duration);
const USERS = Number(args.users);
const CONNECTIONS = Number(args.connections);
const SWEEP = [1, 4, 8, 16, 32, 64];
/** Paced load sent before the half-max latency window starts counting. */
const PACED_WARMUP_SECONDS = 2;

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(benchDir, '..');
const started = Date.now();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// Fixed, bench-only credentials: the database is a throwaway one made by this script.
const DEMO_KEY = 'oa_bench_demo_key_0000000000000000000000000000000';
const OTHER_KEY = 'oa_bench_other_key_000000000000000000000000000000';
const CODE = '424242';
process.env.SESSION_SECRET = 'bench-only-session-secret-0123456789abcdef';
const SECRETS_KEYS = `bench:${Buffer.alloc(32, 9).toString('base64')}`;

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
log(`Preparing the database (${USERS.toLocaleString('en-US')} OTP users) on ${new URL(adminUrl).host}`);
const database = await prepareDatabase({
  adminUrl,
  name: 'otp_access_bench',
  users: USERS,
  fresh: args.fresh,
  apiKeys: { demo: DEMO_KEY, other: OTHER_KEY },
  log,
});
const smallSample = await sampleUsers(database.connectionString, database.small.storeId, 2_000);
const bigSample = await sampleUsers(database.connectionString, database.big.storeId, 30_000);
await savePgbenchSample(
  database.connectionString,
  bigSample.map((user) => user.id),
);
log(`Sampled ${bigSample.length} users of the big store, ${smallSample.length} of the small one`);

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const auth = { authorization: `Bearer ${DEMO_KEY}` };
const otpUsersPath = (slug: string, storeId: string) =>
  `/v1/organizations/${slug}/stores/${storeId}/otp-users`;

const putRequest: RequestFactory = () => ({
  method: 'PUT',
  path: `${otpUsersPath('demo', database.big.storeId)}/${pick(bigSample).id}`,
  headers: auth,
  body: JSON.stringify({ allowedDownloadsNum: Math.floor(Math.random() * 100) }),
});
/** An admin looking a user up by part of the address: the local part, which matches one user. */
const emailSearch = (slug: string, storeId: string, sample: readonly { email: string }[]): RequestFactory => {
  const headers = slug === 'demo' ? auth : { authorization: `Bearer ${OTHER_KEY}` };
  return () => ({
    method: 'GET',
    path: `${otpUsersPath(slug, storeId)}?email=${encodeURIComponent(`${pick(sample).email.split('@')[0]}@`)}&limit=20`,
    headers,
  });
};
const trpcList: RequestFactory = () => ({
  method: 'GET',
  path: `/api/trpc/otpUser.list?input=${encodeURIComponent(
    JSON.stringify({ storeId: database.big.storeId, page: 1 + Math.floor(Math.random() * 50), limit: 20 }),
  )}`,
  headers: auth,
});
let nextCode = 0;
const verifyRequest: RequestFactory = () => {
  const user = bigSample[nextCode++ % bigSample.length]!;
  return {
    method: 'POST',
    path: '/api/trpc/storeAccess.verifyCode',
    // Store visitors come from many addresses; the per-address verify limit is not what this measures.
    headers: { 'x-forwarded-for': `10.${(nextCode >> 16) & 255}.${(nextCode >> 8) & 255}.${nextCode & 255}` },
    body: JSON.stringify({ storeId: database.big.storeId, email: user.email, code: CODE }),
  };
};

async function sweep(server: ServerProcess, name: string, request: RequestFactory): Promise<LoadResult[]> {
  const runs: LoadResult[] = [];
  for (const connections of SWEEP) {
    const result = await runLoad({ url: server.url, connections, durationSeconds: DURATION, request });
    log(
      `${name} @ ${connections} connections: ${result.requestsPerSecond} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors`,
    );
    runs.push(result);
  }
  return runs;
}

/** The max-throughput sweep, then a run at half that rate for the latency target. */
async function putScenario(server: ServerProcess, target: 'app' | 'bare'): Promise<ScenarioResult> {
  await runLoad({ url: server.url, connections: CONNECTIONS, durationSeconds: 3, request: putRequest });
  await settleDatabase(database.connectionString);
  const stopRss = server.sampleRss();
  const runs = await sweep(server, `PUT (${target})`, putRequest);
  const max = Math.max(...runs.map((run) => run.requestsPerSecond));
  await settleDatabase(database.connectionString);
  const half = await runPaced({
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: PACED_WARMUP_SECONDS,
    rate: Math.round(max / 2),
    request: putRequest,
  });
  log(
    `PUT (${target}) at half of max (${Math.round(max / 2)} req/s offered): p50 ${half.p50} ms, p99 ${half.p99} ms`,
  );
  return {
    name: 'REST PUT otp-user',
    target,
    main: runs.find((run) => run.connections === CONNECTIONS) ?? runs.at(-1)!,
    single: runs[0]!,
    max: runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a)),
    sweep: runs,
    halfMax: half,
    peakRssMb: stopRss(),
  };
}

/** One connection (the latency one user feels), then the main load (throughput). */
async function scenario(
  server: ServerProcess,
  name: string,
  request: RequestFactory,
  prepare?: () => Promise<void>,
): Promise<ScenarioResult> {
  await prepare?.();
  await runLoad({ url: server.url, connections: 4, durationSeconds: 2, request });
  const stopRss = server.sampleRss();
  const single = await runLoad({ url: server.url, connections: 1, durationSeconds: DURATION, request });
  log(
    `${name} @ 1 connection: ${single.requestsPerSecond} req/s, p50 ${single.p50} ms, p99 ${single.p99} ms`,
  );
  const main = await runLoad({
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    request,
  });
  log(
    `${name} @ ${CONNECTIONS} connections: ${main.requestsPerSecond} req/s, p50 ${main.p50} ms, p99 ${main.p99} ms, ${main.errors} errors`,
  );
  return {
    name,
    target: 'app',
    main,
    max: main,
    single,
    sweep: [single, main],
    halfMax: null,
    peakRssMb: stopRss(),
  };
}

/** Both email searches start from the same cache: the trigram index loaded, nothing else. */
const prewarmSearch = () =>
  settleDatabase(database.connectionString, { prewarm: ['otp_user_email_trgm_idx'] });

const dataDir = mkdtempSync(path.join(tmpdir(), 'otp-access-bench-'));
const scenarios: ScenarioResult[] = [];
let pgbench: BenchResults['pgbench'];
try {
  log('Starting the bare node:http + pg reference server');
  const bare = await startServer({
    name: 'bare server',
    cwd: benchDir,
    command: [process.execPath, '--import', 'tsx', 'src/bare-server.ts'],
    measure: 'src/bare-server.ts',
    port: 3301,
    env: { DATABASE_URL: database.connectionString },
    readyPath: '/',
    log,
  });
  try {
    scenarios.push(await putScenario(bare, 'bare'));
  } finally {
    await bare.stop();
  }

  log('pgbench on the same two statements');
  await settleDatabase(database.connectionString);
  pgbench = await runPgbench({
    connectionString: database.connectionString,
    keyHash: (await import('@otp-access/db')).hashApiKey(DEMO_KEY),
    storeId: database.big.storeId,
    clients: CONNECTIONS,
    durationSeconds: DURATION,
    sampleSize: bigSample.length,
  });
  log(`pgbench: ${Math.round(pgbench.tps)} tps, average latency ${pgbench.latencyAverageMs} ms`);

  await issueStoreCodes(database.connectionString, database.big.storeId, bigSample, CODE);
  log(`Issued ${bigSample.length.toLocaleString('en-US')} store-login codes for the verify scenario`);

  log('Starting the production server (`pnpm start` without the build step) on the bench database');
  const app = await startServer({
    name: 'app server',
    cwd: path.join(repoRoot, 'apps/web'),
    // Exactly what `pnpm start` runs after the build.
    command: ['pnpm', 'run', 'serve'],
    measure: 'src/server/main.ts',
    port: 3300,
    env: {
      DATABASE_URL: database.connectionString,
      DEMO_API_KEY: DEMO_KEY,
      OTHER_API_KEY: OTHER_KEY,
      SEED_ADMIN_PASSWORD: 'bench-admin-password',
      SESSION_SECRET: process.env.SESSION_SECRET,
      OTP_SECRETS_KEYS: SECRETS_KEYS,
      TRUST_PROXY: 'true',
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
    },
    readyPath: '/api/ready',
    log,
  });
  try {
    scenarios.push(await putScenario(app, 'app'));
    scenarios.push(
      await scenario(
        app,
        'REST list, email filter, 1M users',
        emailSearch('demo', database.big.storeId, bigSample),
        prewarmSearch,
      ),
    );
    scenarios.push(
      await scenario(
        app,
        'REST list, email filter, 10k users',
        emailSearch('other', database.small.storeId, smallSample),
        prewarmSearch,
      ),
    );
    scenarios.push(await scenario(app, 'tRPC otpUser.list, 1M users', trpcList));
    scenarios.push(await scenario(app, 'Store login: verify code', verifyRequest));
  } finally {
    await app.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const results: BenchResults = {
  at: new Date().toISOString(),
  machine: await machineInfo(database.connectionString, repoRoot),
  settings: {
    durationSeconds: DURATION,
    users: USERS,
    connections: CONNECTIONS,
    sweep: SWEEP,
    pacedWarmupSeconds: PACED_WARMUP_SECONDS,
  },
  scenarios,
  pgbench,
};
const resultsDir = path.join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'latency.svg'), renderLatencyChart(results));
writeFileSync(path.join(benchDir, 'REPORT.md'), renderReport(results));
console.log(`\n${renderTable(results)}`);
log('Wrote bench/results/latest.json, bench/results/latency.svg and bench/REPORT.md');
