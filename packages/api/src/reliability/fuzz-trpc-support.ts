/**
 * Property-based fuzzing of every tRPC procedure, through `createCaller` (any JavaScript value as
 * input, including values JSON cannot carry) and through the HTTP endpoint (single calls, batches,
 * wrong methods, broken encodings): never a 5xx, errors in the tRPC error shape with the
 * product's `appCode`, and an error changes nothing in the organization.
 *
 * The fuzz-trpc-*.test.ts files share this fixture (organizations, fake providers, credentials)
 * and how a call's answer is checked; fuzz-trpc-inputs.ts makes the inputs and HTTP calls.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { describeError } from '../errors';
import { appRouter } from '../root';
import type { DeliveryConfig } from '../services/delivery';
import { recordFigures } from '../testing/figures';
// Much the same fixtures as fuzz-rest-support.ts: the same organizations, fuzzed over the other surface.
import {
  callerFor,
  createTestMember,
  createTestOrganization,
  sessionCookieFor,
  sinkMailSetting,
  snapshotOrganization,
  storeSessionCookieFor,
  type TestHandlers,
  type TestOrganization,
  testCaller,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';
import { leaksInternals, StatusTally, trpcErrorShape } from './fuzz-support';

export let org: TestOrganization;
export let other: TestOrganization;
export let sink: MailSink;
export let provider: FakeProvider;
export let otpUserId: string;
export let storeSessionCookie: string;
export let sacrificialMemberId: string;
export let sacrificialKeyId: string;
export let buildId: string;
export let sacrificialStoreId: string;
export const unexpected: unknown[] = [];
export let handlers: TestHandlers;
export let delivery: DeliveryConfig;

/**
 * The fixture of a tRPC fuzzing file: two organizations, an OTP user signed in to the store,
 * members, keys and a store to sacrifice, providers that answer locally; after the file, its
 * figures under `figuresName`.
 */
export function useTrpcFuzz(figuresName: string) {
  beforeAll(async () => {
    [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    sink = await startMailSink();
    provider = await startFakeProvider(() => ({
      status: 200,
      body: { sid: 'SM1', code: '00', status: 'ok' },
    }));
    delivery = testDelivery({
      timeoutMs: 1_000,
      baseUrls: { TWILIO: provider.baseUrl, NETGSM: provider.baseUrl, DATAPORT: provider.baseUrl },
      operatorMail: {
        smtpHost: sink.host,
        smtpPort: sink.port,
        transportStrategy: 'SMTP',
        fromAddress: 'operator@fuzz.example',
      },
    });
    handlers = testHandlers({
      delivery,
      onUnexpectedError: (error) => unexpected.push(error),
    });
    const admin = callerFor(org.apiKey);
    await admin.otpSettings.upsertSmtp(sinkMailSetting(sink.port, 'fuzz@test.example'));
    const [user] = await admin.otpUser.create({
      storeId: org.storeId,
      data: {
        email: `fuzz-${newObjectId()}@fuzz.example`,
        publishedApplicationId: org.publishedApplicationId,
      },
    });
    otpUserId = user!.id;
    // An OTP user of its own (a fuzzed delete may remove the other) signs in to the store, so the
    // store procedures are reached past authentication.
    const email = `store-${newObjectId()}@fuzz.example`;
    await admin.otpUser.create({
      storeId: org.storeId,
      data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: -1 },
    });
    storeSessionCookie = await storeSessionCookieFor(org.storeId, email);
    sacrificialMemberId = (await createTestMember(org, 'VIEWER')).userId;
    sacrificialKeyId = (await admin.apiKey.create({ name: 'fuzz', permissions: ['org.audit.read'] })).apiKey
      .id;
    buildId = (
      await testDb().publishedApplication.findUniqueOrThrow({
        where: { id: org.publishedApplicationId },
        select: { publishedBuildId: true },
      })
    ).publishedBuildId!;
    // A store of its own for updates and deletes (the fuzz store must stay for the OTP-user calls).
    sacrificialStoreId = (await admin.store.create({ data: { name: 'fuzz sacrificial' } })).id;
  });

  afterAll(async () => {
    await sink?.stop();
    await provider?.close();
  });

  afterAll(() => {
    recordFigures(figuresName, {
      procedures: procedures.length,
      callerInputs,
      httpInputs,
      inputsTried: callerInputs + httpInputs,
      proceduresWithASuccess: [...perProcedure.values()].filter((p) => p.ok > 0).length,
      proceduresWithoutASuccess: procedures
        .map((p) => p.path)
        .filter((p) => !(perProcedure.get(p)?.ok ?? 0))
        .join(', '),
      httpStatuses: httpTally.toString(),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  });
}

export const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures,
).map(([path, procedure]) => ({ path, type: procedure._def.type as 'query' | 'mutation' }));

export type Who = 'owner' | 'orgKey' | 'otherKey' | 'none' | 'garbage' | 'storeUser';
export const who = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Who>('owner') },
  { weight: 4, arbitrary: fc.constant<Who>('orgKey') },
  { weight: 3, arbitrary: fc.constantFrom<Who>('otherKey', 'none', 'garbage', 'storeUser') },
);

export async function credentialHeaders(kind: Who): Promise<Headers> {
  // Per-IP limits live in the shared test database: a client address of its own per call keeps
  // the fuzzer from spending the budget other test files count on.
  const headers = new Headers({ [CLIENT_IP_HEADER]: `fuzz-${randomUUID()}` });
  if (kind === 'owner') {
    // A fresh session each time: the fuzzer may well sign it out.
    headers.set('cookie', await sessionCookieFor(org.members.OWNER.userId));
    headers.set('x-space', org.slug);
  } else if (kind === 'orgKey') headers.set('authorization', `Bearer ${org.apiKey}`);
  else if (kind === 'storeUser') headers.set('cookie', storeSessionCookie);
  else if (kind === 'otherKey') headers.set('authorization', `Bearer ${other.apiKey}`);
  else if (kind === 'garbage') {
    headers.set('authorization', 'Bearer oa_live_garbage');
    headers.set('cookie', 'ins_access_token=eyJhbGciOiJub25lIn0.e30.; otp_store_session=x');
  }
  return headers;
}

export async function snapshots() {
  return Promise.all([snapshotOrganization(testDb(), org.id), snapshotOrganization(testDb(), other.id)]);
}

export const perProcedure = new Map<string, { calls: number; ok: number }>();
let callerInputs = 0;
let httpInputs = 0;
export const httpTally = new StatusTally();
export const started = performance.now();

export function count(path: string, ok: boolean) {
  const entry = perProcedure.get(path) ?? { calls: 0, ok: 0 };
  entry.calls++;
  if (ok) entry.ok++;
  perProcedure.set(path, entry);
}

/* ---------- createCaller ---------- */

export async function callDirect(path: string, input: unknown, kind: Who): Promise<void> {
  callerInputs++;
  const headers = await credentialHeaders(kind);
  const caller = testCaller(headers, { delivery });
  const procedure = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  unexpected.length = 0;
  const before = await snapshots();
  let failure: unknown;
  try {
    await (procedure as (input: unknown) => Promise<unknown>)(input);
  } catch (error) {
    failure = error;
  }
  count(path, failure === undefined);
  if (failure === undefined) return;
  const described = describeError(failure);
  const where = `${path} as ${kind}: ${String((failure as Error)?.message).slice(0, 300)}`;
  expect(described.unexpected, where).toBeUndefined();
  expect(described.status, where).toBeLessThan(500);
  expect(leaksInternals(described.message), where).toBe(false);
  expect(await snapshots(), `${where}\nan error changed data`).toEqual(before);
}

export interface HttpCall {
  paths: string[];
  inputs: unknown[];
  batch: boolean;
  method: 'auto' | 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  encoding: 'json' | 'raw';
  raw: string;
  contentType: string | null;
  who: Who;
  extraHeaders: [string, string][];
}

export function isQuery(path: string): boolean {
  return procedures.find((p) => p.path === path)?.type === 'query';
}

/** JSON text of a value; what JSON cannot carry is simply left out, as a client's JSON.stringify would. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return 'null';
  }
}

export async function callHttp(call: HttpCall): Promise<void> {
  httpInputs++;
  const headers = await credentialHeaders(call.who);
  for (const [name, value] of call.extraHeaders) {
    // A streamed (JSONL) answer is another wire format, with its own checks elsewhere.
    if (value === 'application/jsonl') continue;
    headers.append(name, value);
  }
  const inputs = call.paths.map((_, i) => call.inputs[i]);
  const payload = call.batch
    ? jsonText(Object.fromEntries(inputs.map((v, i) => [String(i), v])))
    : jsonText(inputs[0]);
  const text = call.encoding === 'raw' ? call.raw : payload;
  const method = call.method === 'auto' ? (call.paths.every(isQuery) ? 'GET' : 'POST') : call.method;
  const query = new URLSearchParams();
  if (call.batch) query.set('batch', '1');
  const carriesBody = method !== 'GET' && method !== 'HEAD';
  if (!carriesBody && text !== '') query.set('input', text);
  if (carriesBody && call.contentType) headers.set('content-type', call.contentType);
  const url = `http://localhost/api/trpc/${call.paths.join(',')}${query.size > 0 ? `?${query}` : ''}`;
  let request: Request;
  try {
    request = new Request(url, { method, headers, ...(carriesBody ? { body: text } : {}) });
  } catch {
    return;
  }
  unexpected.length = 0;
  const before = await snapshots();
  const response = await handlers.route(request)!;
  httpTally.add(response.status);
  const body = await response.text();
  const where = `${method} ${url.slice(0, 300)} → ${response.status}: ${body.slice(0, 400)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(leaksInternals(body), where).toBe(false);
  expect(unexpected, where).toEqual([]);
  // HEAD and OPTIONS get an empty 204, like any HTTP server's answer to them.
  if (response.status === 204 && body === '') return;
  let parsed: unknown;
  expect(() => {
    parsed = JSON.parse(body);
  }, where).not.toThrow();
  const items = Array.isArray(parsed) ? parsed : [parsed];
  let errors = 0;
  for (const item of items) {
    if (item && typeof item === 'object' && 'result' in item) continue;
    errors++;
    // A batch with mixed outcomes answers 207; otherwise every item carries the response's status.
    expect(trpcErrorShape(item, response.status === 207 ? undefined : response.status), where).toEqual({
      ok: true,
    });
  }
  if (response.status >= 400) expect(errors, where).toBe(items.length);
  if (errors === items.length) expect(await snapshots(), `${where}\nan error changed data`).toEqual(before);
}
