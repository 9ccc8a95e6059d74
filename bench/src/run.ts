/**
 * `pnpm bench`: seeds 1M OTP users, starts the production server and the bare node:http + pg
 * references on a real PostgreSQL, and loads them from this process in interleaved windows
 * (app, bare, app, bare, …), so both meet the same machine at nearly the same time. Writes
 * bench/results/latest.json (the run before it becomes previous.json), bench/results/latency.svg
 * and bench/REPORT.md.
 *
 *   pnpm bench [--windows 5] [--duration 10] [--users 1000000] [--connections 32]
 *              [--sweep 1,4,8,16,32,64] [--only put,get,...] [--port 3300] [--fresh]
 *              [--downloads 1,8,32] [--upload-connections 1] [--build-mb 100] [--starts 5] [--pool 10]
 *              [--api-alone]
 *   --api-alone: the API without Next in its process (api-alone.ts) stands in for the production
 *   server, to measure what the pages' share of the process costs the API (the report says so).
 *   pnpm bench --prepare-only: seeds the database (or finds it seeded) and stops.
 *   BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres): the server to use.
 *   BENCH_DATABASE_NAME (default otp_access_bench): the database the harness makes there.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deriveKey, sessionConfigFromEnv } from '@otp-access/api';
import { deleteBuilds, downloadHash, makeBuildFile, prepareBuilds } from './builds';
import {
  adminUrl,
  appEnv,
  benchDir,
  CODE,
  DEMO_KEY,
  databaseName,
  OTHER_KEY,
  repoRoot,
  SESSION_SECRET,
} from './config';
import {
  databaseState,
  issueStoreCodes,
  prepareDatabase,
  resetDatabase,
  sampleUsers,
  savePgbenchSample,
  settleDatabase,
} from './database';
import { type LoadResult, type RequestFactory, runLoad } from './load';
import { runPaced, runSingle } from './paced';
import { runPgbench } from './pgbench';
import type { ServerProcess } from './processes';
import { cpuSeconds, rssMb } from './processes';
import { summarizeProfile } from './profile';
import {
  type BenchResults,
  type BuildResults,
  loadResults,
  machineInfo,
  median,
  readFindings,
  renderLatencyChart,
  renderReport,
  renderTable,
  SCENARIOS,
  type ScenarioId,
  type ScenarioResult,
} from './report';
import { benchRequests } from './requests';
import {
  type AppServer,
  type AppStart,
  measureAppStarts,
  type ProbedServer,
  type ProbeWindow,
  startApp,
  startBare,
  startBareFiles,
} from './servers';
import { runDownloads, runUploads, type ServerMeter, type TransferResult } from './transfer';

const { values: args } = parseArgs({
  options: {
    windows: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    users: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '32' },
    sweep: { type: 'string', default: '1,4,8,16,32,64' },
    only: { type: 'string' },
    port: { type: 'string', default: '3300' },
    fresh: { type: 'boolean', default: false },
    'prepare-only': { type: 'boolean', default: false },
    downloads: { type: 'string', default: '1,8,32' },
    'upload-connections': { type: 'string', default: '1' },
    'build-mb': { type: 'string', default: '100' },
    starts: { type: 'string', default: '5' },
    pool: { type: 'string', default: '10' },
    'api-alone': { type: 'boolean', default: false },
  },
});
const WINDOWS = Number(args.windows);
const DURATION = Number(args.duration);
const USERS = Number(args.users);
const CONNECTIONS = Number(args.connections);
const SWEEP = args.sweep.split(',').map(Number);
const PORT = Number(args.port);
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const DOWNLOADS = args.downloads.split(',').map(Number);
const UPLOAD_CONNECTIONS = Number(args['upload-connections']);
const BUILD_MB = Number(args['build-mb']);
const STARTS = Number(args.starts);
/** Database connections per pool, the same for both servers (the app's DATABASE_POOL_MAX). */
const POOL = Number(args.pool);
const numbers: [string, number][] = [
  ['windows', WINDOWS],
  ['duration', DURATION],
  ['users', USERS],
  ['connections', CONNECTIONS],
  ['port', PORT],
  ['upload-connections', UPLOAD_CONNECTIONS],
  ['build-mb', BUILD_MB],
  ['starts', STARTS],
  ['pool', POOL],
  ...DOWNLOADS.map((value): [string, number] => ['downloads', value]),
  ...SWEEP.map((value): [string, number] => ['sweep', value]),
];
for (const [name, value] of numbers)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: a positive integer is expected`);
if (ONLY) {
  const unknown = [...ONLY].filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length)
    throw new Error(`--only: unknown ${unknown.join(', ')} (${SCENARIOS.map((s) => s.id).join(', ')})`);
}
const wanted = (id: ScenarioId) => !ONLY || ONLY.has(id);
/** Connections of the allowance-sort throughput windows (see where it runs). */
const SORT_CONNECTIONS = 4;
/** Paced load sent before the half-max latency window starts counting. */
const PACED_WARMUP_SECONDS = 2;
/**
 * Unmeasured load on each server before a scenario's first window. At 2 s the app's first window
 * was still its slowest (GET at one connection: 1,135 against 1,404–1,534 req/s in the other four),
 * its code not yet warm, and that one window moved the median between runs.
 */
const WARMUP_SECONDS = 5;

const started = Date.now();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

log(
  `Preparing the database ${databaseName} (${USERS.toLocaleString('en-US')} OTP users) on ${new URL(adminUrl).host}`,
);
const database = await prepareDatabase({
  adminUrl,
  name: databaseName,
  users: USERS,
  fresh: args.fresh,
  apiKeys: { demo: DEMO_KEY, other: OTHER_KEY },
  log,
});
const db = database.connectionString;
if (args['prepare-only']) {
  log(
    `Prepared ${databaseName} in ${((Date.now() - started) / 1000).toFixed(0)} s; --prepare-only: nothing else runs`,
  );
  process.exit(0);
}
const smallSample = await sampleUsers(db, database.small.storeId, 2_000);
const bigSample = await sampleUsers(db, database.big.storeId, 30_000);
await savePgbenchSample(
  db,
  bigSample.map((user) => user.id),
);
const requests = benchRequests(database, bigSample, smallSample);
log(`Sampled ${bigSample.length} users of the big store, ${smallSample.length} of the small one`);

log('Resetting the database to its known state (leftovers of earlier runs removed, VACUUM FULL, CHECKPOINT)');
await resetDatabase(db);
const stateBefore = await databaseState(db);
const pgbench = () =>
  runPgbench({
    connectionString: db,
    storeId: database.big.storeId,
    organizationId: database.big.organizationId,
    clients: CONNECTIONS,
    durationSeconds: DURATION,
    sampleSize: bigSample.length,
  });
const pgbenchBefore = await pgbench();
log(
  `pgbench before: ${Math.round(pgbenchBefore.tps)} tps, average latency ${pgbenchBefore.latencyAverageMs} ms`,
);
await settleDatabase(db);

const session = sessionConfigFromEnv({ SESSION_SECRET });
const dataDir = mkdtempSync(path.join(tmpdir(), 'otp-access-bench-'));
const scenarios: ScenarioResult[] = [];
let put: BenchResults['put'] = null;
let app: AppServer | undefined;
let bare: ProbedServer | undefined;
let files: ServerProcess | undefined;
let builds: BuildResults | null = null;
let readProfile: BenchResults['readProfile'] = null;
let startup: AppStart[] | null = null;

type Target = 'app' | 'bare';
const servers = () => ({ app: app!, bare: bare! });

interface WindowPlan {
  connections: (target: Target) => number;
  /** Runs before every window (both servers'), e.g. a settle or fresh codes. */
  before?: () => Promise<void>;
  /** Fixed offered rate (open loop) instead of closed-loop connections. */
  rate?: number;
}

type Probes = Record<Target, ProbeWindow[]>;

/** One window of `target`: a closed-loop autocannon run, or a paced run at a fixed rate. */
async function window(target: Target, request: RequestFactory, plan: WindowPlan, probes?: Probes) {
  const server = servers()[target];
  await plan.before?.();
  if (plan.rate) {
    const result = await runPaced({
      url: server.url,
      rate: plan.rate,
      connections: plan.connections(target),
      durationSeconds: DURATION,
      warmupSeconds: PACED_WARMUP_SECONDS,
      request,
      onCounting: probes ? () => server.openWindow() : undefined,
    });
    if (probes) probes[target].push(await server.closeWindow());
    return result;
  }
  if (probes) server.openWindow();
  const connections = plan.connections(target);
  const result =
    connections === 1
      ? await runSingle({ url: server.url, durationSeconds: DURATION, request })
      : await runLoad({ url: server.url, connections, durationSeconds: DURATION, request });
  if (probes) probes[target].push(await server.closeWindow());
  return result;
}

const describe = (r: LoadResult) =>
  `${r.requestsPerSecond} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors ? `, ${r.errors} ERRORS` : ''}`;

/** `WINDOWS` windows of each server, interleaved: app, bare, app, bare, … */
async function interleaved(label: string, request: RequestFactory, plan: WindowPlan, probes?: Probes) {
  const runs: Record<Target, LoadResult[]> = { app: [], bare: [] };
  for (let i = 0; i < WINDOWS; i++) {
    for (const target of ['app', 'bare'] as const) {
      const result = await window(target, request, plan, probes);
      runs[target].push(result);
      log(
        `${label} ${target} ${i + 1}/${WINDOWS} @ ${plan.rate ? `${plan.rate} req/s` : `${plan.connections(target)} conn`}: ${describe(result)}`,
      );
    }
  }
  return runs;
}

/** Both servers loaded briefly before their first counted window: JIT, pools, caches. */
async function warmUp(request: RequestFactory, connections: number, before?: () => Promise<void>) {
  for (const target of ['app', 'bare'] as const) {
    await before?.();
    await runLoad({ url: servers()[target].url, connections, durationSeconds: WARMUP_SECONDS, request });
  }
}

/** Peak RSS of both servers over `run`. */
async function withRss<T>(run: () => Promise<T>): Promise<[T, { app: number; bare: number }]> {
  const stopApp = app!.sampleRss();
  const stopBare = bare!.sampleRss();
  const result = await run();
  return [result, { app: stopApp(), bare: stopBare() }];
}

async function putScenario(): Promise<NonNullable<BenchResults['put']>> {
  const settle = () => settleDatabase(db);
  await warmUp(requests.put, CONNECTIONS, settle);
  const [measured, peakRssMb] = await withRss(async () => {
    // The sweep finds each server's best connection count (and draws the chart): one window per
    // step, app then bare.
    const sweep: NonNullable<BenchResults['put']>['sweep'] = [];
    for (const connections of SWEEP) {
      const step = {
        connections,
        app: undefined as unknown as LoadResult,
        bare: undefined as unknown as LoadResult,
      };
      for (const target of ['app', 'bare'] as const) {
        step[target] = await window(target, requests.put, { connections: () => connections, before: settle });
        log(`PUT sweep ${target} @ ${connections} conn: ${describe(step[target])}`);
      }
      sweep.push(step);
    }
    const best = (target: Target) =>
      sweep.reduce((a, b) => (b[target].requestsPerSecond > a[target].requestsPerSecond ? b : a)).connections;
    const bestConnections = { app: best('app'), bare: best('bare') };
    const max = await interleaved('PUT max', requests.put, {
      connections: (target) => bestConnections[target],
      before: settle,
    });
    // Both servers at the same offered rate: half of what the app sustains.
    const halfRate = Math.max(1, Math.round(median(max.app.map((r) => r.requestsPerSecond)) / 2));
    const probes: Probes = { app: [], bare: [] };
    const half = await interleaved(
      'PUT half',
      requests.put,
      { connections: () => CONNECTIONS, rate: halfRate, before: settle },
      probes,
    );
    return { sweep, bestConnections, max, halfRate, half, probes };
  });
  scenarios.push({
    id: 'put',
    connections: measured.bestConnections,
    app: measured.max.app,
    bare: measured.max.bare,
    single: null,
    peakRssMb,
  });
  return {
    sweep: measured.sweep,
    halfRate: measured.halfRate,
    half: measured.half,
    probes: measured.probes.app,
    bareProbes: measured.probes.bare,
    profile: null,
  };
}

/**
 * Runs `load` in a profiled window of the app's own, after every scenario: the profiler's cost
 * (and the memory its profile takes) stays out of every figure.
 */
async function profiledWindow<T>(label: string, load: () => Promise<T>) {
  app!.openWindow({ profile: true });
  const result = await load();
  const profiled = await app!.closeWindow();
  const profile = profiled.profile ? summarizeProfile(profiled.profile) : null;
  log(
    `CPU profile of the app ${label}: ${profile?.groups
      .slice(0, 5)
      .map((g) => `${g.group} ${g.share}%`)
      .join(', ')}`,
  );
  return { result, profile };
}

/** The PUT at the half-load rate: where the app's tail comes from. */
async function profilePut(rate: number) {
  await settleDatabase(db);
  const { profile } = await profiledWindow(`at ${rate} req/s`, () =>
    runPaced({
      url: app!.url,
      rate,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      request: requests.put,
    }),
  );
  return profile;
}

/**
 * GET one OTP user at the main connection count: the read where both servers send one statement,
 * so what the app spends beyond the bare server shows as its own stack.
 */
async function profileRead(request: RequestFactory): Promise<BenchResults['readProfile']> {
  const { result, profile } = await profiledWindow(`serving GET one user @${CONNECTIONS}`, () =>
    runLoad({ url: app!.url, connections: CONNECTIONS, durationSeconds: DURATION, request }),
  );
  return profile && { ...profile, connections: CONNECTIONS, requestsPerSecond: result.requestsPerSecond };
}

/** Throughput at the main connection count, and the latency of one connection, interleaved. */
async function readScenario(
  id: ScenarioId,
  request: RequestFactory,
  before?: () => Promise<void>,
  connections = CONNECTIONS,
) {
  await warmUp(request, Math.min(4, connections), before);
  const [runs, peakRssMb] = await withRss(async () => ({
    single: await interleaved(`${id} @1`, request, { connections: () => 1, ...(before ? { before } : {}) }),
    main: await interleaved(id, request, { connections: () => connections, ...(before ? { before } : {}) }),
  }));
  scenarios.push({
    id,
    connections: { app: connections, bare: connections },
    app: runs.main.app,
    bare: runs.main.bare,
    single: runs.single,
    peakRssMb,
  });
}

/**
 * Both email searches start from the same cache: the trigram index in shared buffers, and the
 * users' table in the OS page cache. Without the table, the searches' windows rose one after
 * another, app and bare alike (1M @ 1: 250 → 361 req/s), as their rows came into the cache.
 */
const prewarmSearch = () =>
  settleDatabase(db, { pageCache: ['otp_user'], prewarm: ['otp_user_email_trgm_idx'] });
/** A fresh, unused code for every sampled user before each verify window. */
const freshCodes = async () => {
  await issueStoreCodes(db, database.big.storeId, bigSample, CODE, SESSION_SECRET);
  requests.resetCodes();
  await settleDatabase(db);
};

/** CPU time and memory of a server process, read by the build scenarios around each window. */
const meter = (server: ServerProcess): ServerMeter => ({
  cpuSeconds: () => cpuSeconds(server.pid),
  rssMb: () => rssMb(server.pid),
  sampleRss: () => server.sampleRss(),
});

const describeTransfer = (r: TransferResult) =>
  `${r.mibPerSecond} MiB/s, ${r.completed} whole, ${r.cpuSecondsPerGiB} CPU s/GiB, RSS ${r.rssBeforeMb} → ${r.rssPeakMb} MB${r.errors ? `, ${r.errors} ERRORS` : ''}`;

/**
 * Downloads (at each of DOWNLOADS connections) and uploads of one BUILD_MB build, app and bare
 * file server interleaved. The build is uploaded and published through the API first, and every
 * download connection is an OTP user of its own, signed in to the store with a code.
 */
async function buildScenarios(): Promise<BuildResults> {
  const { file } = await makeBuildFile(dataDir, BUILD_MB);
  const setup = await prepareBuilds({
    appUrl: app!.url,
    database,
    dataDir,
    file,
    users: Math.max(...DOWNLOADS),
    log,
  });
  files = await startBareFiles({
    port: PORT + 2,
    file: setup.storedFile,
    uploadDir: path.join(dataDir, 'bare-uploads'),
    log,
  });
  // Both serve the build byte for byte (and both have read it once before the first window).
  const served = {
    app: await downloadHash(`${app!.url}${setup.downloadPath}`, { cookie: setup.cookies[0]! }),
    bare: await downloadHash(`${files.url}/file`, {}),
  };
  if (served.app !== setup.sha256 || served.bare !== setup.sha256)
    throw new Error(
      `A server sent other bytes than the build: ${JSON.stringify({ ...served, build: setup.sha256 })}`,
    );

  const results: BuildResults = { sizeBytes: setup.size, downloads: [], uploads: null };
  // Each connection is one OTP user, signed in with a cookie of its own.
  const appDownloads = (connections: number) =>
    runDownloads({
      url: app!.url,
      path: setup.downloadPath,
      headers: (connection) => ({ cookie: setup.cookies[connection % setup.cookies.length]! }),
      connections,
      durationSeconds: DURATION,
      meter: meter(app!),
    });
  if (wanted('download')) {
    for (const connections of DOWNLOADS) {
      const step = { connections, app: [] as TransferResult[], bare: [] as TransferResult[] };
      for (let i = 0; i < WINDOWS; i++) {
        step.app.push(await appDownloads(connections));
        log(`download @${connections} app ${i + 1}/${WINDOWS}: ${describeTransfer(step.app.at(-1)!)}`);
        step.bare.push(
          await runDownloads({
            url: files.url,
            path: '/file',
            headers: () => ({}),
            connections,
            durationSeconds: DURATION,
            meter: meter(files),
          }),
        );
        log(`download @${connections} bare ${i + 1}/${WINDOWS}: ${describeTransfer(step.bare.at(-1)!)}`);
      }
      results.downloads.push(step);
    }
    // Where the app's time goes while it streams: one more window of its own (not among the
    // counted ones: the profiler costs time), at 8 connections where the list has it.
    const connections = DOWNLOADS.includes(8) ? 8 : DOWNLOADS[0]!;
    app!.openWindow({ profile: true });
    await appDownloads(connections);
    const profiled = await app!.closeWindow();
    results.downloadProfile = profiled.profile
      ? {
          connections,
          gc: profiled.gc,
          heapUsedMb: profiled.heapUsedMb,
          ...summarizeProfile(profiled.profile),
        }
      : null;
    log(
      `CPU profile of the app downloading @${connections}: ${results.downloadProfile?.groups
        .slice(0, 5)
        .map((g) => `${g.group} ${g.share}%`)
        .join(
          ', ',
        )}; GC ${profiled.gc.count} pauses, ${Math.round(profiled.gc.totalMs)} ms; heap used ${profiled.heapUsedMb} MB`,
    );
  }
  if (wanted('upload')) {
    const step = {
      connections: UPLOAD_CONNECTIONS,
      app: [] as TransferResult[],
      bare: [] as TransferResult[],
    };
    for (let i = 0; i < WINDOWS; i++) {
      const appRun = await runUploads({
        url: app!.url,
        path: setup.buildsPath,
        headers: { authorization: `Bearer ${DEMO_KEY}` },
        file,
        connections: UPLOAD_CONNECTIONS,
        durationSeconds: DURATION,
        meter: meter(app!),
        answer: (json) => (json as { data?: { id?: string } }).data?.id,
      });
      step.app.push(appRun);
      log(`upload @${UPLOAD_CONNECTIONS} app ${i + 1}/${WINDOWS}: ${describeTransfer(appRun)}`);
      // Not in the window: the builds it stored go again, through the API (their files too).
      await deleteBuilds(app!.url, setup.buildsPath, appRun.answers);
      step.bare.push(
        await runUploads({
          url: files.url,
          path: '/upload',
          headers: {},
          file,
          connections: UPLOAD_CONNECTIONS,
          durationSeconds: DURATION,
          meter: meter(files),
          answer: () => undefined,
        }),
      );
      log(`upload @${UPLOAD_CONNECTIONS} bare ${i + 1}/${WINDOWS}: ${describeTransfer(step.bare.at(-1)!)}`);
    }
    results.uploads = step;
  }
  return results;
}

try {
  if (wanted('startup')) {
    log(`Starting the app ${STARTS} times in a row (start-up time and idle memory)`);
    startup = await measureAppStarts({
      count: STARTS,
      port: PORT,
      env: appEnv(db, dataDir),
      idleSeconds: 2,
      log,
    });
  }
  log('Starting the bare node:http + pg reference server and the production server, side by side');
  bare = await startBare({
    port: PORT + 1,
    connectionString: db,
    env: {
      BARE_CODE_KEY: Buffer.from(deriveKey(session, 'otp-code')).toString('hex'),
      BARE_SESSION_KEY: Buffer.from(deriveKey(session, 'store-session')).toString('hex'),
      POOL_MAX: String(POOL),
    },
    probeDir: path.join(dataDir, 'bare-probe'),
    log,
  });
  app = await startApp({
    port: PORT,
    env: { ...appEnv(db, dataDir), DATABASE_POOL_MAX: String(POOL) },
    probeDir: path.join(dataDir, 'probe'),
    log,
    alone: args['api-alone'],
  });

  if (wanted('put')) put = await putScenario();
  if (wanted('get')) await readScenario('get', requests.getOne);
  if (wanted('search-1m')) await readScenario('search-1m', requests.emailSearchBig, prewarmSearch);
  if (wanted('search-10k')) await readScenario('search-10k', requests.emailSearchSmall, prewarmSearch);
  if (wanted('list')) await readScenario('list', requests.listPage);
  if (wanted('verify')) await readScenario('verify', requests.verify, freshCodes);
  // Without an index for the order, every page sorts the whole store (about a second of CPU
  // at 1M users): more connections would only queue past the load generator's 10 s timeout.
  if (wanted('sort-allowance'))
    await readScenario(
      'sort-allowance',
      requests.sortAllowance,
      undefined,
      Math.min(CONNECTIONS, SORT_CONNECTIONS),
    );
  if (wanted('download') || wanted('upload')) builds = await buildScenarios();
  if (put) put.profile = await profilePut(put.halfRate);
  if (wanted('get')) readProfile = await profileRead(requests.getOne);
} finally {
  await app?.stop();
  await bare?.stop();
  await files?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const stateAfter = await databaseState(db);
const pgbenchAfter = await pgbench();
log(
  `pgbench after: ${Math.round(pgbenchAfter.tps)} tps, average latency ${pgbenchAfter.latencyAverageMs} ms`,
);

const results: BenchResults = {
  version: 2,
  at: new Date().toISOString(),
  machine: await machineInfo(db, repoRoot),
  settings: {
    windows: WINDOWS,
    durationSeconds: DURATION,
    users: USERS,
    connections: CONNECTIONS,
    sweep: SWEEP,
    pacedWarmupSeconds: PACED_WARMUP_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    poolSize: POOL,
    only: ONLY ? [...ONLY] : null,
    downloads: DOWNLOADS,
    uploadConnections: UPLOAD_CONNECTIONS,
    buildMb: BUILD_MB,
    starts: STARTS,
    appServer: args['api-alone'] ? 'api-alone' : 'production',
  },
  database: { before: stateBefore, after: stateAfter },
  pgbench: { before: pgbenchBefore, after: pgbenchAfter },
  scenarios,
  put,
  readProfile,
  builds,
  startup,
};
const resultsDir = path.join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const latest = path.join(resultsDir, 'latest.json');
const previousFile = path.join(resultsDir, 'previous.json');
// The run before this one stays beside it: the report sets both runs' ratios side by side.
if (existsSync(latest)) copyFileSync(latest, previousFile);
writeFileSync(latest, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'latency.svg'), renderLatencyChart(results));
writeFileSync(
  path.join(benchDir, 'REPORT.md'),
  renderReport(results, loadResults(previousFile), readFindings()),
);
console.log(`\n${renderTable(results)}`);
log(
  'Wrote bench/results/latest.json (the run before it: previous.json), results/latency.svg and bench/REPORT.md',
);
