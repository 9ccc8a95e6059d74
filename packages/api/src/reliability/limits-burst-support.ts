/**
 * Send and verify limits under bursts of concurrent connections (OWASP API4: unrestricted
 * resource consumption). A real node:http server in front of the API's handlers takes hundreds of
 * simultaneous sockets; what counts is what the providers actually received (a real SMTP sink, a
 * fake Twilio API), never more than the limit allows, with every refusal in the documented 429
 * shape. Limits are kept in PostgreSQL, as in production.
 *
 * What the limits-burst-*.test.ts files share: the server, the sink and fake provider, how a
 * burst is sent, and the checks of a refusal.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, expect } from 'vitest';
import { setClientIp } from '../client-ip';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import {
  callerFor,
  createTestOrganization,
  mailCodesTo,
  type TestHandlers,
  type TestOrganization,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';

export const CONNECTIONS = 200;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Call {
  method?: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** The client's address, as a trusted reverse proxy appends it to X-Forwarded-For. */
  ip: string;
  headers?: Record<string, string>;
}

export let server: Server;
export let port: number;
export const connections = { opened: 0, open: 0, peak: 0 };
export let sink: MailSink;
export let twilio: FakeProvider;
export let handlers: TestHandlers;

/** One request on a connection of its own (no keep-alive), as separate clients would send it. */
export function send(call: Call): Promise<Answer> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: call.method ?? 'POST',
        path: call.path,
        agent: false,
        headers: {
          connection: 'close',
          'x-forwarded-for': call.ip,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...call.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Burst {
  answers: Answer[];
  /** Connections the server accepted for this burst, and the most open at once. */
  connections: number;
  peakConnections: number;
}

/** All calls at once, at most CONNECTIONS sockets open at a time; answers in call order. */
export async function burst(calls: Call[]): Promise<Burst> {
  const before = connections.opened;
  connections.peak = connections.open;
  const answers: Answer[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      answers[index] = await send(calls[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, calls.length) }, worker));
  return { answers, connections: connections.opened - before, peakConnections: connections.peak };
}

/** The figures every burst reports first: how many requests, over how many connections. */
export const burstFigures = (requests: number, result: Burst) => ({
  requests,
  connections: result.connections,
  'peak open connections': result.peakConnections,
});

export const runId = randomBytes(3).toString('hex');
export let ipCounter = 0;
/** Documentation-range IPv6 addresses, unique to this run. */
export const freshIp = () => `2001:db8:${runId.slice(0, 4)}:${runId.slice(4)}::${(++ipCounter).toString(16)}`;
export const freshEmail = (label: string) =>
  `${label}-${runId}-${randomBytes(3).toString('hex')}@burst.example`;

export const trpcPath = (procedure: string) => `/api/trpc/${procedure}`;
export const codeIn = (text: string) => /\b(\d{6,10})\b/.exec(text)?.[1];

/** The documented refusal on tRPC: 429, application code 7001 and how long to wait. */
export function expectTrpcTooMany(answer: Answer, maxWaitSeconds: number) {
  expect(answer.status).toBe(429);
  const error = answer.body.error as { message: string; data: Record<string, unknown> };
  expect(error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 7001 });
  const wait = (error.data.fields as { retryAfterSeconds: number }).retryAfterSeconds;
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(maxWaitSeconds);
}

/** The documented refusal on the Spring-style surfaces: 429 body and Retry-After. */
export function expectSpringTooMany(answer: Answer, path: string, maxWaitSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ status: 429, error: 'Too Many Requests', path });
  expect(typeof answer.body.timestamp).toBe('string');
  const wait = Number(answer.headers['retry-after']);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(maxWaitSeconds);
}

export const countBy = (answers: Answer[], status: number) =>
  answers.filter((a) => a.status === status).length;

/**
 * Codes go out in the background: waits until `expected` messages arrived, then a while longer,
 * so a late extra one would still be counted.
 */
export async function mailsTo(recipients: Set<string>, expected: number): Promise<number> {
  const count = () => sink.messages().filter((m) => m.to.some((to) => recipients.has(to))).length;
  const deadline = Date.now() + 20_000;
  while (count() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1_500));
  return count();
}

export async function mailingOrganization(): Promise<TestOrganization> {
  const org = await createTestOrganization();
  await mailCodesTo(org.apiKey, sink.port, 'codes@burst.example');
  return org;
}

export async function addOtpUsers(
  org: TestOrganization,
  emails: string[],
  storeId = org.storeId,
  appId?: string,
) {
  await callerFor(org.apiKey).otpUser.create({
    storeId,
    data: { email: emails, publishedApplicationId: appId ?? org.publishedApplicationId },
  });
}

export const requestCode = (storeId: string, email: string, ip: string): Call => ({
  path: trpcPath('storeAccess.requestCode'),
  body: { storeId, email },
  ip,
});

/**
 * The fixture of a burst file: the API's handlers on a real node:http server (client addresses
 * from X-Forwarded-For, as behind a trusted proxy), a mail sink and a fake Twilio.
 */
export function useBurstServer() {
  beforeAll(async () => {
    sink = await startMailSink();
    twilio = await startFakeProvider(() => ({
      status: 201,
      body: { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' },
    }));
    handlers = testHandlers({
      delivery: testDelivery({
        timeoutMs: 10_000,
        baseUrls: { TWILIO: twilio.baseUrl },
        // The installation's own mail server, for admin sign-in codes.
        operatorMail: {
          smtpHost: sink.host,
          smtpPort: sink.port,
          transportStrategy: 'SMTP',
          fromAddress: 'operator@test.example',
        },
      }),
    });
    const listener = getRequestListener(
      (request) => handlers.route(request) ?? new Response(null, { status: 404 }),
    );
    // As the app's own server does behind a trusted proxy (TRUST_PROXY=true). Each test speaks
    // from addresses of its own, so reruns on one database do not meet earlier runs' counters.
    server = createServer((req, res) => {
      setClientIp(req, { trustProxy: true });
      void listener(req, res);
    });
    server.on('connection', (socket) => {
      connections.opened++;
      connections.peak = Math.max(connections.peak, ++connections.open);
      socket.on('close', () => connections.open--);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await sink?.stop();
    await twilio?.close();
  });
}
