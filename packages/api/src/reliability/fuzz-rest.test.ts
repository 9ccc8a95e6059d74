/**
 * Property-based fuzzing of every REST route (Applivery surface, settings surface, session
 * routes, store download, operational endpoints): any method, path, query, header and body gives
 * a 4xx in the surface's documented error shape or a success, never a 5xx, never a stack trace,
 * and an error answer changes nothing in the organization it was sent with.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { ACCESS_COOKIE, REFRESH_COOKIE, SPACE_COOKIE } from '../services/session';
import { STORE_SESSION_COOKIE } from '../services/store-access';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures, scaled } from '../testing/figures';
import {
  callerFor,
  createTestOrganization,
  sessionCookieFor,
  snapshotOrganization,
  storeSessionCookieFor,
  TEST_PASSWORD,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';
import {
  almostValid,
  anyJson,
  appliveryErrorShape,
  hostileKey,
  leaksInternals,
  StatusTally,
  springErrorShape,
} from './fuzz-support';

let org: TestOrganization;
let other: TestOrganization;
let sink: MailSink;
let provider: FakeProvider;
let storeSessionCookie: string;
let viewerKey: string;
let revokedKey: string;
let otherKey: string;
const otpUserIds: string[] = [];
const unexpected: unknown[] = [];
let handlers: TestHandlers;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  sink = await startMailSink();
  // Every SMS provider answers locally, so a fuzzed "test send" never leaves the machine.
  provider = await startFakeProvider(() => ({ status: 200, body: { sid: 'SM1', code: '00', status: 'ok' } }));
  handlers = conformantRoutes(
    testHandlers({
      delivery: testDelivery({
        timeoutMs: 1_000,
        baseUrls: { TWILIO: provider.baseUrl, NETGSM: provider.baseUrl, DATAPORT: provider.baseUrl },
      }),
      onUnexpectedError: (error) => unexpected.push(error),
    }),
  );
  viewerKey = await org.createApiKey(['mad.store.otpUsers.list', 'otp.settings.read']);
  revokedKey = await org.createApiKey(['mad.store.otpUsers.list'], { revoked: true });
  otherKey = other.apiKey;
  await callerFor(org.apiKey).otpSettings.upsertSmtp(smtpBody());
  const created = await callerFor(org.apiKey).otpUser.create({
    storeId: org.storeId,
    data: {
      email: Array.from({ length: 5 }, (_, i) => `fuzz-${i}-${newObjectId()}@fuzz.example`),
      publishedApplicationId: org.publishedApplicationId,
    },
  });
  otpUserIds.push(...created.map((u) => u.id));
  // An OTP user of its own (fuzzed DELETEs may remove the others) signs in to the store, so the
  // download route is reached past authentication.
  const email = `store-${newObjectId()}@fuzz.example`;
  await callerFor(org.apiKey).otpUser.create({
    storeId: org.storeId,
    data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: -1 },
  });
  storeSessionCookie = await storeSessionCookieFor(org.storeId, email);
});

afterAll(async () => {
  await sink?.stop();
  await provider?.close();
});

const smtpBody = () => ({
  isDefault: true,
  type: 'MAIL',
  provider: 'DEFAULT',
  smtpHost: '127.0.0.1',
  smtpPort: sink.port,
  transportStrategy: 'SMTP' as const,
  fromAddress: 'fuzz@test.example',
});

/* ---------- what a request is made of ---------- */

type Credential =
  | 'none'
  | 'orgKey'
  | 'viewerKey'
  | 'revokedKey'
  | 'otherKey'
  | 'ownerCookie'
  | 'storeSession'
  | 'ownerCookieSpaceCookie'
  | 'garbageBearer'
  | 'garbageCookie'
  | 'basic'
  | 'bearerNoToken'
  | 'lowercaseBearer';

const credential = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Credential>('orgKey') },
  { weight: 4, arbitrary: fc.constant<Credential>('ownerCookie') },
  { weight: 1, arbitrary: fc.constant<Credential>('storeSession') },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Credential>(
      'none',
      'viewerKey',
      'revokedKey',
      'otherKey',
      'garbageBearer',
      'garbageCookie',
      'basic',
      'bearerNoToken',
      'lowercaseBearer',
      'ownerCookieSpaceCookie',
    ),
  },
);

/** Header values a real client can send (no CR/LF/NUL, bytes only). */
const headerValue = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
    maxLength: 200,
  }),
  fc.constantFrom('', 'a'.repeat(64_000), '%00', 'null', 'undefined', '\u00ff\u00fe'),
);
/**
 * Headers a client can send. Not the client-address header: our HTTP server sets it from the
 * connection and drops any copy the client sent, so no caller can choose its value.
 */
const headerName = fc.oneof(
  fc.constantFrom(
    'x-space',
    'cookie',
    'origin',
    'sec-fetch-site',
    'x-forwarded-proto',
    'x-forwarded-for',
    'x-request-id',
    'accept',
    'content-length',
    'content-encoding',
    'transfer-encoding',
    'authorization',
    'trpc-accept',
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((name) => name !== CLIENT_IP_HEADER),
);

async function authHeaders(kind: Credential, garbage: string): Promise<Headers> {
  // Per-IP limits live in the shared test database: a client address of its own per request keeps
  // the fuzzer from spending the budget other test files count on.
  const headers = new Headers({ [CLIENT_IP_HEADER]: `fuzz-${randomUUID()}` });
  const bearer = (key: string) => headers.set('authorization', `Bearer ${key}`);
  switch (kind) {
    case 'orgKey':
      bearer(org.apiKey);
      break;
    case 'viewerKey':
      bearer(viewerKey);
      break;
    case 'revokedKey':
      bearer(revokedKey);
      break;
    case 'otherKey':
      bearer(otherKey);
      break;
    case 'ownerCookie':
      // A fresh session each time: a fuzzed /logout may well end the previous one.
      headers.set('cookie', await sessionCookieFor(org.members.OWNER.userId));
      headers.set('x-space', org.slug);
      break;
    case 'ownerCookieSpaceCookie':
      // No X-Space: the space comes from the UI's cookie, here whatever the client made of it.
      headers.set(
        'cookie',
        `${await sessionCookieFor(org.members.OWNER.userId)}; ${SPACE_COOKIE}=${garbage}`,
      );
      break;
    case 'storeSession':
      headers.set('cookie', storeSessionCookie);
      break;
    case 'garbageBearer':
      headers.set('authorization', `Bearer ${garbage}`);
      break;
    case 'garbageCookie':
      headers.set(
        'cookie',
        `${ACCESS_COOKIE}=${garbage}; ${REFRESH_COOKIE}=${garbage}; ${SPACE_COOKIE}=${garbage}; ${STORE_SESSION_COOKIE}=${garbage}`,
      );
      headers.set('x-space', org.slug);
      break;
    case 'basic':
      headers.set('authorization', `Basic ${Buffer.from(`admin:${garbage}`).toString('base64')}`);
      break;
    case 'bearerNoToken':
      headers.set('authorization', 'Bearer ');
      break;
    case 'lowercaseBearer':
      headers.set('authorization', `bearer   ${org.apiKey}`);
      break;
    case 'none':
      break;
  }
  return headers;
}

/** Path parameters: real ids of this and the other organization, and hostile segments. */
const idSegment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('STORE', 'OTPUSER:0', 'OTPUSER:1', 'OTPUSER:2', 'OTPUSER:3', 'APP'),
  },
  { weight: 1, arbitrary: fc.constantFrom('OTHER_STORE', 'OTHER_APP', 'ORG_SLUG', 'OTHER_SLUG') },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.stringMatching(/^[0-9a-f]{24}$/),
      fc.stringMatching(/^[0-9A-Fa-f]{23,25}$/),
      fc.constantFrom(
        '..',
        '%2e%2e',
        '.',
        '%2F',
        '%',
        '%zz',
        '%00',
        '%C0%AE',
        '%FF',
        'null',
        'undefined',
        '__proto__',
        'constructor',
        '-1',
        '0',
        '1e309',
        'NaN',
        '%F0%9F%92%A5',
        'a'.repeat(5_000),
        '%252e',
        ';',
        'a;b=c',
        '~',
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    ),
  },
);

function resolveSegment(segment: string): string {
  switch (segment) {
    case 'STORE':
      return org.storeId;
    case 'APP':
      return org.publishedApplicationId;
    case 'OTHER_STORE':
      return other.storeId;
    case 'OTHER_APP':
      return other.publishedApplicationId;
    case 'ORG_SLUG':
      return org.slug;
    case 'OTHER_SLUG':
      return other.slug;
    default:
      return segment.startsWith('OTPUSER:') ? otpUserIds[Number(segment.slice(8))]! : segment;
  }
}

interface RouteSpec {
  method: string;
  /** `:name` segments take `idSegment` values; `:slug` defaults to the organization's slug. */
  path: string;
  surface: 'applivery' | 'spring' | 'operational';
  validBody?: () => Record<string, unknown>;
  /** Query keys this route reads. */
  query?: readonly string[];
  /** The credential this route is mostly sent with, when not the organization's. */
  usual?: Credential;
}

const OTP_USERS = '/v1/organizations/:slug/stores/:storeId/otp-users';
const PAGE = ['page', 'limit'] as const;

/** Every REST route of the product. */
const routes: RouteSpec[] = [
  { method: 'GET', path: '/v1/organizations/:slug/stores', surface: 'applivery', query: PAGE },
  {
    method: 'GET',
    path: '/v1/organizations/:slug/stores/:storeId/published-applications',
    surface: 'applivery',
    query: PAGE,
  },
  {
    method: 'GET',
    path: OTP_USERS,
    surface: 'applivery',
    query: [...PAGE, 'sort', 'email', 'publishedApplicationId'],
  },
  {
    method: 'POST',
    path: OTP_USERS,
    surface: 'applivery',
    validBody: () => ({
      email: [`new-${newObjectId()}@fuzz.example`],
      publishedApplicationId: org.publishedApplicationId,
      allowedDownloadsNum: 3,
    }),
  },
  { method: 'GET', path: `${OTP_USERS}/:otpUserId`, surface: 'applivery' },
  {
    method: 'PUT',
    path: `${OTP_USERS}/:otpUserId`,
    surface: 'applivery',
    validBody: () => ({ allowedDownloadsNum: 7 }),
  },
  { method: 'DELETE', path: `${OTP_USERS}/:otpUserId`, surface: 'applivery' },
  { method: 'GET', path: '/api/otp/settings', surface: 'spring' },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/twilio',
    surface: 'spring',
    validBody: () => ({
      isDefault: false,
      type: 'SMS',
      provider: 'TWILIO',
      accountSid: `AC${'d'.repeat(32)}`,
      authToken: 'x',
      twilioNumber: '+15005550006',
    }),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/netgsm',
    surface: 'spring',
    validBody: () => ({
      isDefault: false,
      type: 'SMS',
      provider: 'NETGSM',
      username: 'u',
      bayiCode: 'b',
      password: 'p',
      header: 'H',
    }),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/dataport',
    surface: 'spring',
    validBody: () => ({
      isDefault: false,
      type: 'SMS',
      provider: 'DATAPORT',
      originator: 'O',
      shortNumber: '1234',
      operator: 'op',
      username: 'u',
      accountNumber: '1',
      password: 'p',
    }),
  },
  { method: 'PUT', path: '/api/otp/settings/mail/default', surface: 'spring', validBody: () => smtpBody() },
  {
    method: 'POST',
    path: '/api/otp/settings/test',
    surface: 'spring',
    validBody: () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  },
  {
    method: 'POST',
    path: '/login',
    surface: 'spring',
    validBody: () => ({ username: org.members.VIEWER.email, password: TEST_PASSWORD }),
  },
  {
    method: 'POST',
    path: '/validate',
    surface: 'spring',
    validBody: () => ({ username: org.members.VIEWER.email, otp_code: '123456' }),
  },
  {
    method: 'POST',
    path: '/refresh',
    surface: 'spring',
    validBody: () => ({ refresh_token: 'x'.repeat(40) }),
  },
  { method: 'POST', path: '/logout', surface: 'spring', validBody: () => ({}) },
  {
    method: 'GET',
    path: '/api/store/:storeId/apps/:appId/download',
    surface: 'spring',
    usual: 'storeSession',
  },
  { method: 'GET', path: '/api/health', surface: 'operational' },
  { method: 'GET', path: '/api/ready', surface: 'operational' },
  { method: 'GET', path: '/api/openapi.json', surface: 'operational' },
];

const queryValue = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '100',
    '101',
    '1000000',
    '1e3',
    '1.5',
    ' 2',
    '0x10',
    '9'.repeat(30),
    'NaN',
    'Infinity',
    '',
    'createdAt:asc',
    'email:desc',
    'email:sideways',
    'password:asc',
    ':',
    '__proto__:asc',
    'FUZZ',
    '%',
    '%zz',
    '%00',
    '%',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9a-f]{24}$/),
);

function queryString(keys: readonly string[]): fc.Arbitrary<string> {
  const key =
    keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), hostileKey.map(encodeURIComponent)) : hostileKey;
  // Duplicated keys come for free: the pairs are independent.
  return fc
    .array(fc.tuple(key, queryValue), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));
}

type BodySpec = { text: string | null; contentType: string | null };

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/xml',
  'application/json; charset=utf-16',
  '',
  'garbage/;;;',
);

function bodies(validBody: (() => Record<string, unknown>) | undefined): fc.Arbitrary<BodySpec> {
  const valid = validBody?.() ?? {};
  const json = (value: unknown) => {
    const text = JSON.stringify(value);
    return text === undefined ? '' : text;
  };
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(almostValid(valid), fc.constantFrom('application/json', 'application/json; charset=utf-8'))
        .map(([value, type]) => ({ text: json(value), contentType: type })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(anyJson, contentType)
        .map(([value, type]) => ({ text: json(value), contentType: type })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.constantFrom(
              '{',
              '[',
              '{"a":',
              '"',
              'nul',
              '{"__proto__":{"polluted":1}}',
              '\uFEFF{}',
              '{}{}',
            ),
          ),
          contentType,
        )
        .map(([text, type]) => ({ text, contentType: type })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(fc.tuple(hostileKey, fc.string({ maxLength: 30 })), { maxLength: 5 }), fc.boolean())
        .map(([pairs, asForm]) => ({
          text: new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString(),
          contentType: asForm ? 'application/x-www-form-urlencoded' : 'application/json',
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodySpec>(
        { text: null, contentType: null },
        { text: '', contentType: 'application/json' },
        { text: 'x'.repeat(1_000_001), contentType: 'application/json' },
        { text: `{"email":[${'"a@b.co",'.repeat(200_000)}"a@b.co"]}`, contentType: 'application/json' },
        {
          text: '--fuzz\r\nContent-Disposition: form-data; name="username"\r\n\r\nx\r\n--fuzz--\r\n',
          contentType: 'multipart/form-data; boundary=fuzz',
        },
        { text: '--nope\r\n\r\n', contentType: 'multipart/form-data; boundary=fuzz' },
      ),
    },
  );
}

interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  credential: Credential;
  garbage: string;
  extraHeaders: [string, string][];
  body: BodySpec;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** A request aimed at one route: mostly its own method, a path from its template, a broken body. */
function requestFor(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const names = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
  // Mostly the right id for each parameter, so the rest of the request gets looked at too.
  const right: Record<string, fc.Arbitrary<string>> = {
    slug: fc.constant('ORG_SLUG'),
    storeId: fc.constant('STORE'),
    otpUserId: fc.constantFrom('OTPUSER:0', 'OTPUSER:1', 'OTPUSER:2', 'OTPUSER:3', 'OTPUSER:4'),
    appId: fc.constant('APP'),
  };
  const segments = fc.tuple(
    ...names.map((name) =>
      fc.oneof({ weight: 4, arbitrary: right[name] ?? idSegment }, { weight: 1, arbitrary: idSegment }),
    ),
  );
  return fc.record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant(route.method) },
      { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
    ),
    path: fc
      .tuple(
        segments,
        fc.oneof(
          { weight: 6, arbitrary: fc.constant('') },
          { weight: 1, arbitrary: fc.constantFrom('/', '//', '/extra', '/..', '/%2e%2e/otp-users') },
        ),
      )
      .map(([values, suffix]) => {
        let index = 0;
        return route.path.replace(/:[a-zA-Z]+/g, () => resolveSegment(values[index++]!)) + suffix;
      }),
    query: fc.oneof(
      { weight: 1, arbitrary: fc.constant('') },
      { weight: 2, arbitrary: queryString(route.query ?? []) },
    ),
    credential: route.usual
      ? fc.oneof({ weight: 3, arbitrary: fc.constant(route.usual) }, { weight: 1, arbitrary: credential })
      : credential,
    garbage: headerValue,
    extraHeaders: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    body: bodies(route.validBody),
  });
}

/** A request with nothing valid about it: any method, any path under any surface. */
const wildRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc
    .tuple(
      fc.constantFrom(
        '/v1',
        '/v1/organizations',
        '/api/otp',
        '/api/otp/settings',
        '/api/store',
        '/api',
        '',
        '/login',
      ),
      fc.array(idSegment, { maxLength: 6 }),
    )
    .map(([prefix, parts]) => `${prefix}/${parts.map(resolveSegment).join('/')}`),
  query: queryString([]),
  credential,
  garbage: headerValue,
  extraHeaders: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
  body: bodies(undefined),
});

/* ---------- sending one and checking the answer ---------- */

const tally = new StatusTally();
/** Routes the fuzzer got a success from: proof it reached past validation, not just bounced off. */
const routesWithSuccess = new Set<string>();
let errorsChecked = 0;

async function build(spec: FuzzRequest): Promise<Request> {
  const headers = await authHeaders(spec.credential, spec.garbage);
  for (const [name, value] of spec.extraHeaders) headers.append(name, value);
  const withBody = spec.method !== 'GET' && spec.method !== 'HEAD' && spec.body.text !== null;
  if (withBody && spec.body.contentType !== null) headers.set('content-type', spec.body.contentType);
  const query = spec.query ? `?${spec.query}` : '';
  return new Request(`http://localhost${spec.path.startsWith('/') ? '' : '/'}${spec.path}${query}`, {
    method: spec.method,
    headers,
    ...(withBody ? { body: spec.body.text } : {}),
  });
}

async function snapshots() {
  return Promise.all([snapshotOrganization(testDb(), org.id), snapshotOrganization(testDb(), other.id)]);
}

function surfaceOf(pathname: string): 'applivery' | 'spring' | 'trpc' | 'operational' {
  if (pathname === '/v1' || pathname.startsWith('/v1/')) return 'applivery';
  if (pathname.startsWith('/api/trpc')) return 'trpc';
  if (['/api/health', '/api/ready', '/api/openapi.json'].includes(pathname)) return 'operational';
  return 'spring';
}

async function send(spec: FuzzRequest): Promise<number | undefined> {
  let request: Request;
  try {
    request = await build(spec);
  } catch {
    // The fetch API itself refused the request (e.g. a header it cannot carry): no server sees it.
    return undefined;
  }
  unexpected.length = 0;
  const before = await snapshots();
  const { pathname } = new URL(request.url);
  const pending = handlers.route(request);
  if (!pending) return undefined; // a page of the web app, not the API
  const response = await pending;
  tally.add(response.status);
  const text = await response.text();
  const where = `${request.method} ${pathname} → ${response.status}: ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(leaksInternals(text), where).toBe(false);
  expect(unexpected, where).toEqual([]);
  if (response.status < 400) return response.status;
  errorsChecked++;
  let body: unknown;
  expect(() => {
    body = JSON.parse(text);
  }, where).not.toThrow();
  const surface = surfaceOf(pathname);
  const shape =
    surface === 'applivery'
      ? appliveryErrorShape(body, response.status)
      : springErrorShape(body, response.status, pathname);
  expect(shape, where).toEqual({ ok: true });
  if (response.status === 429) expect(response.headers.get('retry-after'), where).toMatch(/^\d+$/);
  expect(await snapshots(), `${where}\nan error answer changed data`).toEqual(before);
  return response.status;
}

/* ---------- the properties ---------- */

const started = performance.now();
let inputsTried = 0;

describe('REST fuzzing: never a 5xx, always the documented error shape, nothing changed on error', () => {
  for (const route of routes) {
    it(`${route.method} ${route.path}`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (spec) => {
          inputsTried++;
          const status = await send(spec);
          if (status !== undefined && status < 300 && spec.method === route.method)
            routesWithSuccess.add(`${route.method} ${route.path}`);
        }),
        { numRuns: scaled(route.surface === 'operational' ? 10 : 40) },
      );
    });
  }

  it('any method, any path, any body', async () => {
    await fc.assert(
      fc.asyncProperty(wildRequest, async (spec) => {
        inputsTried++;
        await send(spec);
      }),
      { numRuns: scaled(150) },
    );
  });
});

describe('counterexamples the fuzzer found', () => {
  // Was a 500: a lone surrogate in a setting's field made PostgreSQL refuse the JSON config column.
  it('refuses text that is not well-formed Unicode with a 400 naming the field, changing nothing', async () => {
    const before = await snapshots();
    const response = await handlers.route(
      new Request('http://localhost/api/otp/settings/sms/dataport', {
        method: 'PUT',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: '{"isDefault":false,"type":"SMS","provider":"DATAPORT","originator":"O","shortNumber":"1234","operator":"op","username":"\\ud800","accountNumber":"1","password":"p"}',
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(springErrorShape(body, 400, '/api/otp/settings/sms/dataport')).toEqual({ ok: true });
    expect(body.errors).toEqual({ username: 'Must be well-formed Unicode text without NUL characters' });
    expect(await snapshots()).toEqual(before);
  });

  // Was a 500: PostgreSQL refuses a NUL in any text value, here the username looked up.
  it('refuses a NUL character in a sign-in field with a 400 naming it', async () => {
    const response = await handlers.route(
      new Request('http://localhost/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: `fuzz-${randomUUID()}` },
        body: '{"username":"\\u0000","otp_code":"123456"}',
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(springErrorShape(body, 400, '/validate')).toEqual({ ok: true });
    expect(body.errors).toEqual({ username: 'Must be well-formed Unicode text without NUL characters' });
  });

  // Was a 500: an admin's space slug from the REST path went to PostgreSQL with its NUL. An
  // unknown space answers as a foreign one does (403), so slugs cannot be enumerated.
  it('answers an unknown space for an organization slug holding a NUL', async () => {
    const headers = await authHeaders('ownerCookie', '');
    const response = await handlers.route(
      new Request(`http://localhost/v1/organizations/%00/stores/${org.storeId}/otp-users/${otpUserIds[0]}`, {
        method: 'DELETE',
        headers,
      }),
    )!;
    expect(response.status).toBe(403);
    expect(appliveryErrorShape(await response.json(), 403)).toEqual({ ok: true });
  });

  it('names the field on the Applivery surface too', async () => {
    const response = await handlers.route(
      new Request(`http://localhost/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: `{"email":"a@b.example","publishedApplicationId":"${org.publishedApplicationId}","\\udc00":1}`,
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(appliveryErrorShape(body, 400)).toEqual({ ok: true });
    expect(body.error.data).toEqual({ '\udc00': 'Must be well-formed Unicode text without NUL characters' });
  });
});

afterAll(() => {
  recordFigures('REST fuzzing (fuzz-rest.test.ts)', {
    inputsTried,
    requestsAnswered: tally.total,
    routes: routes.length,
    routesWithASuccess: routesWithSuccess.size,
    routesWithoutASuccess: routes
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !routesWithSuccess.has(r))
      .join(', '),
    errorAnswersChecked: errorsChecked,
    successes: tally.count((s) => s < 400),
    statuses: tally.toString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
});
