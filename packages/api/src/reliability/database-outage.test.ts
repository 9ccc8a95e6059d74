import { createDb, type Db } from '@otp-access/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimits, type Limits } from '../services/limits';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures, scaled } from '../testing/figures';
import {
  createTestOrganization,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../testing/fixtures';
import { startTcpProxy, type TcpProxy, throughProxy } from '../testing/tcp-proxy';
import { CLIENT_IP_HEADER } from '../trpc';

/*
 * PostgreSQL goes away under load and comes back. The app reaches it through a TCP proxy the
 * test controls: first the server "stops" (connections reset, new ones refused), then its host
 * "vanishes" (new connections accepted and never answered, which only a client timeout ends),
 * then it returns. The handlers and their Db are built once and never rebuilt.
 */

/**
 * Slowest acceptable answer while the database is down: the pool's 2 s connect timeout, plus
 * slack for a busy machine (alone it is ≈ 2.0 s; beside other test files up to ≈ 2.8 s).
 */
const OUTAGE_ANSWER_LIMIT_MS = 3_500;
/** Requests started this long after the database is back must all succeed. */
const RECOVERY_GRACE_MS = 1_000;
/** How long the recovered phase may last at most, waiting for enough requests after the grace. */
const RECOVERY_LIMIT_MS = 30_000;

type Op = 'create' | 'update' | 'list' | 'verify';
/** What each operation answers while the database is up (a wrong code is a 401). */
const HEALTHY_STATUS: Record<Op, number> = { create: 200, update: 200, list: 200, verify: 401 };

interface Sample {
  op: Op;
  started: number;
  ended: number;
  status: number;
  appCode: number | undefined;
  message: string | undefined;
  /** create: the emails it sent; update: the allowance it set. */
  emails?: string[];
  value?: number;
  otpUserId?: string;
}

const databaseUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Tests need DATABASE_URL: run them with `pnpm test`.');
  return url;
};

let proxy: TcpProxy;
let proxiedDb: Db;
let proxiedLimits: Limits;
let org: TestOrganization;
let handlers: TestHandlers;
/** What answered 500, so a failure names the error that was not mapped. */
const unexpectedErrors: string[] = [];

function describeThrown(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const e = current as { name?: string; code?: string; message?: string; cause?: unknown };
    parts.push(`${e.name} ${e.code ?? ''} ${String(e.message).trim().split('\n').pop()}`);
    current = e.cause;
  }
  return parts.join(' <- ');
}

beforeAll(async () => {
  const target = new URL(databaseUrl());
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = throughProxy(databaseUrl(), proxy);
  proxiedDb = createDb({ connectionString: proxied, max: 6 });
  proxiedLimits = createLimits({ kind: 'postgres', connectionString: proxied });
  // Every answer, 503s included, is checked against the OpenAPI document.
  handlers = conformantRoutes(
    testHandlers({
      db: proxiedDb,
      limits: proxiedLimits,
      onUnexpectedError: (error) => unexpectedErrors.push(describeThrown(error)),
    }),
  );
  org = await createTestOrganization(testDb());
});

afterAll(async () => {
  await proxiedLimits?.close();
  await proxiedDb?.$disconnect();
  await proxy?.close();
});

const otpUsersUrl = () => `http://localhost/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`;

async function call(request: Request): Promise<{ status: number; body: unknown }> {
  const response = await handlers.route(request)!;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

async function applivery(method: string, url: string, body?: unknown) {
  const response = await call(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const error = (response.body as { error?: { code?: number; message?: string } }).error;
  return { ...response, appCode: error?.code, message: error?.message };
}

let ipCounter = 0;
async function verifyWrongCode(email: string) {
  ipCounter++;
  const response = await call(
    new Request('http://localhost/api/trpc/storeAccess.verifyCode', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // A fresh address per call keeps the per-IP verify limit out of the picture.
        [CLIENT_IP_HEADER]: `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`,
      },
      body: JSON.stringify({ storeId: org.storeId, email, code: '000000' }),
    }),
  );
  const error = (response.body as { error?: { message?: string; data?: { appCode?: number } } }).error;
  return { ...response, appCode: error?.data?.appCode, message: error?.message };
}

async function probe(path: '/api/health' | '/api/ready') {
  const started = performance.now();
  const response = await call(new Request(`http://localhost${path}`));
  return { ...response, ms: performance.now() - started };
}

describe('PostgreSQL stops during load', () => {
  it('answers 503 fast while it is down, writes nothing by halves, and recovers without a restart', async () => {
    const seeded = await applivery('POST', otpUsersUrl(), {
      email: Array.from({ length: 8 }, (_, i) => `seed-${i}@outage.example`),
      publishedApplicationId: org.publishedApplicationId,
      allowedDownloadsNum: 5,
    });
    expect(seeded.status).toBe(200);
    const seededUsers = (seeded.body as { data: { id: string; email: string }[] }).data;

    const workers = scaled(10);
    const phaseMs = { warmup: 1_000, refused: 2_000, blackhole: 2_500, recovered: 2_000 };
    const samples: Sample[] = [];
    let stopped = false;
    let nextValue = 100;

    const worker = async (index: number) => {
      for (let i = 0; !stopped; i++) {
        const op = (['create', 'update', 'list', 'verify'] as const)[(index + i) % 4]!;
        const started = performance.now();
        let result: { status: number; appCode: number | undefined; message: string | undefined };
        const sample: Partial<Sample> = {};
        if (op === 'create') {
          sample.emails = ['a', 'b'].map((x) => `w${index}-${i}-${x}@outage.example`);
          result = await applivery('POST', otpUsersUrl(), {
            email: sample.emails,
            publishedApplicationId: org.publishedApplicationId,
            allowedDownloadsNum: 3,
          });
        } else if (op === 'update') {
          const user = seededUsers[(index + i) % seededUsers.length]!;
          sample.value = nextValue++;
          sample.otpUserId = user.id;
          result = await applivery('PUT', `${otpUsersUrl()}/${user.id}`, {
            allowedDownloadsNum: sample.value,
          });
        } else if (op === 'list') {
          result = await applivery('GET', `${otpUsersUrl()}?limit=5`);
        } else {
          result = await verifyWrongCode(seededUsers[i % seededUsers.length]!.email);
        }
        samples.push({ op, started, ended: performance.now(), ...result, ...sample });
      }
    };

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const timeline = async () => {
      await sleep(phaseMs.warmup);
      const cutAt = performance.now();
      proxy.cut('refuse');
      await sleep(phaseMs.refused / 2);
      const refusedProbes = [await probe('/api/health'), await probe('/api/ready')];
      await sleep(phaseMs.refused / 2);
      const blackholeAt = performance.now();
      proxy.cut('blackhole');
      await sleep(phaseMs.blackhole / 4);
      const blackholeProbes = await Promise.all([probe('/api/health'), probe('/api/ready')]);
      await sleep(Math.max(0, blackholeAt + phaseMs.blackhole - performance.now()));
      const resumedAt = performance.now();
      proxy.resume();
      // Load goes on until, after a grace, more requests than workers have completed (every
      // worker went round at least once on the recovered database); a slower database (the
      // embedded one) takes longer than the usual two seconds.
      const recoveredBy = resumedAt + phaseMs.recovered;
      while (
        performance.now() < recoveredBy ||
        (samples.filter((s) => s.started > resumedAt + RECOVERY_GRACE_MS).length <= workers &&
          performance.now() < resumedAt + RECOVERY_LIMIT_MS)
      ) {
        await sleep(50);
      }
      stopped = true;
      return { cutAt, blackholeAt, resumedAt, probes: [...refusedProbes, ...blackholeProbes] };
    };

    const [{ cutAt, resumedAt, probes }] = await Promise.all([
      timeline(),
      ...Array.from({ length: workers }, (_, index) => worker(index)),
    ]);

    // The surfaces never answer anything but their healthy answer or a clean 503.
    const unexpected = samples.filter((s) => s.status !== HEALTHY_STATUS[s.op] && s.status !== 503);
    expect(
      unexpected.map((s) => `${s.op} ${s.status} ${s.appCode} ${s.message}`),
      unexpectedErrors.join('\n'),
    ).toEqual([]);
    const unavailable = samples.filter((s) => s.status === 503);
    for (const s of unavailable) {
      expect(s.appCode).toBe(1003);
      expect(s.message).toMatch(/not available/);
    }

    // Before the cut everything worked; while the database was down nothing did, and fast.
    expect(samples.filter((s) => s.ended < cutAt).every((s) => s.status === HEALTHY_STATUS[s.op])).toBe(true);
    const duringOutage = samples.filter((s) => s.started > cutAt && s.ended < resumedAt);
    expect(duringOutage.length).toBeGreaterThan(workers);
    expect(duringOutage.filter((s) => s.status !== 503)).toEqual([]);
    const startedInOutage = samples.filter((s) => s.started > cutAt && s.started < resumedAt);
    const slowest = Math.max(...startedInOutage.map((s) => s.ended - s.started));
    expect(slowest).toBeLessThan(OUTAGE_ANSWER_LIMIT_MS);
    for (const p of probes) {
      expect(p.status).toBe(503);
      expect(p.ms).toBeLessThan(OUTAGE_ANSWER_LIMIT_MS);
    }

    // Back without rebuilding anything: everything started after a short grace succeeds.
    const afterResume = samples.filter((s) => s.started > resumedAt);
    const firstOk = afterResume
      .filter((s) => s.status === HEALTHY_STATUS[s.op])
      .sort((a, b) => a.ended - b.ended)[0];
    expect(firstOk).toBeDefined();
    const recoveryMs = firstOk!.ended - resumedAt;
    const settled = afterResume.filter((s) => s.started > resumedAt + RECOVERY_GRACE_MS);
    expect(settled.length).toBeGreaterThan(workers);
    expect(settled.filter((s) => s.status !== HEALTHY_STATUS[s.op])).toEqual([]);
    expect((await probe('/api/health')).status).toBe(200);
    expect((await probe('/api/ready')).status).toBe(200);

    // Nothing was written by halves. A create is two users, two counters and two audit rows in
    // one transaction: both users exist or neither does, whatever the caller was told.
    const db = testDb();
    const users = await db.otpUser.findMany({
      where: { organizationId: org.id },
      select: { id: true, email: true, allowedDownloadsNum: true },
    });
    const byEmail = new Map(users.map((u) => [u.email, u]));
    const creates = samples.filter((s) => s.op === 'create');
    let committedUnanswered = 0;
    for (const s of creates) {
      const present = s.emails!.filter((e) => byEmail.has(e)).length;
      expect([0, s.emails!.length], `create ${s.emails} answered ${s.status}`).toContain(present);
      if (s.status === 200) expect(present).toBe(s.emails!.length);
      if (s.status === 503 && present > 0) committedUnanswered++;
    }
    expect(users.length).toBe(
      seededUsers.length +
        creates.reduce((n, s) => n + (byEmail.has(s.emails![0]!) ? s.emails!.length : 0), 0),
    );
    const store = await db.store.findUniqueOrThrow({
      where: { id: org.storeId },
      select: { otpUserCount: true },
    });
    const app = await db.publishedApplication.findUniqueOrThrow({
      where: { id: org.publishedApplicationId },
      select: { otpUserCount: true },
    });
    expect(store.otpUserCount).toBe(users.length);
    expect(app.otpUserCount).toBe(users.length);
    const audits = await db.auditEvent.findMany({
      where: { organizationId: org.id },
      select: { action: true, targetId: true, changes: true },
    });
    const createdIds = audits.filter((a) => a.action === 'otpUser.create').map((a) => a.targetId);
    expect(createdIds.sort()).toEqual(users.map((u) => u.id).sort());

    // An update is the row and its audit entry together: every allowance a user has was set by an
    // audited update (or is the initial one), every audited value was one we sent, and every
    // update answered 200 left its audit entry.
    const updateAudits = audits
      .filter((a) => a.action === 'otpUser.update')
      .map((a) => ({
        targetId: a.targetId,
        to: (a.changes as { allowedDownloadsNum: { to: number } }).allowedDownloadsNum.to,
      }));
    const sentUpdates = samples.filter((s) => s.op === 'update');
    const sentValues = new Map(sentUpdates.map((s) => [s.value!, s.otpUserId!]));
    for (const a of updateAudits) expect(sentValues.get(a.to)).toBe(a.targetId);
    const audited = new Set(updateAudits.map((a) => a.to));
    for (const s of sentUpdates.filter((u) => u.status === 200)) expect(audited.has(s.value!)).toBe(true);
    for (const user of seededUsers) {
      const current = Number(byEmail.get(user.email)!.allowedDownloadsNum);
      const setFor = updateAudits.filter((a) => a.targetId === user.id).map((a) => a.to);
      expect(current === 5 ? setFor.length === 0 : setFor.includes(current)).toBe(true);
    }

    recordFigures('database outage under load (proxy cut: refuse, then blackhole)', {
      workers,
      requests: samples.length,
      faultsInjected: 2,
      connectionsCut: proxy.stats.cutConnections,
      connectionsRefusedOrHeld: proxy.stats.refused + proxy.stats.held,
      answered503: unavailable.length,
      answered500: samples.filter((s) => s.status >= 500 && s.status !== 503).length,
      maxLatencyDuringOutageMs: Math.round(slowest),
      recoveryMs: Math.round(recoveryMs),
      createsCommitted: creates.filter((s) => byEmail.has(s.emails![0]!)).length,
      createsCommittedButAnswered503: committedUnanswered,
      updatesAudited: updateAudits.length,
    });
  });
});
