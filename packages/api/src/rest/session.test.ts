import { parseSetCookie } from 'cookie';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVALID_CREDENTIALS_MESSAGE } from '../services/admin-login';
import { conformantRoutes } from '../testing/conformance';
import {
  callerFor,
  createTestOrganization,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';

/** A controllable clock shared by the handlers under test. */
let clock = new Date();
const handlers = conformantRoutes(
  testHandlers({
    now: () => clock,
  }),
);

let org: TestOrganization;
beforeAll(async () => {
  org = await createTestOrganization();
});

interface Jar {
  [name: string]: string;
}

async function post(
  path: string,
  init: { body?: string; type?: string; jar?: Jar; headers?: HeadersInit } = {},
) {
  const headers = new Headers(init.headers);
  headers.set('content-type', init.type ?? 'application/json');
  if (init.jar) {
    headers.set(
      'cookie',
      Object.entries(init.jar)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    );
  }
  const response = await handlers.route(
    new Request(`http://localhost${path}`, { method: 'POST', headers, body: init.body ?? '' }),
  )!;
  const cookies = response.headers.getSetCookie().map((c) => parseSetCookie(c));
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookies,
    headers: response.headers,
  };
}

const login = (username: string, password: string, extra: { headers?: HeadersInit } = {}) =>
  post('/login', { body: JSON.stringify({ username, password }), ...extra });

function jarOf(cookies: { name: string; value?: string | undefined }[]): Jar {
  return Object.fromEntries(cookies.filter((c) => c.value).map((c) => [c.name, c.value!]));
}

async function trpcMe(jar: Jar) {
  const response = await handlers.route(
    new Request('http://localhost/api/trpc/auth.me', {
      headers: {
        cookie: Object.entries(jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    }),
  )!;
  return {
    status: response.status,
    body: (await response.json()) as { error?: { data: { appCode: number } } },
  };
}

describe('admin sign-in over HTTP', () => {
  it('sets HttpOnly, SameSite=Lax session cookies with the documented lifetimes and lists the spaces', async () => {
    clock = new Date();
    const res = await login(org.members.OWNER.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      'expire-seconds': 300,
      spaces: [{ slug: org.slug, name: expect.any(String), role: 'OWNER' }],
    });
    const access = res.cookies.find((c) => c.name === 'ins_access_token')!;
    const refresh = res.cookies.find((c) => c.name === 'ins_refresh_token')!;
    for (const cookie of [access, refresh]) {
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
      expect(cookie.secure).toBeFalsy();
    }
    expect(access.maxAge).toBe(300);
    expect(refresh.maxAge).toBe(24 * 3600);
    expect(access.value).not.toBe(refresh.value);
    // The refresh token is stored only as a hash.
    expect(await testDb().refreshToken.count({ where: { tokenHash: refresh.value! } })).toBe(0);
  });

  it('marks cookies Secure when served over https (directly or behind a proxy)', async () => {
    const res = await login(org.members.ADMIN.email, TEST_PASSWORD, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.cookies.every((c) => c.secure === true)).toBe(true);
  });

  it('accepts an HTML form post', async () => {
    const body = new URLSearchParams({
      username: org.members.VIEWER.email,
      password: TEST_PASSWORD,
    }).toString();
    const res = await post('/login', { body, type: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(res.body.spaces).toEqual([expect.objectContaining({ role: 'VIEWER' })]);
  });

  it('expires the access token after 5 minutes; /refresh rotates both cookies; a replayed refresh token kills the chain', async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    const signIn = await login(org.members.OWNER.email, TEST_PASSWORD);
    const jar = jarOf(signIn.cookies);
    expect((await trpcMe(jar)).status).toBe(200);

    clock = new Date('2030-01-01T00:05:01Z');
    const expired = await trpcMe(jar);
    expect(expired.status).toBe(401);
    expect(expired.body.error?.data.appCode).toBe(4005);

    const refreshed = await post('/refresh', { jar });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['expire-seconds']).toBe(300);
    const rotated = jarOf(refreshed.cookies);
    expect(rotated.ins_refresh_token).not.toBe(jar.ins_refresh_token);
    expect(rotated.ins_access_token).not.toBe(jar.ins_access_token);
    expect((await trpcMe(rotated)).status).toBe(200);

    // The old refresh token again: refused, and every token of the chain is dead.
    const replay = await post('/refresh', { jar });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ status: 401, error: 'Unauthorized', path: '/refresh' });
    expect(typeof replay.body.timestamp).toBe('string');
    expect((await trpcMe(rotated)).status).toBe(401);
    expect((await post('/refresh', { jar: rotated })).status).toBe(401);
  });

  it('accepts the refresh token in a JSON body too', async () => {
    clock = new Date();
    const jar = jarOf((await login(org.members.OWNER.email, TEST_PASSWORD)).cookies);
    const res = await post('/refresh', { body: JSON.stringify({ refresh_token: jar.ins_refresh_token }) });
    expect(res.status).toBe(200);
  });

  it('logout revokes the session and clears the cookies', async () => {
    clock = new Date();
    const jar = jarOf((await login(org.members.OWNER.email, TEST_PASSWORD)).cookies);
    const out = await post('/logout', { jar });
    expect(out.status).toBe(200);
    expect(out.cookies.filter((c) => c.maxAge === 0).map((c) => c.name)).toEqual(
      expect.arrayContaining(['ins_access_token', 'ins_refresh_token']),
    );
    // The access token is still unexpired, but its session is over.
    expect((await trpcMe(jar)).status).toBe(401);
    expect((await post('/refresh', { jar })).status).toBe(401);
  });

  it('answers every failed sign-in with the same generic 401', async () => {
    clock = new Date();
    const wrongPassword = await login(org.members.VIEWER.email, 'not the password');
    const unknownUser = await login(`nobody-${org.slug}@admins.example`, 'whatever');
    for (const res of [wrongPassword, unknownUser]) {
      expect(res.status).toBe(401);
      expect(res.body.message).toBe(INVALID_CREDENTIALS_MESSAGE);
      expect(res.cookies).toEqual([]);
    }
    const { timestamp: _a, ...a } = wrongPassword.body;
    const { timestamp: _b, ...b } = unknownUser.body;
    expect(a).toEqual(b);
    const invalid = await post('/login', { body: '{"username": 1}' });
    expect(invalid.status).toBe(400);
  });

  it("throttles a guesser's address after 5 failures, never the account: its owner signs in from theirs", async () => {
    const org2 = await createTestOrganization();
    const victim = org2.members.ADMIN;
    const guesser = { headers: { [CLIENT_IP_HEADER]: `198.51.100.${Math.floor(Math.random() * 250)}` } };
    const owner = { headers: { [CLIENT_IP_HEADER]: `203.0.113.${Math.floor(Math.random() * 250)}` } };
    for (let i = 0; i < 5; i++) expect((await login(victim.email, `wrong-${i}`, guesser)).status).toBe(401);
    // The guesser's address is refused now, even with the right password: 429 with Retry-After.
    const refused = await login(victim.email, TEST_PASSWORD, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The account itself is not locked.
    expect((await login(victim.email, TEST_PASSWORD, owner)).status).toBe(200);
    const members = await callerFor(org2.apiKey).member.list();
    expect(members.find((m) => m.userId === victim.userId)?.lockedUntil).toBeNull();
  });

  it('refuses cross-site sign-ins and cookie-authenticated mutations from another origin', async () => {
    clock = new Date();
    const crossSite = await login(org.members.OWNER.email, TEST_PASSWORD, {
      headers: { origin: 'https://evil.example', host: 'localhost' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.cookies).toEqual([]);
    const fetchMetadata = await login(org.members.OWNER.email, TEST_PASSWORD, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMetadata.status).toBe(403);

    const jar = jarOf((await login(org.members.OWNER.email, TEST_PASSWORD)).cookies);
    const before = await testDb().apiKey.count({ where: { organizationId: org.id } });
    const mutate = (headers: Record<string, string>) =>
      handlers.route(
        new Request('http://localhost/api/trpc/apiKey.create', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: `ins_access_token=${jar.ins_access_token}`,
            'x-space': org.slug,
            ...headers,
          },
          body: JSON.stringify({ name: 'k', permissions: ['mad.store.otpUsers.list'] }),
        }),
      )!;
    expect((await mutate({ origin: 'https://evil.example', host: 'localhost' })).status).toBe(403);
    expect((await mutate({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(await testDb().apiKey.count({ where: { organizationId: org.id } })).toBe(before);
    expect(
      (await mutate({ origin: 'http://localhost', host: 'localhost', 'sec-fetch-site': 'same-origin' }))
        .status,
    ).toBe(200);

    // API keys are not cookies: another origin does not matter for them.
    const withKey = await handlers.route(
      new Request('http://localhost/api/trpc/apiKey.list', {
        headers: { authorization: `Bearer ${org.apiKey}`, origin: 'https://elsewhere.example' },
      }),
    )!;
    expect(withKey.status).toBe(200);
  });
});
