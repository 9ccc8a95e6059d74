/**
 * Prints the SQL the app sends for one request of each benchmarked path (every statement its
 * process passes to `pg`, Prisma's included) and checks that the bare reference server sends the
 * same statements for the same request. Needs the database `pnpm bench` made (BENCH_DATABASE_URL,
 * BENCH_DATABASE_NAME) and the web app built. Exits 1 when a path differs.
 *   pnpm --filter @otp-access/bench run trace-sql [--port 3300]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deriveKey, sessionConfigFromEnv } from '@otp-access/api';
import pg from 'pg';
import { adminUrl, appEnv, CODE, DEMO_KEY, databaseName, OTHER_KEY, SESSION_SECRET } from './config';
import { issueStoreCodes, prepareDatabase, sampleUsers } from './database';
import type { RequestFactory } from './load';
import type { ServerProcess } from './processes';
import { benchRequests } from './requests';
import { startApp, startBare } from './servers';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '3300' } } });
const log = (line: string) => console.error(line);
const database = await prepareDatabase({
  adminUrl,
  name: databaseName,
  users: 0,
  fresh: false,
  apiKeys: { demo: DEMO_KEY, other: OTHER_KEY },
  log,
});
const big = await sampleUsers(database.connectionString, database.big.storeId, 4);
const small = await sampleUsers(database.connectionString, database.small.storeId, 4);
await issueStoreCodes(database.connectionString, database.big.storeId, big, CODE, SESSION_SECRET);
const { resetCodes: _, ...factories } = benchRequests(database, big, small);

const dir = mkdtempSync(path.join(tmpdir(), 'otp-access-trace-'));
const traces = { app: path.join(dir, 'app.jsonl'), bare: path.join(dir, 'bare.jsonl') };
writeFileSync(traces.app, '');
writeFileSync(traces.bare, '');
const session = sessionConfigFromEnv({ SESSION_SECRET });
let app: ServerProcess | undefined;
let bare: ServerProcess | undefined;

/** Sends one request and returns its status and the statements the server sent meanwhile. */
async function traced(server: ServerProcess, file: string, request: ReturnType<RequestFactory>) {
  const before = readFileSync(file, 'utf8').length;
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body ?? null,
  });
  const body = await response.text();
  // Statements after the answer (none expected) would land in the next request's list.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const statements = readFileSync(file, 'utf8')
    .slice(before)
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text.replace(/\s+/g, ' ').trim());
  return { status: response.status, body, statements };
}

/** The JSON's shape: keys and value types, not values. */
const shape = (text: string): string =>
  JSON.stringify(JSON.parse(text), (_key, value: unknown) =>
    value === null || typeof value !== 'object' ? (value === null ? 'null' : typeof value) : value,
  );

/**
 * API-key statements (the key, its organization, lastUsedAt) depend on when each server's 5 s key
 * cache expires, not on the path: they are compared as a set over the whole trace, the path's own
 * statements in order.
 */
const isKeyStatement = (statement: string) => /"public"\."(api_key|organization)"/.test(statement);
const keyStatements = { app: new Set<string>(), bare: new Set<string>() };

/** Lets the bare server's first key lookup see a key not used lately, as the app's first did. */
async function forgetKeyUse(): Promise<void> {
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  await client.query('UPDATE api_key SET last_used_at = NULL');
  await client.end();
}

let differences = 0;
let first = true;
try {
  app = await startApp({
    port: Number(args.port),
    env: { ...appEnv(database.connectionString, dir), BENCH_SQL_TRACE: traces.app },
    probeDir: path.join(dir, 'probe'),
    log,
  });
  bare = await startBare({
    port: Number(args.port) + 1,
    connectionString: database.connectionString,
    probe: true,
    env: {
      BENCH_SQL_TRACE: traces.bare,
      BARE_CODE_KEY: Buffer.from(deriveKey(session, 'otp-code')).toString('hex'),
      BARE_SESSION_KEY: Buffer.from(deriveKey(session, 'store-session')).toString('hex'),
    },
    log,
  });
  for (const [name, factory] of Object.entries(factories)) {
    // The first request of a path may look the API key up; the second is the steady state.
    for (const round of ['first', 'steady']) {
      const request = factory();
      const fromApp = await traced(app, traces.app, request);
      if (first) await forgetKeyUse();
      first = false;
      // The verify factory hands out the next user's code: the bare server gets its own.
      const fromBare = await traced(bare, traces.bare, name === 'verify' ? factory() : request);
      for (const target of ['app', 'bare'] as const) {
        const traced = target === 'app' ? fromApp : fromBare;
        for (const statement of traced.statements.filter(isKeyStatement))
          keyStatements[target].add(statement);
        traced.statements = traced.statements.filter((statement) => !isKeyStatement(statement));
      }
      console.log(`\n## ${name}, ${round} request: ${request.method} ${request.path.split('?')[0]}`);
      console.log(`app → ${fromApp.status}, bare → ${fromBare.status}\n`);
      for (const statement of fromApp.statements) console.log(`${statement};`);
      const same =
        fromApp.statements.length === fromBare.statements.length &&
        fromApp.statements.every((statement, i) => statement === fromBare.statements[i]);
      const sameShape = fromApp.status === fromBare.status && shape(fromApp.body) === shape(fromBare.body);
      if (same && sameShape) {
        console.log('\nbare: the same statements, the same status and JSON shape');
        continue;
      }
      differences++;
      if (!same) {
        console.log('\nbare DIFFERS, it sent:');
        for (const statement of fromBare.statements) console.log(`${statement};`);
      }
      if (!sameShape)
        console.log(
          `\nJSON DIFFERS:\napp:  ${fromApp.body.slice(0, 400)}\nbare: ${fromBare.body.slice(0, 400)}`,
        );
    }
  }
  console.log('\n## API-key statements (any path)\n');
  for (const statement of keyStatements.app) console.log(`${statement};`);
  const extra = [...keyStatements.bare].filter((statement) => !keyStatements.app.has(statement));
  const missing = [...keyStatements.app].filter((statement) => !keyStatements.bare.has(statement));
  if (extra.length || missing.length) {
    differences++;
    console.log(
      `\nbare DIFFERS: sent ${extra.map((s) => `\n  ${s};`).join('') || 'nothing else'}\nnever sent ${missing.map((s) => `\n  ${s};`).join('') || 'nothing missing'}`,
    );
  } else console.log('\nbare: the same statements');
} finally {
  await app?.stop();
  await bare?.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(differences ? `\n${differences} request(s) differ` : '\nEvery path: the same statements');
process.exitCode = differences ? 1 : 0;
