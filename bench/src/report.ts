import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { latencyChart } from './chart';
import type { TableState } from './database';
import type { LoadResult } from './load';
import type { PgbenchResult } from './pgbench';
import type { ProfileSummary } from './profile';
import type { AppStart, ProbeWindow } from './servers';
import type { TransferResult } from './transfer';

/**
 * The scenario list, in report order. Every scenario runs against the app and against its bare
 * node:http + pg reference (bare-server.ts), interleaved; `ratio` is the target for the app's
 * throughput over the reference's.
 */
export const SCENARIOS = [
  {
    id: 'put',
    name: 'REST PUT otp-user',
    request:
      '`PUT /v1/organizations/demo/stores/{store}/otp-users/{random of 30k sampled users}` with a new `allowedDownloadsNum`',
    reference:
      'updateOtpUser: the same single statement (lock, update, audit row), the API key cached as the app caches it',
    ratio: 0.9,
  },
  {
    id: 'get',
    name: 'REST GET one OTP user',
    request: '`GET /v1/organizations/demo/stores/{store}/otp-users/{random sampled user}`',
    reference: "getOtpUser: Prisma's findFirst statement; what is left is the framework's cost",
    ratio: 0.85,
  },
  {
    id: 'search-1m',
    name: 'REST list, email filter, 1M users',
    request: '`GET …/otp-users?email=<local part>@&limit=20` (one matching user, exact total)',
    reference: 'listOtpUsers → findStoreInOrganization + searchOtpUsersByEmail',
    ratio: 0.8,
  },
  {
    id: 'search-10k',
    name: 'REST list, email filter, 10k users',
    request: 'the same search in the other organization’s 10k-user store',
    reference: 'listOtpUsers → findStoreInOrganization + searchOtpUsersByEmail',
    ratio: 0.8,
  },
  {
    id: 'list',
    name: 'tRPC otpUser.list, unfiltered page',
    request: '`GET /api/trpc/otpUser.list` a random page 1–50 of 20 users, 1M-user store',
    reference:
      "listOtpUsers → findStoreInOrganization + Prisma's findMany page (total from the store's counter)",
    ratio: 0.8,
  },
  {
    id: 'verify',
    name: 'Store login: verify code',
    request:
      '`POST /api/trpc/storeAccess.verifyCode` with a real, unused code per request (issued before each window as the app stores them), each from its own client address',
    reference:
      'verifyStoreCode: the verify-per-IP limit upsert, verifyCode’s find / claim / consume, lastLoginDate, the session JWT',
    ratio: 0.8,
  },
  {
    id: 'sort-allowance',
    name: 'REST list sorted by allowance, 1M users',
    request:
      '`GET …/otp-users?sort=allowedDownloadsNum:asc|desc&page=<1–50>&limit=20` (either direction at random), at 4 connections (without an index for the order each page sorts the whole store; more would queue past the 10 s timeout)',
    reference:
      'listOtpUsers → findStoreInOrganization + the hand-written page ordered by `(allowed_downloads_num < 0)`, allowance, id (unlimited ranks above every number)',
    ratio: 0.8,
  },
  {
    id: 'download',
    name: 'Store download of a build',
    request:
      '`GET /api/store/{store}/apps/{app}/download` of the published build (uploaded through the API), each connection an OTP user of its own signed in with a code, unlimited allowance; every download counted',
    reference:
      '`src/bare-file-server.ts`: `fs.createReadStream` of the same stored file, no session, no database',
    ratio: 0.9,
  },
  {
    id: 'upload',
    name: 'REST upload of a build',
    request:
      '`POST …/published-applications/{app}/builds` with the API key, the build as `curl -F file=@…` sends it (streamed from disk); the builds are deleted through the API after each window',
    reference:
      '`src/bare-file-server.ts`: the same request body hashed (SHA-256) on its way to a temporary file on the same disk',
    ratio: null,
  },
  {
    id: 'startup',
    name: 'App start-up',
    request:
      'the production server started again and again on the bench database until `/api/health` answers',
    reference: 'none (a figure of its own)',
    ratio: null,
  },
] as const;
export type ScenarioId = (typeof SCENARIOS)[number]['id'];

export interface ScenarioResult {
  id: ScenarioId;
  /** Connections of the throughput windows, per server (the PUT uses each server's best). */
  connections: { app: number; bare: number };
  /** Throughput windows, interleaved: app[i] ran just before bare[i]. */
  app: LoadResult[];
  bare: LoadResult[];
  /** One-connection windows (latency without queueing), interleaved likewise. */
  single: { app: LoadResult[]; bare: LoadResult[] } | null;
  peakRssMb: { app: number; bare: number };
}

export interface BenchResults {
  version: 2;
  at: string;
  machine: Record<string, string | number>;
  settings: {
    windows: number;
    durationSeconds: number;
    users: number;
    connections: number;
    sweep: number[];
    pacedWarmupSeconds: number;
    /** Unmeasured load before each scenario's first window; 2 s in results that do not say. */
    warmupSeconds?: number;
    /** Database connections per pool, both servers; 10 in results that do not say. */
    poolSize?: number;
    only: string[] | null;
    downloads?: number[];
    uploadConnections?: number;
    buildMb?: number;
    starts?: number;
    /** `api-alone` (`--api-alone`): the API without Next in its process stood in for the production server. */
    appServer?: 'production' | 'api-alone';
  };
  database: { before: TableState[]; after: TableState[] };
  pgbench: { before: PgbenchResult; after: PgbenchResult };
  scenarios: ScenarioResult[];
  put: {
    sweep: { connections: number; app: LoadResult; bare: LoadResult }[];
    /** The offered rate of the half-load windows: half the app's median max throughput. */
    halfRate: number;
    half: { app: LoadResult[]; bare: LoadResult[] };
    /** The probe's figures for each of the app's half-load windows. */
    probes: ProbeWindow[];
    /** The bare server's, in the same windows; absent from results written before it was probed. */
    bareProbes?: ProbeWindow[];
    profile: ProfileSummary | null;
  } | null;
  /**
   * A CPU profile of the app over one more (uncounted) window of GET one OTP user at the main
   * connection count: the path where the database is out of the way, so the profile is the
   * framework's cost (absent in runs without it).
   */
  readProfile?: (ProfileSummary & { connections: number; requestsPerSecond: number }) | null;
  /** Downloads and uploads of builds (absent in runs without them). */
  builds?: BuildResults | null;
  /** Starts of the app, one after another (absent in runs without them). */
  startup?: AppStart[] | null;
}

export interface TransferWindows {
  connections: number;
  /** Interleaved: app[i] ran just before bare[i]. */
  app: TransferResult[];
  bare: TransferResult[];
}

export interface BuildResults {
  sizeBytes: number;
  downloads: TransferWindows[];
  uploads: TransferWindows | null;
  /** A CPU profile of the app over one more (uncounted) download window. */
  downloadProfile?:
    | (ProfileSummary & { connections: number; gc?: ProbeWindow['gc']; heapUsedMb?: number })
    | null;
}

/** Results in the current format, or null (missing, or written by an older harness). */
export function loadResults(file: string): BenchResults | null {
  if (!existsSync(file)) return null;
  const results = JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchResults>;
  return results.version === 2 ? (results as BenchResults) : null;
}

/**
 * bench/FINDINGS.md, when present: what was tried for each missed target, written by whoever
 * worked on it; the report carries it under the targets.
 */
export function readFindings(): string | undefined {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../FINDINGS.md');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The installed version of `pkg` as the workspace package in `fromDir` resolves it. */
function versionOf(pkg: string, fromDir: string): string {
  try {
    const require = createRequire(path.join(fromDir, 'package.json'));
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function machineInfo(
  connectionString: string,
  repoRoot: string,
): Promise<Record<string, string | number>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  const buffers = await client.query<{ shared_buffers: string }>('SHOW shared_buffers');
  await client.end();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgresql: rows[0]?.server_version ?? 'unknown',
    postgresqlSharedBuffers: buffers.rows[0]?.shared_buffers ?? 'unknown',
    next: versionOf('next', path.join(repoRoot, 'apps/web')),
    prisma: versionOf('@prisma/client', path.join(repoRoot, 'packages/db')),
    trpc: versionOf('@trpc/server', path.join(repoRoot, 'packages/api')),
    autocannon: versionOf('autocannon', path.join(repoRoot, 'bench')),
  };
}

// ---- Figures: every one is the median of the windows, with their spread. ----

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Figure {
  median: number;
  min: number;
  max: number;
}

export function figure(values: readonly number[]): Figure {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** A ratio is the median of the per-pair ratios (app window i over the bare window right after it). */
export function pairRatio(app: readonly number[], bare: readonly number[]): Figure {
  const ratios = app.map((value, i) => value / Math.max(bare[i] ?? Number.NaN, 1e-9));
  return figure(ratios.filter(Number.isFinite));
}

const num = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–';
/** `median (min–max)`, or the median alone when the windows agree. */
export const showFigure = (f: Figure, digits = 1) =>
  !Number.isFinite(f.median) || f.min === f.max
    ? num(f.median, digits)
    : `${num(f.median, digits)} (${num(f.min, digits)}–${num(f.max, digits)})`;
const showRatio = (f: Figure) => showFigure(f, 2);
const of = (runs: readonly LoadResult[], field: 'requestsPerSecond' | 'p50' | 'p99' | 'errors') =>
  figure(runs.map((run) => run[field]));
const errorsOf = (runs: readonly LoadResult[]) => runs.reduce((sum, run) => sum + run.errors, 0);
const scenarioName = (id: string) => SCENARIOS.find((s) => s.id === id)?.name ?? id;

/** Every ratio the report compares between runs, by a stable key. */
export function ratios(results: BenchResults): { key: string; label: string; value: Figure }[] {
  const list: { key: string; label: string; value: Figure }[] = [];
  for (const s of results.scenarios) {
    list.push({
      key: `${s.id}.throughput`,
      label: `${scenarioName(s.id)}: throughput app/bare${s.id === 'put' ? ' (max)' : ''}`,
      value: pairRatio(
        s.app.map((r) => r.requestsPerSecond),
        s.bare.map((r) => r.requestsPerSecond),
      ),
    });
    if (s.single) {
      list.push({
        key: `${s.id}.p50single`,
        label: `${scenarioName(s.id)}: p50 at one connection app/bare`,
        value: pairRatio(
          s.single.app.map((r) => r.p50),
          s.single.bare.map((r) => r.p50),
        ),
      });
    }
  }
  if (results.put) {
    list.push({
      key: 'put.p99half',
      label: `${scenarioName('put')}: p99 at half of max app/bare (same offered rate)`,
      value: pairRatio(
        results.put.half.app.map((r) => r.p99),
        results.put.half.bare.map((r) => r.p99),
      ),
    });
  }
  for (const step of results.builds?.downloads ?? []) {
    list.push({
      key: `download.${step.connections}.throughput`,
      label: `${scenarioName('download')} at ${step.connections} connection${step.connections === 1 ? '' : 's'}: MiB/s app/bare`,
      value: transferRatio(step),
    });
  }
  const uploads = results.builds?.uploads;
  if (uploads) {
    list.push({
      key: 'upload.throughput',
      label: `${scenarioName('upload')} at ${uploads.connections} connection${uploads.connections === 1 ? '' : 's'}: MiB/s app/bare`,
      value: transferRatio(uploads),
    });
  }
  const big = results.scenarios.find((s) => s.id === 'search-1m');
  const small = results.scenarios.find((s) => s.id === 'search-10k');
  if (big?.single && small?.single) {
    list.push({
      key: 'search.1m-over-10k',
      label: 'Email search p50 at one connection, 1M over 10k (app)',
      value: pairRatio(
        big.single.app.map((r) => r.p50),
        small.single.app.map((r) => r.p50),
      ),
    });
  }
  return list;
}

const transferRatio = (windows: TransferWindows) =>
  pairRatio(
    windows.app.map((r) => r.mibPerSecond),
    windows.bare.map((r) => r.mibPerSecond),
  );
const transferOf = (
  runs: readonly TransferResult[],
  field: 'mibPerSecond' | 'p50Ms' | 'cpuSecondsPerGiB' | 'completed' | 'rssPeakMb',
) => {
  // A window in which no transfer finished has no time per transfer: left out, not a zero.
  const values = runs.map((run) => run[field]).filter((value): value is number => typeof value === 'number');
  return values.length ? figure(values) : { median: Number.NaN, min: Number.NaN, max: Number.NaN };
};
/** How far an upload window raised the server's resident memory above what it had before. */
const rssGrowth = (runs: readonly TransferResult[]) =>
  figure(runs.map((run) => run.rssPeakMb - run.rssBeforeMb));
const transferErrors = (runs: readonly TransferResult[]) => runs.reduce((sum, run) => sum + run.errors, 0);

interface Target {
  name: string;
  measured: string;
  pass: boolean;
  /** Which figures explain a miss (the PUT's probe and profile, for the app's own cost). */
  evidence?: string;
}

export function evaluateTargets(results: BenchResults): Target[] {
  const targets: Target[] = [];
  const byKey = new Map(ratios(results).map((r) => [r.key, r.value]));
  const evidence = profileEvidence(results);
  for (const definition of SCENARIOS) {
    const s = results.scenarios.find((scenario) => scenario.id === definition.id);
    if (!s || definition.ratio === null) continue;
    const ratio = byKey.get(`${s.id}.throughput`)!;
    targets.push({
      name: `${definition.name}: ${s.id === 'put' ? 'max ' : ''}throughput ≥ ${definition.ratio.toFixed(2)} of bare`,
      measured: `${showRatio(ratio)} (${num(of(s.app, 'requestsPerSecond').median)} vs ${num(of(s.bare, 'requestsPerSecond').median)} req/s)`,
      pass: ratio.median >= definition.ratio,
      evidence: s.id === 'put' ? evidence : (readEvidence(results) ?? evidence),
    });
  }
  for (const step of results.builds?.downloads ?? []) {
    const ratio = byKey.get(`download.${step.connections}.throughput`)!;
    targets.push({
      name: `${scenarioName('download')} at ${step.connections} connection${step.connections === 1 ? '' : 's'}: throughput ≥ 0.90 of the bare file server`,
      measured: `${showRatio(ratio)} (${showFigure(transferOf(step.app, 'mibPerSecond'), 0)} vs ${showFigure(transferOf(step.bare, 'mibPerSecond'), 0)} MiB/s)`,
      pass: ratio.median >= 0.9,
    });
  }
  const uploads = results.builds?.uploads;
  if (uploads) {
    const growth = rssGrowth(uploads.app);
    targets.push({
      name: `${scenarioName('upload')}: peak RSS growth < 64 MB (the largest of the app's windows)`,
      measured: `${num(growth.max, 0)} MB (median ${num(growth.median, 0)} MB over ${uploads.app.length} windows of ${num(
        uploads.app.reduce((n, r) => n + r.completed, 0),
        0,
      )} uploads of ${num(results.builds!.sizeBytes / 2 ** 20, 0)} MiB)`,
      pass: growth.max < 64,
    });
  }
  const buildRuns = [...(results.builds?.downloads ?? []), ...(uploads ? [uploads] : [])].flatMap(
    (w) => w.app,
  );
  const appRuns = results.scenarios.flatMap((s) => [...s.app, ...(s.single?.app ?? [])]);
  const errors = errorsOf(appRuns) + errorsOf(results.put?.half.app ?? []) + transferErrors(buildRuns);
  targets.push({ name: 'Zero errors (every app window)', measured: `${errors} errors`, pass: errors === 0 });
  const p99 = byKey.get('put.p99half');
  if (p99 && results.put) {
    targets.push({
      name: "PUT p99 at half of max ≤ 1.5× the bare server's p99 at the same offered rate",
      measured: `${showRatio(p99)}× (app ${showFigure(of(results.put.half.app, 'p99'))} ms vs bare ${showFigure(of(results.put.half.bare, 'p99'))} ms at ${num(results.put.halfRate)} req/s)`,
      pass: p99.median <= 1.5,
      evidence,
    });
  }
  const search = byKey.get('search.1m-over-10k');
  if (search) {
    const big = results.scenarios.find((s) => s.id === 'search-1m')!.single!.app;
    const small = results.scenarios.find((s) => s.id === 'search-10k')!.single!.app;
    targets.push({
      name: 'Email search over 1M users: p50 at one connection ≤ 2× its 10k figure',
      measured: `${showRatio(search)}× (${showFigure(of(big, 'p50'))} ms vs ${showFigure(of(small, 'p50'))} ms)`,
      pass: search.median <= 2,
    });
  }
  const appPeak = Math.max(
    ...results.scenarios.map((s) => s.peakRssMb.app),
    ...buildRuns.map((run) => run.rssPeakMb),
  );
  if (Number.isFinite(appPeak)) {
    targets.push({
      name: 'Server peak RSS under load ≤ 300 MB',
      measured: `${appPeak} MB`,
      pass: appPeak <= 300,
    });
  }
  return targets;
}

function profileEvidence(results: BenchResults): string | undefined {
  const profile = results.put?.profile;
  if (!profile) return undefined;
  return `CPU profile of the app at half load: ${profile.groups
    .slice(0, 6)
    .map((g) => `${g.group} ${g.share}%`)
    .join(', ')} of its busy time (see "Where the app's time goes")`;
}

function readEvidence(results: BenchResults): string | undefined {
  const profile = results.readProfile;
  if (!profile) return undefined;
  return `CPU profile of the app serving GET one OTP user: ${profile.groups
    .slice(0, 6)
    .map((g) => `${g.group} ${g.share}%`)
    .join(', ')} of its busy time (see "Where a read's time goes")`;
}

/** A CPU profile's self time by group, then its top functions (the PUT's and the read's sections). */
function profileTables(profile: ProfileSummary): string {
  return `| Where | self ms | share of busy |
| --- | ---: | ---: |
${profile.groups.map((g) => `| ${g.group} | ${num(g.ms)} | ${g.share}% |`).join('\n')}

Top functions by self time:

| Function | Where | Package | self ms | share |
| --- | --- | --- | ---: | ---: |
${profile.functions.map((f) => `| \`${f.name}\` | ${f.where} | ${f.group} | ${num(f.ms)} | ${f.share}% |`).join('\n')}`;
}

function readProfileSection(profile: NonNullable<BenchResults['readProfile']>): string {
  return `CPU profile of the app over one more window of GET one OTP user at ${profile.connections} connections
(not counted above: the profiler costs time), ${num(profile.requestsPerSecond, 0)} req/s, 1 ms sampling: ${num(profile.busyMs, 0)} ms busy,
${num(profile.idleMs, 0)} ms idle. Both servers send the same single statement here (the API key is cached), so
what the app spends beyond the bare server is its own stack. Self time by package or part of the runtime:

${profileTables(profile)}`;
}

export function renderTable(results: BenchResults): string {
  const lines = [
    '| Scenario | Server | conn | req/s | p50 ms | p99 ms | p50 ms @ 1 | p99 ms @ 1 | errors | peak RSS MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of results.scenarios) {
    for (const target of ['app', 'bare'] as const) {
      const runs = s[target];
      const single = s.single?.[target];
      lines.push(
        `| ${target === 'app' ? scenarioName(s.id) : ''} | ${target === 'app' ? 'app' : 'bare node:http + pg'} | ${s.connections[target]} | ${showFigure(of(runs, 'requestsPerSecond'), 0)} | ${showFigure(of(runs, 'p50'))} | ${showFigure(of(runs, 'p99'))} | ${single ? showFigure(of(single, 'p50')) : ''} | ${single ? showFigure(of(single, 'p99')) : ''} | ${errorsOf([...runs, ...(single ?? [])])} | ${s.peakRssMb[target]} |`,
      );
    }
  }
  return lines.join('\n');
}

function ratioComparison(results: BenchResults, previous: BenchResults | null): string {
  const before = new Map((previous ? ratios(previous) : []).map((r) => [r.key, r.value]));
  const rows = ratios(results).map((r) => {
    const old = before.get(r.key);
    const change = old ? r.value.median / old.median - 1 : Number.NaN;
    return `| ${r.label} | ${showRatio(r.value)} | ${old ? showRatio(old) : '–'} | ${Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${num(change * 100)}%` : '–'} | ${Number.isFinite(change) ? (Math.abs(change) <= 0.1 ? 'yes' : '**no**') : '–'} |`;
  });
  return `| Ratio (median of per-pair ratios, spread) | This run | Previous run | Change | Within ±10% |
| --- | ---: | ---: | ---: | :---: |
${rows.join('\n')}

${previous ? `Previous run: ${previous.at} ([results/previous.json](results/previous.json)), ${previous.settings.windows} windows of ${previous.settings.durationSeconds} s, ${num(previous.settings.users, 0)} users.` : 'No previous run in this format: run `pnpm bench` again to fill the column.'}`;
}

function databaseSection(results: BenchResults): string {
  const after = new Map(results.database.after.map((t) => [t.table, t]));
  const rows = results.database.before.map((t) => {
    const a = after.get(t.table);
    return `| ${t.table} | ${num(t.tableMb)} → ${num(a?.tableMb ?? Number.NaN)} | ${num(t.indexesMb)} → ${num(a?.indexesMb ?? Number.NaN)} | ${num(t.liveTuples, 0)} → ${num(a?.liveTuples ?? Number.NaN, 0)} | ${num(t.deadTuples, 0)} → ${num(a?.deadTuples ?? Number.NaN, 0)} |`;
  });
  const indexes = results.database.before.flatMap((t) =>
    t.indexes.map((index) => {
      const a = after.get(t.table)?.indexes.find((i) => i.name === index.name);
      return `| ${t.table} | ${index.name} | ${num(index.mb)} → ${num(a?.mb ?? Number.NaN)} |`;
    }),
  );
  const pg = (p: PgbenchResult) =>
    `${num(p.tps, 0)} tps, average ${p.latencyAverageMs} ms, ${num(p.transactions, 0)} transactions`;
  return `Before the first window the harness removes what earlier runs wrote (their audit rows, codes
and rate-limit counters), rewrites every table the scenarios touch with \`VACUUM (FULL, ANALYZE)\`
(which rebuilds each index, as \`REINDEX\` would) and runs a \`CHECKPOINT\`; before every window of a
write scenario (and of the searches) it runs \`VACUUM (ANALYZE)\` and a \`CHECKPOINT\`, so each window
of either server starts from the same state. "Before" is right after the reset, "after" is at the
end of the run.

| Table | Heap MB | Indexes MB | Live tuples | Dead tuples |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

<details><summary>Index sizes (MB, before → after)</summary>

| Table | Index | MB |
| --- | --- | ---: |
${indexes.join('\n')}

</details>

pgbench, the app's PUT statement alone at ${results.pgbench.before.clients} clients for ${results.settings.durationSeconds} s
(\`src/pgbench.ts\`): before (right after the reset) **${pg(results.pgbench.before)}**; after (at the end,
on the database as the run left it) **${pg(results.pgbench.after)}**.`;
}

function buildsSection(results: BenchResults): string {
  const builds = results.builds;
  if (!builds) return 'The build scenarios did not run (`--only`).';
  const row = (label: string, target: 'app' | 'bare', runs: readonly TransferResult[]) =>
    `| ${label} | ${target === 'app' ? 'app' : 'bare file server'} | ${showFigure(transferOf(runs, 'mibPerSecond'), 0)} | ${showFigure(transferOf(runs, 'completed'), 0)} | ${showFigure(transferOf(runs, 'p50Ms'), 0)} | ${showFigure(transferOf(runs, 'cpuSecondsPerGiB'), 2)} | ${num(Math.max(...runs.map((r) => r.rssPeakMb)), 0)} | ${showFigure(rssGrowth(runs), 0)} | ${transferErrors(runs)} |`;
  const lines = [
    '| Transfer | Server | MiB/s | whole transfers per window | ms per transfer (p50) | server CPU s per GiB | peak RSS MB | RSS growth MB | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const step of builds.downloads) {
    lines.push(row(`download @ ${step.connections}`, 'app', step.app), row('', 'bare', step.bare));
    lines.push(`| | app/bare (median of pairs) | **${showRatio(transferRatio(step))}** | | | | | | |`);
  }
  if (builds.uploads) {
    lines.push(
      row(`upload @ ${builds.uploads.connections}`, 'app', builds.uploads.app),
      row('', 'bare', builds.uploads.bare),
    );
    lines.push(
      `| | app/bare (median of pairs) | **${showRatio(transferRatio(builds.uploads))}** | | | | | | |`,
    );
  }
  return `A ${num(builds.sizeBytes / 2 ** 20, 0)} MiB build of random bytes, uploaded through the REST API and published, stored
in the app's local build storage (\`DATA_DIR/builds\`); the bare file server streams that same file,
so both read it from the same page cache. Windows are interleaved (app, bare, …), ${results.settings.windows} of
${results.settings.durationSeconds} s each per row, from a load generator of the harness's own (\`src/transfer.ts\`: node:http,
bodies counted and discarded). A download still running when its window ends counts with the bytes
it received; an upload window waits for the uploads it started and divides by the time they took.
Server CPU is the server process's user + system time over the window (\`/proc/<pid>/stat\`),
divided by the GiB it moved. RSS growth is the window's peak over the resident memory right before it.

${lines.join('\n')}
${
  builds.downloadProfile
    ? `
${downloadProfileSection(builds.downloadProfile)}`
    : ''
}`;
}

function downloadProfileSection(profile: NonNullable<BuildResults['downloadProfile']>): string {
  const gc = profile.gc
    ? ` Over that window: ${num(profile.gc.count, 0)} GC pauses, ${num(profile.gc.totalMs, 0)} ms in all, the longest ${num(profile.gc.longestMs)} ms (${Object.entries(
        profile.gc.byKind,
      )
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}); heap used at its end ${num(profile.heapUsedMb ?? Number.NaN, 0)} MB.`
    : '';
  return `CPU profile of the app over one more download window at ${profile.connections} connections (not counted above),
1 ms sampling: ${num(profile.busyMs, 0)} ms busy, ${num(profile.idleMs, 0)} ms idle.${gc} Self time by package or part of the runtime:

| Where | self ms | share of busy |
| --- | ---: | ---: |
${profile.groups
  .slice(0, 10)
  .map((g) => `| ${g.group} | ${num(g.ms)} | ${g.share}% |`)
  .join('\n')}

Top functions by self time:

| Function | Where | Package | self ms | share |
| --- | --- | --- | ---: | ---: |
${profile.functions
  .slice(0, 12)
  .map((f) => `| \`${f.name}\` | ${f.where} | ${f.group} | ${num(f.ms)} | ${f.share}% |`)
  .join('\n')}`;
}

function startupSection(results: BenchResults): string {
  const starts = results.startup;
  if (!starts?.length) return 'Start-up was not measured (`--only`).';
  return `The production server (the serve script's command, without the probe) started ${starts.length} times in
a row on the bench database, each stopped before the next: time from spawning the process until
\`/api/health\` first answers 200 (polled every 20 ms), and its resident memory ${IDLE_SECONDS_NOTE}.

| App | median (min–max) |
| --- | ---: |
| spawn → \`/api/health\` 200 | ${showFigure(figure(starts.map((start) => start.healthMs)), 0)} ms |
| idle RSS | ${showFigure(figure(starts.map((start) => start.idleRssMb)), 0)} MB |`;
}

/** How long after its first health answer a start's idle memory is read (servers.ts). */
const IDLE_SECONDS_NOTE = '2 s after that answer, with no request in between';

function putSection(results: BenchResults): string {
  const put = results.put;
  if (!put) return 'The PUT scenario did not run (`--only`).';
  const sweepRows = put.sweep
    .map(
      (step) =>
        `| ${step.connections} | ${num(step.app.requestsPerSecond, 0)} | ${step.app.p50} | ${step.app.p99} | ${num(step.bare.requestsPerSecond, 0)} | ${step.bare.p50} | ${step.bare.p99} |`,
    )
    .join('\n');
  const probes = put.probes;
  const bareProbes = put.bareProbes?.length ? put.bareProbes : null;
  const probeFigures: [label: string, pick: (p: ProbeWindow) => number, unit: string][] = [
    ['event-loop delay p50', (p) => p.eventLoopDelayMs.p50, 'ms'],
    ['event-loop delay p99', (p) => p.eventLoopDelayMs.p99, 'ms'],
    ['event-loop delay max', (p) => p.eventLoopDelayMs.max, 'ms'],
    ['GC pauses (count)', (p) => p.gc.count, ''],
    ['GC pauses (total)', (p) => p.gc.totalMs, 'ms'],
    ['longest GC pause', (p) => p.gc.longestMs, 'ms'],
    ['peak RSS', (p) => p.rssPeakMb, 'MB'],
  ];
  const measuredPool = (windows: ProbeWindow[] | null) =>
    windows === null || windows.every((p) => p.poolWait !== undefined);
  if (probes.length > 0 && measuredPool(probes) && measuredPool(bareProbes)) {
    probeFigures.push(
      ['database connections taken from the pool', (p) => p.poolWait!.acquisitions, ''],
      ['of them, asked for with every connection busy', (p) => p.poolWait!.queued, ''],
      ['wait for a connection p50', (p) => p.poolWait!.p50Ms, 'ms'],
      ['wait for a connection p99', (p) => p.poolWait!.p99Ms, 'ms'],
      ['wait for a connection max', (p) => p.poolWait!.maxMs, 'ms'],
      ['a connection held p50', (p) => p.poolWait!.heldP50Ms, 'ms'],
      ['a connection held p99', (p) => p.poolWait!.heldP99Ms, 'ms'],
      [
        `connections in use on average (of ${results.settings.poolSize ?? 10})`,
        (p) => p.poolWait!.busyConnections,
        '',
      ],
    );
  }
  const cell = (windows: ProbeWindow[], pick: (p: ProbeWindow) => number, unit: string) =>
    `${showFigure(figure(windows.map(pick)), 2)} ${unit}`.trim();
  const probeHeader = bareProbes
    ? '| Per window (event-loop delay: how late a 10 ms timer ran) | app, median (min–max) | bare, median (min–max) |\n| --- | ---: | ---: |'
    : '| App process, per window (event-loop delay: how late a 10 ms timer ran) | median (min–max) |\n| --- | ---: |';
  const probeRows = probeFigures
    .map(
      ([label, pick, unit]) =>
        `| ${label} | ${cell(probes, pick, unit)} |${bareProbes ? ` ${cell(bareProbes, pick, unit)} |` : ''}`,
    )
    .join('\n');
  const profile = put.profile;
  return `### Sweep (one window per step, app then bare): each server's best connection count

![latency against throughput](results/latency.svg)

| connections | app req/s | app p50 ms | app p99 ms | bare req/s | bare p50 ms | bare p99 ms |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${sweepRows}

### Half of max: both servers at ${num(put.halfRate)} req/s offered

Half the app's median max throughput, offered to both servers alike (\`src/paced.ts\`: requests
spread evenly, latency counted from when each was due, after ${results.settings.pacedWarmupSeconds} s of the same load that are not counted).

| Server | achieved req/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | ---: |
| app | ${showFigure(of(put.half.app, 'requestsPerSecond'), 0)} | ${showFigure(of(put.half.app, 'p50'))} | ${showFigure(of(put.half.app, 'p99'))} | ${errorsOf(put.half.app)} |
| bare | ${showFigure(of(put.half.bare, 'requestsPerSecond'), 0)} | ${showFigure(of(put.half.bare, 'p50'))} | ${showFigure(of(put.half.bare, 'p99'))} | ${errorsOf(put.half.bare)} |

### Where the app's time goes (PUT at half load)

${
  bareProbes
    ? `Measured inside each server's process by \`src/probe.ts\`, loaded with \`--import\` (neither server's
code is changed), over each of the ${probes.length} counted half-load windows of each. The pool figures time
every \`pg.Pool#connect\` of the process: the wait from asking to a connection in hand, and the time
until its release; "every connection busy" means the pool was at its size with none idle.`
    : `Measured inside the app's process by \`src/probe.ts\`, loaded with \`--import\` after the serve
script's own flags (the app's code is unchanged): over each of the ${probes.length} counted half-load windows,`
}

${probeHeader}
${probeRows}

${
  profile
    ? `CPU profile of one more half-load window (not among the counted ones: the profiler costs time),
1 ms sampling: ${num(profile.busyMs, 0)} ms busy, ${num(profile.idleMs, 0)} ms idle (and ${num(profile.probeMs, 0)} ms of the probe's own work,
stopping the profiler, left out). Self time by package or part of the runtime ("(native)": V8
builtins and C++ bindings with no script of their own, e.g. socket writes; "packages/…", "apps/…": our code):

${profileTables(profile)}`
    : 'No CPU profile was written.'
}`;
}

export function renderReport(
  results: BenchResults,
  previous: BenchResults | null,
  findings?: string,
): string {
  const targets = evaluateTargets(results);
  const machine = Object.entries(results.machine)
    .map(([key, value]) => `- ${key}: ${value}`)
    .join('\n');
  const s = results.settings;
  const missed = targets.filter((t) => !t.pass);
  return `# Benchmark report

Generated by \`pnpm bench\` on ${results.at}. Every scenario loads the product and its bare
node:http + pg reference in **interleaved windows** (app, bare, app, bare, …: ${s.windows} windows of
${s.durationSeconds} s each), on the same PostgreSQL and the same ${num(s.users, 0)}-user database, from a
separate load-generating process. Each figure is the **median of the windows, with their spread
(min–max)**; a ratio is the median of the per-pair ratios (each app window over the bare window
right after it).${s.only ? ` Only these scenarios ran: ${s.only.join(', ')}.` : ''}${
    s.appServer === 'api-alone'
      ? ' **"App" in this run is the API alone** (`--api-alone`: the production server\'s API handlers on node:http, without Next in the process), not the production server.'
      : ''
  }

## Targets

| Target | Measured: median (spread) | Met |
| --- | --- | --- |
${targets.map((t) => `| ${t.name} | ${t.measured} | ${t.pass ? 'yes' : '**no**'} |`).join('\n')}
| A revoked key is refused at once by its instance and by every other instance within 1 s | \`packages/api/src/services/api-key-cache.test.ts\` (two instances) | see test |
${
  missed.length
    ? `
Missed: ${missed.map((t) => `**${t.name}**`).join('; ')}.${[...new Set(missed.flatMap((t) => (t.evidence ? [t.evidence] : [])))].map((e) => ` ${e}.`).join('')}
`
    : ''
}
${findings ? `### What was tried\n\n${findings.trim()}\n` : ''}
## Ratios: this run and the previous one

A second \`pnpm bench\` on the same machine should reproduce every ratio within ±10%.

${ratioComparison(results, previous)}

## Results

${renderTable(results)}

Scenarios and their references (\`src/bare-server.ts\` runs the statements the app runs for the
path, listed in \`src/statements.ts\`; \`pnpm --filter @otp-access/bench run trace-sql\` prints the
app's and the reference's statements per request and flags any difference):

${SCENARIOS.map((d) => `- **${d.name}**: ${d.request}. Reference: ${d.reference}.`).join('\n')}

Throughput windows run at ${s.connections} connections ("conn"; the PUT at each server's best of the
sweep ${s.sweep.join(', ')}); "@ 1" windows at one connection (the latency of a single user, without
queueing behind others). Each scenario's first window follows ${s.warmupSeconds ?? 2} s of unmeasured load on both servers.
Peak RSS is sampled every 100 ms over the scenario's windows.
${results.readProfile ? `\n### Where a read's time goes (GET one OTP user)\n\n${readProfileSection(results.readProfile)}\n` : ''}
## REST PUT otp-user

${putSection(results)}

## Builds: downloads and uploads

${buildsSection(results)}

## Start-up

${startupSection(results)}

## Database state

${databaseSection(results)}

## Machine and versions

${machine}

## Commands

\`\`\`sh
pnpm install
pnpm bench   # builds the web app, seeds (once), resets the database, runs every scenario, writes this report
# options: pnpm bench --windows ${s.windows} --duration ${s.durationSeconds} --users ${s.users} --connections ${s.connections} --sweep ${s.sweep.join(',')} [--only ${SCENARIOS.map((d) => d.id).join(',')}] [--downloads 1,8,32] [--upload-connections 1] [--build-mb 100] [--starts 5] [--pool ${s.poolSize ?? 10}] [--port 3300] [--fresh]
pnpm bench --prepare-only   # seeds the database (or finds it seeded) and stops
\`\`\`

\`BENCH_DATABASE_URL\` picks the PostgreSQL server (default \`postgresql://postgres@127.0.0.1:5432/postgres\`),
\`BENCH_DATABASE_NAME\` the database the harness creates and reuses there (default \`otp_access_bench\`).
The app listens on \`--port\`, its reference on the next port, the bare file server on the one after.

Raw numbers: [results/latest.json](results/latest.json)${previous ? ', the run before: [results/previous.json](results/previous.json)' : ''}.
`;
}

/** The PUT sweep of both servers: latency against throughput, one point per connection count. */
export function renderLatencyChart(results: BenchResults): string {
  const sweep = results.put?.sweep ?? [];
  const toPoints = (target: 'app' | 'bare', field: 'p50' | 'p99') =>
    sweep.map((step) => ({
      x: step[target].requestsPerSecond,
      y: step[target][field],
      label: `${step.connections} connections`,
    }));
  return latencyChart(
    `REST PUT: latency against throughput (${results.settings.sweep.join(' → ')} connections)`,
    [
      { name: 'app p99', color: '#c0392b', points: toPoints('app', 'p99') },
      { name: 'app p50', color: '#e59866', points: toPoints('app', 'p50') },
      { name: 'bare node:http + pg p99', color: '#1f618d', points: toPoints('bare', 'p99') },
      { name: 'bare node:http + pg p50', color: '#85c1e9', points: toPoints('bare', 'p50') },
    ],
  );
}
