/**
 * How the REST fuzzer makes requests: credentials, headers, path segments, queries and bodies,
 * mostly aimed at one route (`requestFor`) or at nothing in particular (`wildRequest`), and the
 * properties the fuzz-rest-*.test.ts files state over them.
 */
import fc from 'fast-check';
import { it } from 'vitest';
import { scaled } from '../testing/figures';
import { CLIENT_IP_HEADER } from '../trpc';
import type { RouteSpec } from './fuzz-rest-routes';
import {
  type BodySpec,
  type Credential,
  type FuzzRequest,
  resolveSegment,
  routesWithSuccess,
  send,
} from './fuzz-rest-support';
import { almostValid, anyJson, hostileKey } from './fuzz-support';

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

/* ---------- the properties ---------- */

export const FUZZ_TITLE =
  'REST fuzzing: never a 5xx, always the documented error shape, nothing changed on error';

/** One property per route: requests generated for it never get a 5xx or an undocumented error. */
export function fuzzRoutes(fuzzedRoutes: readonly RouteSpec[]) {
  for (const route of fuzzedRoutes) {
    it(`${route.method} ${route.path}`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (spec) => {
          const status = await send(spec);
          if (status !== undefined && status < 300 && spec.method === route.method)
            routesWithSuccess.add(`${route.method} ${route.path}`);
        }),
        { numRuns: scaled(route.surface === 'operational' ? 10 : 40) },
      );
    });
  }
}

/** Requests with nothing valid about them, under any surface. */
export function fuzzWildRequests() {
  it('any method, any path, any body', async () => {
    await fc.assert(
      fc.asyncProperty(wildRequest, async (spec) => {
        await send(spec);
      }),
      { numRuns: scaled(150) },
    );
  });
}
