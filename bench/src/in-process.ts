/**
 * The app's CPU per request for one path, in process: the HTTP handlers called directly (no
 * sockets, no load generator), 16 requests at a time, with a CPU profile of the measured window.
 * It compares surfaces on the same rows, e.g. the tRPC list against the REST list, where the full
 * bench cannot (each scenario has its own reference). Run after `pnpm bench` has prepared the
 * database: `pnpm --filter @otp-access/bench run in-process <path>`, where the path is one of
 * trpc-list, trpc-list-fetch-handler (the same calls answered by tRPC's own fetch handler, the
 * reference of the endpoint's short path), rest-list and rest-get.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { apiConfig, CLIENT_IP_HEADER, createHttpHandlers, createLogger, readApiEnv } from '@otp-access/api';
import { createDb } from '@otp-access/db';
import { adminUrl, appEnv, databaseName } from './config';
import { benchStores, sampleUsers, withDatabase } from './database';
import { summarizeProfile } from './profile';
import { benchRequests } from './requests';

const PATHS = ['trpc-list', 'trpc-list-fetch-handler', 'rest-list', 'rest-get'] as const;
type ProbedPath = (typeof PATHS)[number];
const probed = process.argv[2] as ProbedPath;
if (!PATHS.includes(probed)) {
  console.error(`Usage: in-process ${PATHS.join('|')}`);
  process.exit(2);
}

const CONCURRENCY = 16;
const connectionString = withDatabase(adminUrl, databaseName);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'otp-access-in-process-'));
const config = apiConfig(
  readApiEnv(appEnv(connectionString, dataDir)),
  { DATA_DIR: dataDir },
  connectionString,
);
// Request lines are written as in production (writing them is part of a request's cost), to nowhere.
const logger = createLogger({ level: 'info', destination: createWriteStream(os.devNull) });
const db = createDb({ connectionString, max: 10 });
const handlers = createHttpHandlers({
  db,
  ...config,
  logger,
  trpcSingleCalls: probed !== 'trpc-list-fetch-handler',
});
const database = { connectionString, ...benchStores(0) };
const sample = await sampleUsers(connectionString, database.big.storeId, 2000);
const requests = benchRequests(database, sample, []);
const factory = {
  'trpc-list': requests.listPage,
  'trpc-list-fetch-handler': requests.listPage,
  'rest-list': requests.restListPage,
  'rest-get': requests.getOne,
}[probed];

/** The bench's own request for the path, as our HTTP server would hand it to the handlers. */
function request(): Request {
  const { method, path: target, headers, body } = factory();
  return new Request(`http://localhost${target}`, {
    method,
    headers: { ...headers, [CLIENT_IP_HEADER]: '127.0.0.1' },
    body,
  });
}

async function load(seconds: number) {
  const end = Date.now() + seconds * 1000;
  let count = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const response = await handlers.route(request());
      if (!response) throw new Error('Not an API path');
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${response.status}: ${body}`);
      count++;
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return { requests: count, cpuMicrosPerRequest: Math.round((used.user + used.system) / count) };
}

try {
  await load(3);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const measured = await load(8);
  const { profile } = await session.post('Profiler.stop');
  const file = path.join(dataDir, 'profile.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeProfile(file, 25);
  console.log(`${probed}: ${measured.requests} requests, ${measured.cpuMicrosPerRequest} µs of CPU each`);
  for (const group of summary.groups.slice(0, 12))
    console.log(`  ${group.share.toFixed(1).padStart(5)}%  ${group.group}`);
  console.log('Top functions:');
  for (const fn of summary.functions)
    console.log(`  ${fn.share.toFixed(1).padStart(5)}%  ${fn.name}  ${fn.where}`);
} finally {
  await config.apiKeyCache?.close();
  await db.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
