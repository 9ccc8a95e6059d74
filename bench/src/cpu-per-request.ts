/**
 * What one request costs the server, app against its bare reference: both servers take the same
 * evenly paced load (a fixed rate neither is near its limit at), in interleaved windows, and the
 * CPU each process used in a window is divided by the requests it answered. Throughput at 32
 * connections mixes that cost with the database's and the load generator's share of the machine's
 * cores; this figure is the server's own, and it moves far less from run to run. The main thread
 * is reported apart: it is the one a Node server saturates first (GC helpers and the thread pool
 * run beside it).
 *
 * Run after `pnpm bench` has prepared the database and built the app:
 *   pnpm --filter @otp-access/bench run cpu-per-request <get|list|rest-list> [--rate 1500]
 *     [--windows 5] [--duration 8] [--alone]
 * --alone adds a third server to the same interleaved windows: the API without Next in its process
 * (api-alone.ts), so the app/alone ratio is what sharing the process with the pages costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deriveKey, sessionConfigFromEnv } from '@otp-access/api';
import { adminUrl, appEnv, databaseName, SESSION_SECRET } from './config';
import { benchStores, sampleUsers, withDatabase } from './database';
import { runLoad } from './load';
import { cpuSeconds, type ServerProcess } from './processes';
import { figure, pairRatio, showFigure } from './report';
import { benchRequests } from './requests';
import { startApp, startBare } from './servers';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string', default: '1500' },
    windows: { type: 'string', default: '5' },
    duration: { type: 'string', default: '8' },
    port: { type: 'string', default: '3300' },
    alone: { type: 'boolean', default: false },
  },
});
const PATHS = { get: 'getOne', list: 'listPage', 'rest-list': 'restListPage' } as const;
const probed = positionals[0] as keyof typeof PATHS;
if (!(probed in PATHS)) {
  console.error(
    `Usage: cpu-per-request ${Object.keys(PATHS).join('|')} [--rate N] [--windows N] [--duration s]`,
  );
  process.exit(2);
}
const RATE = Number(args.rate);
const WINDOWS = Number(args.windows);
const DURATION = Number(args.duration);
const PORT = Number(args.port);
// The bench's own connection count would queue at a rate this low; 16 keeps every request prompt.
const CONNECTIONS = 16;

const connectionString = withDatabase(adminUrl, databaseName);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'otp-access-cpu-'));
const database = { connectionString, ...benchStores(0) };
const sample = await sampleUsers(connectionString, database.big.storeId, 5_000);
const request = benchRequests(database, sample, [])[PATHS[probed]];
const session = sessionConfigFromEnv({ SESSION_SECRET });
const log = (line: string) => console.log(line);

interface Window {
  mainMicros: number;
  processMicros: number;
}

async function window(server: ServerProcess, seconds: number): Promise<Window> {
  const main = cpuSeconds(server.pid, server.pid);
  const whole = cpuSeconds(server.pid);
  const result = await runLoad({
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    overallRate: RATE,
    request,
  });
  if (result.errors > 0) throw new Error(`${server.url}: ${result.errors} errors in a window`);
  return {
    mainMicros: ((cpuSeconds(server.pid, server.pid) - main) * 1e6) / result.requests,
    processMicros: ((cpuSeconds(server.pid) - whole) * 1e6) / result.requests,
  };
}

let bare: ServerProcess | undefined;
let app: ServerProcess | undefined;
let alone: ServerProcess | undefined;
try {
  bare = await startBare({
    port: PORT + 1,
    connectionString,
    env: {
      BARE_CODE_KEY: Buffer.from(deriveKey(session, 'otp-code')).toString('hex'),
      BARE_SESSION_KEY: Buffer.from(deriveKey(session, 'store-session')).toString('hex'),
    },
    log,
  });
  app = await startApp({
    port: PORT,
    env: appEnv(connectionString, dataDir),
    probeDir: path.join(dataDir, 'probe'),
    log,
  });
  if (args.alone)
    alone = await startApp({
      port: PORT + 2,
      env: appEnv(connectionString, dataDir),
      probeDir: path.join(dataDir, 'probe-alone'),
      log,
      alone: true,
    });
  // Unmeasured: each server's code warms up first.
  await window(app, 5);
  if (alone) await window(alone, 5);
  await window(bare, 5);
  type Side = 'app' | 'alone' | 'bare';
  const pairs: Partial<Record<Side, Window>>[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const pair: Partial<Record<Side, Window>> = { app: await window(app, DURATION) };
    if (alone) pair.alone = await window(alone, DURATION);
    pair.bare = await window(bare, DURATION);
    pairs.push(pair);
    log(
      `${probed} @ ${RATE} req/s, window ${i + 1}/${WINDOWS}: main thread ${Object.entries(pair)
        .map(([side, w]) => `${side} ${Math.round(w.mainMicros)} µs`)
        .join(', ')} per request`,
    );
  }
  const of = (side: Side, key: keyof Window) => showFigure(figure(pairs.map((pair) => pair[side]![key])), 0);
  const ratio = (key: keyof Window, over: Side = 'app', under: Side = 'bare') =>
    showFigure(
      pairRatio(
        pairs.map((pair) => pair[over]![key]),
        pairs.map((pair) => pair[under]![key]),
      ),
      2,
    );
  log(
    `\nCPU per request, ${probed}, ${RATE} req/s, ${WINDOWS} interleaved windows of ${DURATION} s: median (min–max)`,
  );
  log(
    `  main thread:    app ${of('app', 'mainMicros')} µs, bare ${of('bare', 'mainMicros')} µs, app/bare ${ratio('mainMicros')}`,
  );
  log(
    `  whole process:  app ${of('app', 'processMicros')} µs, bare ${of('bare', 'processMicros')} µs, app/bare ${ratio('processMicros')}`,
  );
  if (alone)
    for (const key of ['mainMicros', 'processMicros'] as const)
      log(
        `  API alone, ${key === 'mainMicros' ? 'main thread' : 'whole process'}: ${of('alone', key)} µs, alone/bare ${ratio(key, 'alone', 'bare')}, app/alone ${ratio(key, 'app', 'alone')}`,
      );
} finally {
  await alone?.stop();
  await app?.stop();
  await bare?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
