import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestOrganization,
  sessionCookieFor,
  type TestOrganization,
  testDependencies,
} from './testing/fixtures';
import { createTrpcEndpoint, singleCallOf } from './trpc-endpoint';

/**
 * The tRPC endpoint answers single calls itself and hands everything else to tRPC's fetch
 * handler. These hold the two to the same answer (status, headers, body, byte for byte) for
 * every kind of call a client or an attacker sends, and pin which calls take the short path.
 */

let org: TestOrganization;
let other: TestOrganization;
let adminCookie: string;
let listOnlyKey: string;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  adminCookie = await sessionCookieFor(org.members.OWNER.userId);
  listOnlyKey = await org.createApiKey(['mad.store.otpUsers.get']);
});

const dependencies = testDependencies();
const endpoint = createTrpcEndpoint(dependencies);
const reference = createTrpcEndpoint(dependencies, { singleCalls: false });

const url = (path: string, input?: unknown) =>
  `http://localhost/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

const get = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  new Request(url(path, input), { headers });

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** What `httpBatchLink` sends for one call: the input keyed by its index. */
const batchOfOne = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  new Request(
    `${url(path)}?batch=1${input === undefined ? '' : `&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`}`,
    {
      headers,
    },
  );

const key = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

/** What a client can see of an answer. */
async function seen(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    vary: response.headers.get('vary'),
    retryAfter: response.headers.get('retry-after'),
    cookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
}

describe('the tRPC endpoint', () => {
  // [what the call is, the request, whether the endpoint answers it itself]
  const cases: [string, () => Request, boolean][] = [
    [
      'a query of an organization’s data',
      () => get('otpUser.list', { storeId: org.storeId, limit: 5 }, key(org.apiKey)),
      true,
    ],
    ['a query without input, by an admin', () => get('auth.me', undefined, { cookie: adminCookie }), true],
    [
      'an admin’s query in their space',
      () => get('otpUser.list', { storeId: org.storeId }, { cookie: adminCookie, 'x-space': org.slug }),
      true,
    ],
    [
      'an admin’s query naming no space',
      () => get('otpUser.list', { storeId: org.storeId }, { cookie: adminCookie }),
      true,
    ],
    [
      'an admin’s query in a space not theirs',
      () => get('otpUser.list', { storeId: other.storeId }, { cookie: adminCookie, 'x-space': other.slug }),
      true,
    ],
    [
      'a query with invalid input',
      () => get('otpUser.list', { storeId: org.storeId, limit: 0 }, key(org.apiKey)),
      true,
    ],
    [
      'a query with unknown fields',
      () => get('otpUser.list', { storeId: org.storeId, sneaky: 1 }, key(org.apiKey)),
      true,
    ],
    [
      'a query with text the database cannot store',
      () => get('otpUser.list', { storeId: org.storeId, 'a\u0000': 1 }, key(org.apiKey)),
      true,
    ],
    ['a query without credentials', () => get('otpUser.list', { storeId: org.storeId }), true],
    [
      'a query with a revoked or made-up key',
      () => get('otpUser.list', { storeId: org.storeId }, key('oa_made_up')),
      true,
    ],
    [
      'a query by a key without the permission',
      () => get('otpUser.list', { storeId: org.storeId }, key(listOnlyKey)),
      true,
    ],
    [
      'a key addressing another organization',
      () => get('otpUser.list', { storeId: other.storeId }, { ...key(org.apiKey), 'x-space': other.slug }),
      true,
    ],
    [
      'another organization’s store, by id',
      () => get('otpUser.list', { storeId: other.storeId }, key(org.apiKey)),
      true,
    ],
    ['an admin procedure called with a key', () => get('auth.me', undefined, key(org.apiKey)), true],
    [
      'a mutation with a wrong code',
      () =>
        post(
          'storeAccess.verifyCode',
          JSON.stringify({ storeId: org.storeId, email: 'nobody@example.com', code: '123456' }),
        ),
      true,
    ],
    [
      'a mutation with invalid input',
      () => post('storeAccess.verifyCode', JSON.stringify({ storeId: org.storeId, email: 'x' })),
      true,
    ],
    ['a mutation that sets a cookie', () => post('storeAccess.logout', '{}'), true],
    [
      'a cross-site mutation by an admin',
      () =>
        post('otpUser.delete', JSON.stringify({ storeId: org.storeId, otpUserId: org.storeId }), {
          cookie: adminCookie,
          'x-space': org.slug,
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        }),
      true,
    ],
    ['a mutation whose body is not JSON', () => post('storeAccess.verifyCode', '{"storeId":'), true],
    ['a mutation with an empty body', () => post('storeAccess.logout', ''), true],
    [
      'a batch of one query',
      () => batchOfOne('otpUser.list', { storeId: org.storeId, limit: 5 }, key(org.apiKey)),
      true,
    ],
    [
      'a batch of one query without input',
      () => batchOfOne('auth.me', undefined, { cookie: adminCookie }),
      true,
    ],
    [
      'a batch of one query that is refused',
      () => batchOfOne('otpUser.list', { storeId: org.storeId }, key(listOnlyKey)),
      true,
    ],
    [
      'a batch of one mutation',
      () =>
        post('storeAccess.verifyCode?batch=1', JSON.stringify({ 0: { storeId: org.storeId, email: 'x' } })),
      true,
    ],
    [
      'a batch of one mutation whose inputs are a list',
      () => post('storeAccess.logout?batch=1', '[{}]'),
      true,
    ],
    [
      'a batch of one query whose inputs are a list',
      () => new Request(`${url('auth.me')}?batch=1&input=%5B1%5D`, { headers: { cookie: adminCookie } }),
      false,
    ],
    [
      'a query whose input is not JSON',
      () => new Request(`${url('auth.me')}?input=%7B`, { headers: { cookie: adminCookie } }),
      false,
    ],
    ['a mutation called with GET', () => get('storeAccess.verifyCode', {}), false],
    ['a query called with POST', () => post('auth.me', '{}', { cookie: adminCookie }), false],
    [
      'a mutation without a JSON content type',
      () => new Request(url('storeAccess.logout'), { method: 'POST', body: '{}' }),
      false,
    ],
    ['a path that names no procedure', () => get('otpUser.nothing', {}), false],
    ['a path that names a router', () => get('otpUser', {}), false],
    ['a path of the object prototype', () => get('constructor', {}), false],
    [
      'a batch',
      () =>
        new Request(
          `${url('auth.me,otpUser.list')}?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { storeId: org.storeId } }))}`,
          { headers: { cookie: adminCookie, 'x-space': org.slug } },
        ),
      false,
    ],
    [
      'a streamed batch',
      () =>
        new Request(`${url('auth.me')}?batch=1`, {
          headers: { cookie: adminCookie, 'trpc-accept': 'application/jsonl' },
        }),
      false,
    ],
  ];

  it.each(cases)('answers %s as tRPC’s own handler does', async (_name, request, short) => {
    expect(
      await singleCallOf(request(), new URL(request().url)),
      'whether the endpoint answers it itself',
    ).toEqual(short ? expect.objectContaining({ path: expect.any(String) }) : undefined);
    const [answer, expected] = await Promise.all([
      endpoint(request()).then(seen),
      reference(request()).then(seen),
    ]);
    expect(answer).toEqual(expected);
    expect(answer.status, answer.body).toBeLessThan(500);
  });

  it('answers a query with the data, and a refusal with the product’s error', async () => {
    const listed = await endpoint(get('otpUser.list', { storeId: org.storeId, limit: 5 }, key(org.apiKey)));
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ result: { data: { items: expect.any(Array) } } });

    const refused = await endpoint(get('otpUser.list', { storeId: org.storeId }, key(listOnlyKey)));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { data: { httpStatus: 403, appCode: expect.any(Number) } },
    });
  });

  it('never answers with a stack trace', async () => {
    const response = await endpoint(get('otpUser.list', { storeId: org.storeId, limit: 0 }, key(org.apiKey)));
    expect(await response.text()).not.toMatch(/"stack"|at .*\.ts:\d+/);
  });
});
