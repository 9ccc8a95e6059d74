/**
 * Property-based fuzzing of every REST route (Applivery surface, settings surface, session
 * routes, store download, operational endpoints): any method, path, query, header and body gives
 * a 4xx in the surface's documented error shape or a success, never a 5xx, never a stack trace,
 * and an error answer changes nothing in the organization it was sent with.
 *
 * The fuzz-rest-*.test.ts files each fuzz the routes of one surface. They share this fixture (the
 * organizations and fake providers requests are sent against, and how an answer is checked), the
 * request generators of fuzz-rest-requests.ts and the route table of fuzz-rest-routes.ts.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import { afterAll, beforeAll, expect } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { ACCESS_COOKIE, REFRESH_COOKIE, SPACE_COOKIE } from '../services/session';
import { STORE_SESSION_COOKIE } from '../services/store-access';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures } from '../testing/figures';
import {
  callerFor,
  createTestOrganization,
  sessionCookieFor,
  sinkMailSetting,
  snapshotOrganization,
  storeSessionCookieFor,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';
import type { RouteSpec } from './fuzz-rest-routes';
import { appliveryErrorShape, leaksInternals, StatusTally, springErrorShape } from './fuzz-support';

export let org: TestOrganization;
let other: TestOrganization;
let sink: MailSink;
let provider: FakeProvider;
let storeSessionCookie: string;
let viewerKey: string;
let revokedKey: string;
let otherKey: string;
export const otpUserIds: string[] = [];
const unexpected: unknown[] = [];
export let handlers: TestHandlers;

/**
 * The fixture of a fuzzing file: two organizations (one to attack, one that must stay
 * untouched), OTP users, keys of every kind and a store session, handlers whose SMS providers
 * answer locally; and, after the file, its figures under `figuresName`.
 */
export function useRestFuzz(figuresName: string, fuzzedRoutes: readonly RouteSpec[]) {
  beforeAll(async () => {
    [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    sink = await startMailSink();
    // Every SMS provider answers locally, so a fuzzed "test send" never leaves the machine.
    provider = await startFakeProvider(() => ({
      status: 200,
      body: { sid: 'SM1', code: '00', status: 'ok' },
    }));
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

  afterAll(() => {
    recordFigures(figuresName, {
      inputsTried,
      requestsAnswered: tally.total,
      routes: fuzzedRoutes.length,
      routesWithASuccess: routesWithSuccess.size,
      routesWithoutASuccess: fuzzedRoutes
        .map((r) => `${r.method} ${r.path}`)
        .filter((r) => !routesWithSuccess.has(r))
        .join(', '),
      errorAnswersChecked: errorsChecked,
      successes: tally.count((s) => s < 400),
      statuses: tally.toString(),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  });
}

export const smtpBody = () => sinkMailSetting(sink.port, 'fuzz@test.example');

/* ---------- what a request is made of ---------- */

export type Credential =
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

export type BodySpec = { text: string | null; contentType: string | null };

export interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  credential: Credential;
  garbage: string;
  extraHeaders: [string, string][];
  body: BodySpec;
}

export async function authHeaders(kind: Credential, garbage: string): Promise<Headers> {
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

export function resolveSegment(segment: string): string {
  // One case per placeholder: each says which organization its value is from.
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

/* ---------- sending one and checking the answer ---------- */

const tally = new StatusTally();
/** Routes the fuzzer got a success from: proof it reached past validation, not just bounced off. */
export const routesWithSuccess = new Set<string>();
let errorsChecked = 0;
const started = performance.now();
let inputsTried = 0;

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

export async function snapshots() {
  return Promise.all([snapshotOrganization(testDb(), org.id), snapshotOrganization(testDb(), other.id)]);
}

function surfaceOf(pathname: string): 'applivery' | 'spring' | 'trpc' | 'operational' {
  if (pathname === '/v1' || pathname.startsWith('/v1/')) return 'applivery';
  if (pathname.startsWith('/api/trpc')) return 'trpc';
  if (['/api/health', '/api/ready', '/api/openapi.json'].includes(pathname)) return 'operational';
  return 'spring';
}

/** Sends one generated request and checks its answer; the status, or undefined when none was sent. */
export async function send(spec: FuzzRequest): Promise<number | undefined> {
  inputsTried++;
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
