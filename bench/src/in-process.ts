/**
 * The app's CPU per request for one path, in process: the HTTP handlers called directly (no
 * sockets, no load generator), 16 requests at a time, with a CPU profile of the measured window.
 * It compares surfaces on the same rows, e.g. the tRPC list against the REST list, where the full
 * bench cannot (each scenario has its own reference). Run after `pnpm bench` has prepared the
 * database: `pnpm --filter @otp-access/bench run in-process trpc-list|rest-list|rest-get`.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { apiConfig, createHttpHandlers, createLogger, readApiEnv } from '@otp-access/api';
import { createDb } from '@otp-access/db';
import { seedIds } from '@otp-access/db/seed';
import { adminUrl, appEnv, DEMO_KEY, databaseName } from './config';
import { sampleUsers, withDatabase } from './database';
import { summarizeProfile } from './profile';

const PATHS = ['trpc-list', 'rest-list', 'rest-get'] as const;
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
const handlers = createHttpHandlers({ db, ...config, logger });
const storeId = seedIds.store('demo');
const users = await sampleUsers(connectionString, storeId, 2000);
const headers = { authorization: `Bearer ${DEMO_KEY}`, 'x-otp-access-client-ip': '127.0.0.1' };
const restUsers = `http://localhost/v1/organizations/demo/stores/${storeId}/otp-users`;
const page = () => 1 + Math.floor(Math.random() * 50);

function request(): Request {
  switch (probed) {
    case 'trpc-list': {
      const input = encodeURIComponent(JSON.stringify({ storeId, page: page(), limit: 20 }));
      return new Request(`http://localhost/api/trpc/otpUser.list?input=${input}`, { headers });
    }
    case 'rest-list':
      return new Request(`${restUsers}?page=${page()}&limit=20`, { headers });
    case 'rest-get':
      return new Request(`${restUsers}/${users[Math.floor(Math.random() * users.length)]!.id}`, { headers });
  }
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
  await db.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
