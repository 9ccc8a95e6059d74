/**
 * Smaller findings of an attacker's probe, each checked on the real handlers (and, where the
 * finding is about the HTTP server itself, through a node:http server set up as the app's own):
 * server-side store sign-out, code requests that do the same work for unknown addresses, body
 * limits before parsing on every surface, one answer for unknown and foreign spaces, forwarding
 * headers only from a trusted proxy, and Retry-After on tRPC's 429.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClientIp } from '../client-ip';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { MAX_BODY_BYTES } from '../rest/wire';
import { recordFigures, scaled } from '../testing/figures';
import {
  callerFor,
  createTestOrganization,
  mailCodesTo,
  sessionCookieFor,
  storeSessionCookieFor,
  TEST_PASSWORD,
  type TestHandlers,
  type TestOrganization,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';

let org: TestOrganization;
let other: TestOrganization;
let sink: MailSink;
let handlers: TestHandlers;
const runId = randomBytes(3).toString('hex');
let ipCounter = 0;
const freshIp = () => `2001:db8:${runId.slice(0, 4)}:${runId.slice(4)}::${(++ipCounter).toString(16)}`;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  sink = await startMailSink();
  handlers = testHandlers({
    delivery: testDelivery({ timeoutMs: 2_000 }),
  });
  await mailCodesTo(org.apiKey, sink.port, 'otp@test.example');
});

afterAll(async () => {
  await sink.stop();
});

const route = (request: Request) => handlers.route(request)!;

function trpcPost(procedure: string, input: unknown, headers: Record<string, string> = {}) {
  return route(
    new Request(`http://localhost/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(input),
    }),
  );
}

describe('store sign-out', () => {
  it('ends the session on the server: the old cookie no longer lists apps or downloads', async () => {
    const email = `leaver-${runId}@store.example`;
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: -1 },
    });
    const cookie = await storeSessionCookieFor(org.storeId, email);
    const apps = () =>
      route(new Request('http://localhost/api/trpc/storeAccess.apps', { headers: { cookie } }));
    const before = await apps();
    expect(before.status, await before.text()).toBe(200);

    const logout = await trpcPost('storeAccess.logout', {}, { cookie });
    expect(logout.status, await logout.clone().text()).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/ota_store_session=;/);

    // A copy of the cookie kept by an attacker (or another tab) is dead too.
    expect((await apps()).status).toBe(401);
    const download = await route(
      new Request(`http://localhost/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`, {
        headers: { cookie },
      }),
    );
    expect([401, 404]).toContain(download.status);
    expect(download.status).not.toBe(200);
    const other = await storeSessionCookieFor(org.storeId, email);
    const stillFine = await route(
      new Request('http://localhost/api/trpc/storeAccess.apps', { headers: { cookie: other } }),
    );
    expect(stillFine.status).toBe(200);
    recordFigures('store sign-out ends the session on the server', {
      beforeSignOut: 200,
      afterSignOutSameCookie: 401,
      otherSessionOfSameUser: stillFine.status,
    });
  });
});

/**
 * Hodges–Lehmann estimate of the shift between two samples: the median of every pairwise
 * difference. Robust to the outliers a shared machine produces, unlike a difference of means.
 */
function shiftEstimate(a: number[], b: number[]): number {
  const differences: number[] = [];
  for (const x of a) for (const y of b) differences.push(x - y);
  differences.sort((p, q) => p - q);
  return differences[Math.floor(differences.length / 2)]!;
}
const median = (values: number[]) => [...values].sort((p, q) => p - q)[Math.floor(values.length / 2)]!;

describe('code requests for known and unknown addresses', () => {
  it('take the same time: the work that differs happens after the answer', async () => {
    const pairs = scaled(30);
    const known: string[] = [];
    for (let i = 0; i < pairs; i++) known.push(`known-${runId}-${i}@timing.example`);
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: known, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: 1 },
    });
    const timed = async (email: string, isKnown: boolean) => {
      const started = performance.now();
      const response = await trpcPost(
        'storeAccess.requestCode',
        { storeId: org.storeId, email },
        { [CLIENT_IP_HEADER]: freshIp() },
      );
      await response.arrayBuffer();
      const ms = performance.now() - started;
      expect(response.status).toBe(200);
      // Background work (the code and its mail) must not overlap the next request timed.
      if (isKnown) await sink.waitFor((mail) => mail.to.includes(email), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return ms;
    };
    // Warm-up, then interleaved so drift on a shared machine hits both alike.
    await timed(`warm-${runId}@timing.example`, false);
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < pairs; i++) {
      if (i % 2 === 0) {
        knownMs.push(await timed(known[i]!, true));
        unknownMs.push(await timed(`unknown-${runId}-${i}@timing.example`, false));
      } else {
        unknownMs.push(await timed(`unknown-${runId}-${i}@timing.example`, false));
        knownMs.push(await timed(known[i]!, true));
      }
    }
    const shift = shiftEstimate(knownMs, unknownMs);
    const figures = {
      requestsPerGroup: pairs,
      medianKnownMs: Math.round(median(knownMs) * 10) / 10,
      medianUnknownMs: Math.round(median(unknownMs) * 10) / 10,
      hodgesLehmannShiftMs: Math.round(shift * 10) / 10,
    };
    recordFigures('code request timing: OTP user vs unknown address', figures);
    // Before: ~12 ms apart (an extra query, a code written, a message rendered). Now the same
    // work: the shift is within noise.
    expect(Math.abs(shift), JSON.stringify(figures)).toBeLessThan(Math.max(3, median(unknownMs) * 0.15));
  });
});

/** A 10 MB body that counts how much of it was ever read. */
function hugeBody() {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= 10_000_000) return controller.close();
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

describe('body limits on every surface', () => {
  const surfaces: { name: string; path: string; method: string; type: string; auth: 'key' | 'none' }[] = [
    {
      name: 'tRPC JSON',
      path: '/api/trpc/auth.login',
      method: 'POST',
      type: 'application/json',
      auth: 'none',
    },
    {
      name: 'tRPC multipart',
      path: '/api/trpc/auth.login',
      method: 'POST',
      type: 'multipart/form-data; boundary=x',
      auth: 'none',
    },
    {
      name: '/login multipart',
      path: '/login',
      method: 'POST',
      type: 'multipart/form-data; boundary=x',
      auth: 'none',
    },
    {
      name: '/validate multipart',
      path: '/validate',
      method: 'POST',
      type: 'multipart/form-data; boundary=x',
      auth: 'none',
    },
    {
      name: '/refresh multipart',
      path: '/refresh',
      method: 'POST',
      type: 'multipart/form-data; boundary=x',
      auth: 'none',
    },
    {
      name: '/login form',
      path: '/login',
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      auth: 'none',
    },
    {
      name: 'settings PUT',
      path: '/api/otp/settings/mail/default',
      method: 'PUT',
      type: 'application/json',
      auth: 'key',
    },
    {
      name: 'Applivery POST',
      path: '/v1/organizations/x/stores/y/otp-users',
      method: 'POST',
      type: 'application/json',
      auth: 'key',
    },
  ];

  it('refuses a 10 MB body having read at most the limit, declared or chunked', async () => {
    const figures = {
      surfaces: surfaces.length,
      requests: 0,
      refused400: 0,
      maxBytesReadDeclared: 0,
      maxBytesReadChunked: 0,
    };
    for (const surface of surfaces) {
      for (const declared of [true, false]) {
        const { stream, state } = hugeBody();
        const headers: Record<string, string> = { 'content-type': surface.type };
        if (declared) headers['content-length'] = '10000000';
        if (surface.auth === 'key') headers.authorization = `Bearer ${org.apiKey}`;
        const response = await route(
          new Request(`http://localhost${surface.path}`, {
            method: surface.method,
            headers,
            body: stream,
            duplex: 'half',
          } as RequestInit),
        );
        const text = await response.text();
        figures.requests++;
        const where = `${surface.name} (${declared ? 'declared length' : 'chunked'}): ${text.slice(0, 200)}`;
        expect(response.status, where).toBe(400);
        expect(text, where).toMatch(/too large/i);
        figures.refused400++;
        if (declared) {
          figures.maxBytesReadDeclared = Math.max(figures.maxBytesReadDeclared, state.pulled);
          expect(state.pulled, where).toBeLessThanOrEqual(2 * 64 * 1024);
        } else {
          figures.maxBytesReadChunked = Math.max(figures.maxBytesReadChunked, state.pulled);
          expect(state.pulled, where).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * 64 * 1024);
        }
      }
    }
    recordFigures('body limit before parsing (10 MB bodies, 1 MB limit)', figures);
  });
});

describe('spaces', () => {
  it('answers an unknown space exactly as a foreign one, and a missing one with 400', async () => {
    const cookie = await sessionCookieFor(org.members.OWNER.userId);
    const ask = async (space: string | null, surface: 'rest' | 'trpc') => {
      const headers: Record<string, string> = { cookie };
      if (space !== null) headers['x-space'] = space;
      const response = await route(
        new Request(
          surface === 'rest'
            ? 'http://localhost/api/otp/settings'
            : 'http://localhost/api/trpc/otpSettings.list',
          { headers },
        ),
      );
      const body = await response.json();
      if (surface === 'rest') delete body.timestamp;
      return { status: response.status, body };
    };
    for (const surface of ['rest', 'trpc'] as const) {
      const foreign = await ask(other.slug, surface);
      const unknown = await ask(`no-such-${runId}`, surface);
      expect(foreign.status, surface).toBe(403);
      expect(unknown, surface).toEqual(foreign);
      expect(JSON.stringify(unknown.body)).not.toContain(`no-such-${runId}`);
      expect((await ask(null, surface)).status, surface).toBe(400);
    }
  });
});

describe('the HTTP server', () => {
  let server: Server;
  let port: number;
  let trustProxy = false;

  beforeAll(async () => {
    const listener = getRequestListener((request) => route(request) ?? new Response(null, { status: 404 }));
    server = createServer((req, res) => {
      setClientIp(req, { trustProxy });
      void listener(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function post(path: string, body: string, headers: Record<string, string>) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }
  const login = () => JSON.stringify({ username: org.members.ADMIN.email, password: TEST_PASSWORD });
  const cookiesOf = (headers: Record<string, string | string[] | undefined>) =>
    ([] as string[]).concat(headers['set-cookie'] ?? []);

  it('ignores X-Forwarded-Proto and X-Forwarded-Host unless TRUST_PROXY is on', async () => {
    trustProxy = false;
    const plain = await post('/login', login(), { 'x-forwarded-proto': 'https' });
    expect(plain.status).toBe(200);
    expect(cookiesOf(plain.headers).length).toBeGreaterThan(0);
    for (const cookie of cookiesOf(plain.headers)) expect(cookie).not.toMatch(/;\s*Secure/i);
    // Another site's page, claiming through X-Forwarded-Host to be this one.
    const forged = await post('/login', login(), {
      origin: 'http://evil.example',
      'x-forwarded-host': 'evil.example',
    });
    expect(forged.status).toBe(403);

    trustProxy = true;
    const proxied = await post('/login', login(), { 'x-forwarded-proto': 'https' });
    expect(proxied.status).toBe(200);
    for (const cookie of cookiesOf(proxied.headers)) expect(cookie).toMatch(/;\s*Secure/i);
    trustProxy = false;
  });

  it('sends Retry-After with tRPC 429 answers', async () => {
    const ip = freshIp();
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await trpcPost(
        'storeAccess.requestCode',
        { storeId: org.storeId, email: `burst-${runId}-${i}@limits.example` },
        { [CLIENT_IP_HEADER]: ip },
      );
      if (last.status === 429) break;
      await last.arrayBuffer();
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });
});
