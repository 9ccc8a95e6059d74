/**
 * Property-based fuzzing of every tRPC procedure, through `createCaller` (any JavaScript value as
 * input, including values JSON cannot carry) and through the HTTP endpoint (single calls, batches,
 * wrong methods, broken encodings): never a 5xx, errors in the tRPC error shape with the
 * product's `appCode`, and an error changes nothing in the organization.
 */

import { randomUUID } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { describeError } from '../errors';
import { createHttpHandlers } from '../http';
import { appRouter, createCaller } from '../root';
import type { DeliveryConfig } from '../services/delivery';
import { recordFigures, scaled } from '../testing/figures';
import {
  callerFor,
  createTestMember,
  createTestOrganization,
  sessionCookieFor,
  snapshotOrganization,
  storeSessionCookieFor,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testDelivery,
  testKeyring,
  testLimits,
  testSession,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER, createTRPCContext } from '../trpc';
import {
  almostValid,
  anyJson,
  hostileValue,
  leaksInternals,
  StatusTally,
  trpcErrorShape,
} from './fuzz-support';

let org: TestOrganization;
let other: TestOrganization;
let sink: MailSink;
let provider: FakeProvider;
let otpUserId: string;
let storeSessionCookie: string;
let sacrificialMemberId: string;
let sacrificialKeyId: string;
let buildId: string;
let sacrificialStoreId: string;
const unexpected: unknown[] = [];
let handlers: ReturnType<typeof createHttpHandlers>;
let delivery: DeliveryConfig;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  sink = await startMailSink();
  provider = await startFakeProvider(() => ({ status: 200, body: { sid: 'SM1', code: '00', status: 'ok' } }));
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
  handlers = createHttpHandlers({
    db: testDb(),
    session: testSession,
    keyring: testKeyring,
    limits: testLimits(),
    delivery,
    onUnexpectedError: (error) => unexpected.push(error),
  });
  const admin = callerFor(org.apiKey);
  await admin.otpSettings.upsertSmtp({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: '127.0.0.1',
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'fuzz@test.example',
  });
  const [user] = await admin.otpUser.create({
    storeId: org.storeId,
    data: { email: `fuzz-${newObjectId()}@fuzz.example`, publishedApplicationId: org.publishedApplicationId },
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
  sacrificialKeyId = (await admin.apiKey.create({ name: 'fuzz', permissions: ['org.audit.read'] })).apiKey.id;
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

const DRAFT_POLICY = { codeLength: 8, codeTtlMinutes: 5, mailSubject: null, mailBody: null, smsText: null };

/** A valid input of each procedure, so mutations of it get past the outer checks. */
const validInputs: Record<string, () => unknown> = {
  'auth.login': () => ({ username: org.members.VIEWER.email, password: TEST_PASSWORD }),
  'auth.validate': () => ({ username: org.members.VIEWER.email, otp_code: '123456' }),
  'auth.setTwoFactor': () => ({ otpType: 'NONE' }),
  'auth.refresh': () => ({ refresh_token: 'r'.repeat(40) }),
  'auth.logout': () => undefined,
  'auth.me': () => undefined,
  'auth.switchSpace': () => ({ slug: org.slug }),
  'apiKey.list': () => undefined,
  'apiKey.create': () => ({ name: 'fuzz', permissions: ['mad.store.otpUsers.list'] }),
  'apiKey.revoke': () => ({ id: sacrificialKeyId }),
  'member.list': () => undefined,
  'member.invite': () => ({ email: `i-${newObjectId()}@fuzz.example`, role: 'VIEWER' }),
  'member.changeRole': () => ({ userId: sacrificialMemberId, role: 'VIEWER' }),
  'member.remove': () => ({ userId: sacrificialMemberId }),
  'member.unlock': () => ({ userId: sacrificialMemberId }),
  'member.invitations': () => undefined,
  'member.revokeInvitation': () => ({ id: newObjectId() }),
  'account.twoFactor': () => undefined,
  'account.beginTotp': () => undefined,
  'account.confirmTotp': () => ({ code: '123456' }),
  // Never the right password: a fuzzed success must not change the owner's sign-in.
  'account.regenerateRecoveryCodes': () => ({ currentPassword: 'not the password' }),
  'account.changePassword': () => ({
    currentPassword: 'not the password',
    newPassword: 'a new password 123',
  }),
  'account.sessions': () => undefined,
  'account.revokeSession': () => ({ id: newObjectId() }),
  'account.invitations': () => undefined,
  'account.answerInvitation': () => ({ id: newObjectId(), accept: false }),
  'invitation.preview': () => ({ token: 'a'.repeat(43) }),
  'invitation.accept': () => ({ token: 'a'.repeat(43), password: 'a long password 1' }),
  'audit.list': () => ({ page: 1, limit: 5, actor: 'x', action: 'otpUser.update' }),
  'otpSettings.list': () => undefined,
  'otpSettings.upsertTwilio': () => ({
    isDefault: false,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'d'.repeat(32)}`,
    authToken: 'x',
    twilioNumber: '+15005550006',
  }),
  'otpSettings.upsertNetgsm': () => ({
    isDefault: false,
    type: 'SMS',
    provider: 'NETGSM',
    username: 'u',
    password: 'p',
    header: 'H',
  }),
  'otpSettings.upsertDataport': () => ({
    isDefault: false,
    type: 'SMS',
    provider: 'DATAPORT',
    username: 'u',
    password: 'p',
    accountNumber: '1',
    originator: 'O',
  }),
  'otpSettings.upsertSmtp': () => ({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: '127.0.0.1',
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'fuzz@test.example',
  }),
  'otpSettings.setDefault': () => ({ type: 'SMS', provider: 'NETGSM' }),
  'otpSettings.remove': () => ({ type: 'SMS', provider: 'DATAPORT' }),
  'otpSettings.test': () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  'deliveryLog.list': () => ({ page: 1, limit: 5, type: 'MAIL', status: 'SENT', purpose: 'TEST' }),
  'overview.get': () => ({ days: 7 }),
  'otpUser.list': () => ({ storeId: org.storeId, page: 1, limit: 5, sort: 'email:asc', email: 'fuzz' }),
  'otpUser.byId': () => ({ storeId: org.storeId, otpUserId }),
  'otpUser.create': () => ({
    storeId: org.storeId,
    data: { email: `c-${newObjectId()}@fuzz.example`, publishedApplicationId: org.publishedApplicationId },
  }),
  'otpUser.update': () => ({ storeId: org.storeId, otpUserId, data: { allowedDownloadsNum: 4 } }),
  'otpUser.delete': () => ({ storeId: org.storeId, otpUserId }),
  'otpUser.downloads': () => ({ storeId: org.storeId, otpUserId, page: 1, limit: 5 }),
  'otpUser.usage': () => ({ storeId: org.storeId, otpUserIds: [otpUserId] }),
  'store.list': () => ({ page: 1, limit: 5 }),
  'store.create': () => ({ data: { name: 'fuzz store', description: 'made by the fuzzer' } }),
  'store.update': () => ({ storeId: sacrificialStoreId, data: { name: 'fuzz renamed', description: '' } }),
  'store.delete': () => ({ storeId: sacrificialStoreId }),
  'organization.get': () => undefined,
  'organization.rename': () => ({ name: 'Fuzz Org' }),
  'organization.updateOtpPolicy': () => ({
    codeLength: 6,
    codeTtlMinutes: 10,
    mailSubject: 'Code for {{organization}}',
    mailBody: 'Your code: {{code}} ({{minutes}} min)',
    smsText: null,
  }),
  'organization.previewMessages': () => ({ policy: { ...DRAFT_POLICY } }),
  'organization.testMessage': () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  // Never the real name: an owner's fuzzed call must not end the organization under test.
  'organization.delete': () => ({ confirmName: 'not the organization name' }),
  'setup.status': () => undefined,
  'setup.createOrganization': () => ({
    slug: 'fuzz-first',
    name: 'Fuzz First',
    ownerEmail: 'first@fuzz.example',
    password: 'a-long-enough-password',
    token: 'not-the-setup-token',
  }),
  'publishedApplication.list': () => ({ storeId: org.storeId, page: 1, limit: 5 }),
  'publishedApplication.create': () => ({ storeId: org.storeId, data: { name: 'Fuzz App', version: '1' } }),
  'build.list': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    page: 1,
    limit: 5,
  }),
  'build.upload': () => ({ storeId: org.storeId, publishedApplicationId: org.publishedApplicationId }),
  'build.publish': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    data: { buildId },
  }),
  'build.delete': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    buildId,
  }),
  'storeAccess.store': () => ({ storeId: org.storeId }),
  'storeAccess.requestCode': () => ({ storeId: org.storeId, email: 'nobody@fuzz.example' }),
  'storeAccess.verifyCode': () => ({ storeId: org.storeId, email: 'nobody@fuzz.example', code: '123456' }),
  'storeAccess.apps': () => undefined,
  'storeAccess.logout': () => undefined,
};

const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures,
).map(([path, procedure]) => ({ path, type: procedure._def.type as 'query' | 'mutation' }));

/** Ids the fuzzer swaps in: the other organization's, unknown ones, malformed ones. */
const foreignId = fc.oneof(
  fc.constantFrom('OTHER_STORE', 'OTHER_APP', 'OTHER_OWNER'),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.stringMatching(/^[0-9a-fA-F]{23,25}$/),
);

function resolveForeign(value: unknown): unknown {
  if (value === 'OTHER_STORE') return other.storeId;
  if (value === 'OTHER_APP') return other.publishedApplicationId;
  if (value === 'OTHER_OWNER') return other.members.OWNER.userId;
  return value;
}

/** Inputs for one procedure: broken valid ones, ids of another tenant, and anything at all. */
function inputsFor(path: string): fc.Arbitrary<unknown> {
  const valid = Object.hasOwn(validInputs, path) ? validInputs[path]!() : undefined;
  const base = valid && typeof valid === 'object' ? (valid as Record<string, unknown>) : {};
  const idKeys = Object.keys(base).filter((k) => /Id$|^id$|^userId$/.test(k));
  const swapped =
    idKeys.length > 0
      ? fc
          .tuple(fc.constantFrom(...idKeys), foreignId)
          .map(([key, id]) => ({ ...base, [key]: resolveForeign(id) }))
      : fc.constant<unknown>(valid);
  return fc.oneof(
    { weight: 6, arbitrary: almostValid(base) },
    { weight: 2, arbitrary: swapped },
    { weight: 2, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: anyJson },
    {
      weight: 2,
      arbitrary: fc.anything({
        maxDepth: 3,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withTypedArray: true,
        withSparseArray: true,
        withBoxedValues: true,
      }),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

type Who = 'owner' | 'orgKey' | 'otherKey' | 'none' | 'garbage' | 'storeUser';
const who = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Who>('owner') },
  { weight: 4, arbitrary: fc.constant<Who>('orgKey') },
  { weight: 3, arbitrary: fc.constantFrom<Who>('otherKey', 'none', 'garbage', 'storeUser') },
);

async function credentialHeaders(kind: Who): Promise<Headers> {
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

async function snapshots() {
  return Promise.all([snapshotOrganization(testDb(), org.id), snapshotOrganization(testDb(), other.id)]);
}

const perProcedure = new Map<string, { calls: number; ok: number }>();
let callerInputs = 0;
let httpInputs = 0;
const httpTally = new StatusTally();
const started = performance.now();

function count(path: string, ok: boolean) {
  const entry = perProcedure.get(path) ?? { calls: 0, ok: 0 };
  entry.calls++;
  if (ok) entry.ok++;
  perProcedure.set(path, entry);
}

/* ---------- createCaller ---------- */

async function callDirect(path: string, input: unknown, kind: Who): Promise<void> {
  const headers = await credentialHeaders(kind);
  const caller = createCaller(
    createTRPCContext({
      db: testDb(),
      session: testSession,
      keyring: testKeyring,
      limits: testLimits(),
      delivery,
      headers,
      requestedSpace: null,
    }),
  );
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

/* ---------- HTTP ---------- */

const procedurePath = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...procedures.map((p) => p.path)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'nope',
      'auth',
      'auth.login.extra',
      '__proto__',
      'constructor',
      'toString',
      'auth.__proto__',
      'otpUser.constructor',
      '',
      '.',
      'a'.repeat(3_000),
      '%00',
      '%E0%A4%A',
    ),
  },
);

interface HttpCall {
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

const httpCall: fc.Arbitrary<HttpCall> = fc
  .record({
    paths: fc.array(procedurePath, { minLength: 1, maxLength: 3 }),
    batch: fc.boolean(),
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant<'auto'>('auto') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<HttpCall['method']>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
      },
    ),
    encoding: fc.oneof(
      { weight: 6, arbitrary: fc.constant<'json'>('json') },
      { weight: 1, arbitrary: fc.constant<'raw'>('raw') },
    ),
    raw: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom(
        '{',
        '[]',
        '{"0":',
        'null',
        '{"0":{"json":1}}',
        '{"__proto__":{"x":1}}',
        'x'.repeat(200_000),
      ),
    ),
    contentType: fc.constantFrom<string | null>(
      'application/json',
      'application/json',
      'application/json',
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
    who,
    extraHeaders: fc.array(
      fc.tuple(
        fc.constantFrom(
          'x-space',
          'origin',
          'sec-fetch-site',
          'cookie',
          'trpc-accept',
          'x-request-id',
          'accept',
        ),
        fc.oneof(
          fc.constantFrom(
            'cross-site',
            'https://evil.example',
            'ins_space=%00',
            'application/jsonl',
            '',
            'a'.repeat(20_000),
          ),
          fc.string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            maxLength: 60,
          }),
        ),
      ),
      { maxLength: 2 },
    ),
  })
  .chain((call) =>
    fc
      .tuple(...call.paths.map((p) => (Object.hasOwn(validInputs, p) ? inputsFor(p) : anyJson)))
      .map((inputs) => ({ ...call, paths: call.batch ? call.paths : call.paths.slice(0, 1), inputs })),
  );

function isQuery(path: string): boolean {
  return procedures.find((p) => p.path === path)?.type === 'query';
}

/** JSON text of a value; what JSON cannot carry is simply left out, as a client's JSON.stringify would. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return 'null';
  }
}

async function callHttp(call: HttpCall): Promise<void> {
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

/* ---------- the properties ---------- */

describe('tRPC fuzzing: never a 5xx, always the tRPC error shape, nothing changed on error', () => {
  it('has a valid input for every procedure, so each is fuzzed in depth', () => {
    expect(Object.keys(validInputs).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  for (const { path } of procedures) {
    it(`createCaller ${path}`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(path), who, async (input, kind) => {
          callerInputs++;
          await callDirect(path, input, kind);
        }),
        { numRuns: scaled(12) },
      );
    });
  }

  it('HTTP: single calls, batches, wrong methods and broken encodings', async () => {
    await fc.assert(
      fc.asyncProperty(httpCall, async (call) => {
        httpInputs++;
        await callHttp(call);
      }),
      { numRuns: scaled(250) },
    );
  });
});

describe('tRPC refusals of malformed HTTP calls (counterexamples the fuzzer found)', () => {
  const login = JSON.stringify({ username: 'a@b.example', password: 'x' });
  const cases: [string, () => Request, number][] = [
    // Was a 500 "Internal server error": tRPC's UNSUPPORTED_MEDIA_TYPE had no product error code.
    [
      'a mutation posted without a JSON content type',
      () => new Request('http://localhost/api/trpc/auth.login', { method: 'POST', body: login }),
      415,
    ],
    // Was a 500: tRPC's BAD_REQUEST carried the form parser's TypeError as its cause.
    [
      'a JSON body sent as multipart form data',
      () =>
        new Request('http://localhost/api/trpc/auth.login', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: '[]',
        }),
      400,
    ],
    [
      'a mutation called with GET',
      () => new Request(`http://localhost/api/trpc/auth.login?input=${encodeURIComponent(login)}`),
      405,
    ],
    [
      'a query called with POST',
      () =>
        new Request('http://localhost/api/trpc/auth.me', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      405,
    ],
  ];
  // Was a 500: the key's name goes into the audit trail's JSON column, which refuses a lone surrogate.
  it('refuses an API key name that is not well-formed Unicode, changing nothing', async () => {
    const before = await snapshots();
    const failure = await callerFor(org.apiKey)
      .apiKey.create({ name: 'fuzz\ud800', permissions: ['org.audit.read'] })
      .catch((error: unknown) => error);
    expect(describeError(failure)).toEqual({
      status: 400,
      code: 6001,
      message: 'Database Validation Error',
      data: { name: 'Must be well-formed Unicode text without NUL characters' },
    });
    expect(await snapshots()).toEqual(before);
  });

  it.each(cases)('%s', async (_name, request, status) => {
    unexpected.length = 0;
    const response = await handlers.route(request())!;
    expect(response.status).toBe(status);
    expect(trpcErrorShape(await response.json(), status)).toEqual({ ok: true });
    expect(unexpected).toEqual([]);
  });
});

afterAll(() => {
  recordFigures('tRPC fuzzing (fuzz-trpc.test.ts)', {
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
