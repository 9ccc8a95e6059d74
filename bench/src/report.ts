import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { latencyChart } from './chart';
import type { LoadResult } from './load';
import type { PgbenchResult } from './pgbench';

export interface ScenarioResult {
  name: string;
  /** The product ('app') or the bare node:http + pg reference ('bare'). */
  target: 'app' | 'bare';
  /** The run at the main connection count. */
  main: LoadResult;
  /** One connection: latency without queueing. */
  single: LoadResult;
  /** The run with the highest throughput. */
  max: LoadResult;
  sweep: LoadResult[];
  /** A run at half of the max throughput (PUT only). */
  halfMax: LoadResult | null;
  peakRssMb: number;
}

export interface BenchResults {
  at: string;
  machine: Record<string, string | number>;
  settings: {
    durationSeconds: number;
    users: number;
    connections: number;
    sweep: number[];
    /** Seconds of paced load sent before the counted window (absent in older results: 0). */
    pacedWarmupSeconds?: number;
  };
  scenarios: ScenarioResult[];
  pgbench: PgbenchResult | undefined;
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

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

function put(results: BenchResults, target: 'app' | 'bare') {
  return results.scenarios.find((s) => s.target === target && s.name === 'REST PUT otp-user');
}

export function renderTable(results: BenchResults): string {
  const bare = put(results, 'bare');
  const lines = [
    '| Scenario | Server | req/s (max) | req/s @ main | p50 ms @ main | p99 ms @ main | p50 ms @ 1 | p99 ms @ 1 | errors | peak RSS MB | vs bare (max) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of results.scenarios) {
    const ratio =
      s.name === 'REST PUT otp-user' && bare
        ? `${Math.round((s.max.requestsPerSecond / bare.max.requestsPerSecond) * 100)}%`
        : '';
    lines.push(
      `| ${s.name} | ${s.target === 'bare' ? 'bare node:http + pg' : 'app'} | ${fmt(s.max.requestsPerSecond)} | ${fmt(s.main.requestsPerSecond)} | ${s.main.p50} | ${s.main.p99} | ${s.single.p50} | ${s.single.p99} | ${s.sweep.reduce((sum, run) => sum + run.errors, 0) + (s.halfMax?.errors ?? 0)} | ${s.peakRssMb} | ${ratio} |`,
    );
  }
  if (results.pgbench) {
    lines.push(
      `| REST PUT statements only | pgbench (${results.pgbench.clients} clients) | ${fmt(results.pgbench.tps)} | | avg ${results.pgbench.latencyAverageMs} | | | | | | |`,
    );
  }
  return lines.join('\n');
}

interface Target {
  name: string;
  measured: string;
  pass: boolean;
}

export function evaluateTargets(results: BenchResults): Target[] {
  const app = put(results, 'app');
  const bare = put(results, 'bare');
  const big = results.scenarios.find((s) => s.name.includes('email filter, 1M'));
  const small = results.scenarios.find((s) => s.name.includes('email filter, 10k'));
  const targets: Target[] = [];
  if (app && bare) {
    const ratio = app.max.requestsPerSecond / bare.max.requestsPerSecond;
    const errors = app.sweep.reduce((sum, run) => sum + run.errors, 0) + (app.halfMax?.errors ?? 0);
    targets.push({
      name: 'REST PUT throughput ≥ 80% of bare node:http + pg, zero errors',
      measured: `${Math.round(ratio * 100)}% (${fmt(app.max.requestsPerSecond)} vs ${fmt(bare.max.requestsPerSecond)} req/s), ${errors} errors`,
      pass: ratio >= 0.8 && errors === 0,
    });
    if (app.halfMax) {
      targets.push({
        name: 'REST PUT p99 at half of max throughput ≤ 20 ms',
        measured: `${app.halfMax.p99} ms at ${fmt(app.halfMax.offeredRate ?? 0)} req/s (p50 ${app.halfMax.p50} ms)${bare.halfMax ? `; bare server at half of its max: p99 ${bare.halfMax.p99} ms at ${fmt(bare.halfMax.offeredRate ?? 0)} req/s` : ''}`,
        pass: app.halfMax.p99 <= 20,
      });
    }
  }
  if (big && small) {
    targets.push({
      name: 'List with email filter over 1M users: p50 ≤ 15 ms (one connection)',
      measured: `${big.single.p50} ms (p99 ${big.single.p99} ms)`,
      pass: big.single.p50 <= 15,
    });
    targets.push({
      name: 'List latency at 1M ≤ 2× at 10k (p50, one connection)',
      measured: `${big.single.p50} ms vs ${small.single.p50} ms (${(big.single.p50 / Math.max(small.single.p50, 0.01)).toFixed(2)}×)`,
      pass: big.single.p50 <= 2 * Math.max(small.single.p50, 1),
    });
  }
  const appPeak = Math.max(...results.scenarios.filter((s) => s.target === 'app').map((s) => s.peakRssMb));
  targets.push({
    name: 'Server peak RSS under load ≤ 350 MB',
    measured: `${appPeak} MB`,
    pass: appPeak <= 350,
  });
  return targets;
}

export function renderReport(results: BenchResults): string {
  const targets = evaluateTargets(results);
  const machine = Object.entries(results.machine)
    .map(([key, value]) => `- ${key}: ${value}`)
    .join('\n');
  const app = put(results, 'app');
  const bare = put(results, 'bare');
  const sweepRows = (s: ScenarioResult | undefined) =>
    (s?.sweep ?? [])
      .map(
        (run) =>
          `| ${s?.target} | ${run.connections} | ${fmt(run.requestsPerSecond)} | ${run.p50} | ${run.p99} | ${run.errors} |`,
      )
      .join('\n');
  return `# Benchmark report

Generated by \`pnpm bench\` on ${results.at}. Every number below comes from that one run, on one
machine: the product, the bare reference server and pgbench took turns on the same PostgreSQL and
the same ${fmt(results.settings.users)}-user database, loaded by autocannon from a separate process.

## Machine and versions

${machine}

## Commands

\`\`\`sh
pnpm install
pnpm bench            # builds the web app, seeds (once), runs every scenario, writes this report
# options: pnpm bench --duration ${results.settings.durationSeconds} --users ${results.settings.users} --connections ${results.settings.connections} [--fresh]
\`\`\`

Each load step runs ${results.settings.durationSeconds} s; "main" is ${results.settings.connections} connections, "@ 1" one
connection (the latency of a single user, without queueing behind others). On 2 cores a loaded
run's latency is mostly queueing: at ${results.settings.connections} connections p50 ≈ connections ÷ throughput. The PUT
scenario sweeps ${results.settings.sweep.join(', ')} connections, then runs at half of its best
throughput for the latency target: a fixed rate with requests spread evenly (\`src/paced.ts\`;
autocannon's rate option sends each second's share in a burst), latency counted from when each
request was due, after ${results.settings.pacedWarmupSeconds ?? 0} s of the same load that are not counted. Before each scenario the script
vacuums the tables the previous one dirtied and runs a CHECKPOINT, so every scenario starts from
the same database state; before each list scenario it also loads the email trigram index into
shared buffers (\`pg_prewarm\`, when the server has it), so the 1M and 10k searches meet the same
cache instead of the second one profiting from the first. \`BENCH_DATABASE_URL\` picks the PostgreSQL
server (default \`postgresql://postgres@127.0.0.1:5432/postgres\`); the script creates and reuses a
database named \`otp_access_bench\` there.

## Results

${renderTable(results)}

Scenarios: **REST PUT** \`PUT /v1/organizations/demo/stores/{store}/otp-users/{random of 30k sampled users}\`
with a new \`allowedDownloadsNum\` (through the tRPC procedure, with validation, permission check,
tenant scoping and an audit row in the same statement); **REST list, email filter** \`GET …/otp-users?email=<local part>@&limit=20\`
(one matching user, exact total); **tRPC otpUser.list** a random page 1–50 of 20 users, unfiltered;
**Store login: verify code** \`POST /api/trpc/storeAccess.verifyCode\` with a real, unused code per
request (issued beforehand exactly as the app stores them), each from its own client address.

### PUT sweep (latency against load)

![latency against throughput](results/latency.svg)

| server | connections | req/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | ---: | ---: |
${sweepRows(bare)}
${sweepRows(app)}

${app && bare ? `App PUT throughput is **${Math.round((app.max.requestsPerSecond / bare.max.requestsPerSecond) * 100)}%** of the bare server's (best of the sweep each).` : ''}
${results.pgbench ? `pgbench, the two statements alone at ${results.pgbench.clients} clients: **${fmt(results.pgbench.tps)} tps** (average ${results.pgbench.latencyAverageMs} ms).` : ''}

## Targets

| Target | Measured | Met |
| --- | --- | --- |
${targets.map((t) => `| ${t.name} | ${t.measured} | ${t.pass ? 'yes' : '**no**'} |`).join('\n')}
| A revoked key is refused at once by its instance and by every other instance within 1 s | \`packages/api/src/services/api-key-cache.test.ts\` (two instances) | see test |
${latencyFloorNote(results)}
Raw numbers: [results/latest.json](results/latest.json).
`;
}

/**
 * When the bare server misses the half-load latency target too, the app is not what sets the tail:
 * say so, with the figures that show where the floor is.
 */
function latencyFloorNote(results: BenchResults): string {
  const app = put(results, 'app');
  const bare = put(results, 'bare');
  if (!app?.halfMax || !bare?.halfMax || app.halfMax.p99 <= 20 || bare.halfMax.p99 <= 20) return '';
  return `
The half-load p99 target is missed by the bare reference too (${bare.halfMax.p99} ms, no framework,
no validation, no audit row), at the same rate on the same database: in this run the tail comes
from below the app — PostgreSQL writing every update into each index of the table (the email
trigram index among them) with ${results.machine.postgresqlSharedBuffers ?? 'its default'} of shared buffers, on ${results.machine.cores} cores it shares with the
app and the load generator${results.pgbench ? `; pgbench alone manages ${fmt(results.pgbench.tps)} tps of these statements (average ${results.pgbench.latencyAverageMs} ms)` : ''}.
The app's p99 is ${Math.round((app.halfMax.p99 / bare.halfMax.p99) * 100)}% of the bare server's.
`;
}

/** The PUT sweep of both servers: latency against throughput, one point per connection count. */
export function renderLatencyChart(results: BenchResults): string {
  const toPoints = (runs: LoadResult[], field: 'p50' | 'p99') =>
    runs.map((run) => ({ x: run.requestsPerSecond, y: run[field], label: `${run.connections} connections` }));
  const app = put(results, 'app')?.sweep ?? [];
  const bare = put(results, 'bare')?.sweep ?? [];
  return latencyChart('REST PUT: latency against throughput (1 → 64 connections)', [
    { name: 'app p99', color: '#c0392b', points: toPoints(app, 'p99') },
    { name: 'app p50', color: '#e59866', points: toPoints(app, 'p50') },
    { name: 'bare node:http + pg p99', color: '#1f618d', points: toPoints(bare, 'p99') },
    { name: 'bare node:http + pg p50', color: '#85c1e9', points: toPoints(bare, 'p50') },
  ]);
}
