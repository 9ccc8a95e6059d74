import { beforeAll, describe, expect, it } from 'vitest';
import { conformant } from '../testing/conformance';
import {
  createTestOrganization,
  OTP_USER_FIELDS,
  snapshotOrganization,
  type TestOrganization,
  testDb,
  testSession,
} from '../testing/fixtures';
import { createAppliveryHandler } from './applivery';

const handler = conformant(
  createAppliveryHandler({
    db: testDb(),
    session: testSession,
    onUnexpectedError: (error) => console.error(error),
  }),
);

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field below.
type ResponseBody = any;

interface CallOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
}

async function call(method: string, path: string, { key = org.apiKey, body, rawBody }: CallOptions = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  const response = await handler(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      ...(rawBody !== undefined
        ? { body: rawBody }
        : body !== undefined
          ? { body: JSON.stringify(body) }
          : {}),
    }),
  );
  return { status: response.status, body: (await response.json()) as ResponseBody };
}

const usersPath = (o: TestOrganization = org, storeId = o.storeId) =>
  `/v1/organizations/${o.slug}/stores/${storeId}/otp-users`;

async function createUser(email: string, allowedDownloadsNum?: number, o: TestOrganization = org) {
  const res = await call('POST', usersPath(o), {
    key: o.apiKey,
    body: { email, publishedApplicationId: o.publishedApplicationId, allowedDownloadsNum },
  });
  expect(res.status).toBe(200);
  return res.body.data[0] as { id: string; updatedAt: string };
}

describe('Applivery REST surface: OTP users', () => {
  it('creates one and many, gets, updates and deletes, with the exact documented bodies', async () => {
    const one = await call('POST', usersPath(), {
      body: { email: 'rest-one@example.com', publishedApplicationId: org.publishedApplicationId },
    });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe(true);
    expect(one.body.data).toHaveLength(1);
    const user = one.body.data[0];
    expect(Object.keys(user).sort()).toEqual(OTP_USER_FIELDS);
    expect(user.lastLoginDate).toBeNull();
    expect(user.id).toMatch(/^[a-f0-9]{24}$/);

    const many = await call('POST', usersPath(), {
      body: {
        email: ['rest-a@example.com', 'rest-b@example.com', 'rest-a@example.com'],
        publishedApplicationId: org.publishedApplicationId,
        allowedDownloadsNum: 3,
      },
    });
    expect(many.status).toBe(200);
    expect(many.body.data.map((u: { email: string }) => u.email)).toEqual([
      'rest-a@example.com',
      'rest-b@example.com',
    ]);
    expect(many.body.data.every((u: { allowedDownloadsNum: number }) => u.allowedDownloadsNum === 3)).toBe(
      true,
    );

    const got = await call('GET', `${usersPath()}/${user.id}`);
    expect(got).toEqual({ status: 200, body: { status: true, data: user } });

    let previous = user.updatedAt as string;
    for (const value of [7, -1, 0]) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await call('PUT', `${usersPath()}/${user.id}`, {
        body: { allowedDownloadsNum: value },
      });
      expect(updated.status).toBe(200);
      expect(Object.keys(updated.body.data).sort()).toEqual(OTP_USER_FIELDS);
      expect(updated.body.data.allowedDownloadsNum).toBe(value);
      expect(Date.parse(updated.body.data.updatedAt)).toBeGreaterThan(Date.parse(previous));
      previous = updated.body.data.updatedAt;
    }

    const deleted = await call('DELETE', `${usersPath()}/${user.id}`);
    expect(deleted).toEqual({ status: 200, body: { status: true, data: { delete: true } } });
    const gone = await call('GET', `${usersPath()}/${user.id}`);
    expect(gone).toEqual({
      status: 404,
      body: { status: false, error: { code: 3001, message: 'Entity not found' } },
    });
  });

  it('lists with pagination, sort, email and published-application filters', async () => {
    const o = await createTestOrganization();
    for (const [i, email] of [
      'pag-c@x.example',
      'pag-a@x.example',
      'pag-b@x.example',
      'Other_1@y.example',
    ].entries()) {
      await createUser(email, i, o);
    }
    await call('POST', usersPath(o), {
      key: o.apiKey,
      body: { email: 'second-app@x.example', publishedApplicationId: o.otherPublishedApplicationId },
    });
    const list = (query: string) => call('GET', `${usersPath(o)}?${query}`, { key: o.apiKey });

    const first = await list('page=1&limit=2&sort=email:asc');
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      totalDocs: 5,
      limit: 2,
      page: 1,
      totalPages: 3,
      hasNextPage: true,
      hasPrevPage: false,
    });
    expect(first.body.data.items.map((u: { email: string }) => u.email)).toEqual([
      'other_1@y.example',
      'pag-a@x.example',
    ]);
    const last = await list('page=3&limit=2&sort=email:asc');
    expect(last.body.data).toMatchObject({ page: 3, hasNextPage: false, hasPrevPage: true });
    expect(last.body.data.items.map((u: { email: string }) => u.email)).toEqual(['second-app@x.example']);

    // -1 is "unlimited": the largest allowance, so first in descending order.
    const desc = await list('sort=allowedDownloadsNum:desc&limit=3');
    expect(desc.body.data.items.map((u: { allowedDownloadsNum: number }) => u.allowedDownloadsNum)).toEqual([
      -1, 3, 2,
    ]);

    const byEmail = await list('email=PAG-');
    expect(byEmail.body.data.totalDocs).toBe(3);
    // `_` is a literal underscore, not a LIKE wildcard.
    const underscore = await list('email=r_1');
    expect(underscore.body.data.items.map((u: { email: string }) => u.email)).toEqual(['other_1@y.example']);
    expect((await list('email=g_a')).body.data.totalDocs).toBe(0);
    expect((await list('email=r%251')).body.data.totalDocs).toBe(0);

    const byApp = await list(`publishedApplicationId=${o.otherPublishedApplicationId}`);
    expect(byApp.body.data.items.map((u: { email: string }) => u.email)).toEqual(['second-app@x.example']);

    const byAppCounted = await list(`publishedApplicationId=${o.publishedApplicationId}&limit=1`);
    expect(byAppCounted.body.data).toMatchObject({ totalDocs: 4, totalPages: 4 });
    const someone = first.body.data.items[0].id;
    expect((await call('DELETE', `${usersPath(o)}/${someone}`, { key: o.apiKey })).status).toBe(200);
    expect((await list('limit=1')).body.data.totalDocs).toBe(4);
    expect((await list(`publishedApplicationId=${o.publishedApplicationId}`)).body.data.totalDocs).toBe(3);
    await createUser('pag-d@x.example', 1, o);

    const beyond = await list('page=9&limit=2');
    expect(beyond.body.data).toMatchObject({ items: [], totalDocs: 5, page: 9, hasNextPage: false });

    for (const bad of [
      'page=0',
      'limit=101',
      'page=abc',
      'sort=email',
      'sort=password:asc',
      'publishedApplicationId=xyz',
      'unknown=1',
    ]) {
      const res = await list(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe(6001);
      expect(Object.keys(res.body.error.data)).toEqual([bad.split('=')[0]]);
    }
  });

  it('serves the supporting reads: stores and published applications', async () => {
    const stores = await call('GET', `/v1/organizations/${org.slug}/stores`);
    expect(stores.status).toBe(200);
    expect(stores.body.data).toMatchObject({
      totalDocs: 1,
      page: 1,
      items: [{ id: org.storeId, name: 'Test Store' }],
    });
    const apps = await call(
      'GET',
      `/v1/organizations/${org.slug}/stores/${org.storeId}/published-applications`,
    );
    expect(apps.status).toBe(200);
    expect(apps.body.data.totalDocs).toBe(2);
    expect(apps.body.data.items[0]).toHaveProperty('name');
    const theirs = await call(
      'GET',
      `/v1/organizations/${org.slug}/stores/${other.storeId}/published-applications`,
    );
    expect(theirs.status).toBe(404);
  });
});

describe('Applivery REST surface: errors change nothing', () => {
  const expectError = (
    res: { status: number; body: ResponseBody },
    status: number,
    code: number,
    message?: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.body.status).toBe(false);
    expect(res.body.error.code).toBe(code);
    if (message) expect(res.body.error.message).toBe(message);
  };

  it('answers each documented error with its status, code and message', async () => {
    const user = await createUser('errors@example.com', 4);
    const theirs = await createUser('theirs@example.com', 4, other);
    const userPath = `${usersPath()}/${user.id}`;
    const limited = await org.createApiKey(['mad.store.otpUsers.list', 'mad.store.otpUsers.get']);
    const revoked = await org.createApiKey(['mad.store.otpUsers.update'], { revoked: true });
    const before = await Promise.all([
      snapshotOrganization(testDb(), org.id),
      snapshotOrganization(testDb(), other.id),
    ]);

    // Unknown id, another organization's store or user, even with that organization's valid key.
    expectError(await call('GET', `${usersPath()}/${'0'.repeat(24)}`), 404, 3001, 'Entity not found');
    expectError(
      await call('PUT', `${usersPath()}/${theirs.id}`, { body: { allowedDownloadsNum: 1 } }),
      404,
      3001,
    );
    expectError(await call('GET', `${usersPath(other)}/${theirs.id}`), 404, 3001);
    expectError(await call('GET', usersPath(org, other.storeId)), 404, 3001);
    expectError(await call('DELETE', `${usersPath(other)}/${theirs.id}`), 404, 3001);
    expectError(await call('GET', userPath, { key: other.apiKey }), 404, 3001);
    expectError(
      await call('PUT', userPath, { key: other.apiKey, body: { allowedDownloadsNum: 1 } }),
      404,
      3001,
    );
    expectError(await call('GET', `/v1/organizations/nope/stores`), 404, 3001);

    // Validation: ids, allowance, unknown fields, emails, JSON.
    const validation = async (res: { status: number; body: ResponseBody }, field: string) => {
      expectError(res, 400, 6001, 'Database Validation Error');
      expect(res.body.error.data).toHaveProperty([field]);
    };
    await validation(await call('GET', `${usersPath()}/not-an-id`), 'otpUserId');
    await validation(await call('GET', `${usersPath(org, 'zz')}`), 'storeId');
    for (const allowedDownloadsNum of [1.5, -(2 ** 53), '7', 2 ** 53, null, true]) {
      await validation(await call('PUT', userPath, { body: { allowedDownloadsNum } }), 'allowedDownloadsNum');
    }
    await validation(
      await call('PUT', userPath, { rawBody: '{"allowedDownloadsNum": 9007199254740993}' }),
      'allowedDownloadsNum',
    );
    await validation(
      await call('PUT', userPath, { body: { allowedDownloadsNum: 1, downloadsCount: 0 } }),
      'downloadsCount',
    );
    await validation(await call('PUT', userPath, { body: { organizationId: other.id } }), 'organizationId');
    await validation(await call('PUT', userPath, { body: [1] }), 'body');
    const create = (body: unknown) => call('POST', usersPath(), { body });
    const app = org.publishedApplicationId;
    for (const email of [
      '.lead@example.com',
      'a..b@example.com',
      'no-at.example.com',
      'a@b.c',
      `${'a'.repeat(250)}@example.com`,
      42,
    ]) {
      await validation(await create({ email, publishedApplicationId: app }), 'email');
    }
    await validation(
      await create({ email: ['ok@example.com', 'bad@'], publishedApplicationId: app }),
      'email.1',
    );
    await validation(await create({ email: [], publishedApplicationId: app }), 'email');
    await validation(
      await create({ email: 'ok@example.com', publishedApplicationId: 'x' }),
      'publishedApplicationId',
    );
    await validation(
      await create({ email: 'ok@example.com', publishedApplicationId: app, id: user.id }),
      'id',
    );
    await validation(await call('POST', usersPath(), { rawBody: '{"email": ' }), 'body');

    // Credentials and permissions.
    expectError(await call('GET', usersPath(), { key: null }), 401, 4002);
    expectError(await call('GET', usersPath(), { key: 'oa_not-a-real-key' }), 401, 4004);
    expectError(await call('PUT', userPath, { key: revoked, body: { allowedDownloadsNum: 1 } }), 401, 4004);
    expectError(await call('PUT', userPath, { key: limited, body: { allowedDownloadsNum: 1 } }), 403, 4003);
    expectError(await call('DELETE', userPath, { key: limited }), 403, 4003);

    // Duplicates, in any case, for the same published application.
    expectError(await create({ email: 'ERRORS@example.com', publishedApplicationId: app }), 409, 5001);
    expectError(
      await create({ email: ['fresh@example.com', 'errors@example.com'], publishedApplicationId: app }),
      409,
      5001,
    );

    // Unknown routes and methods.
    expectError(await call('GET', '/v1/nothing-here'), 404, 1002);
    expectError(await call('PATCH', userPath, { body: {} }), 404, 1002);

    const after = await Promise.all([
      snapshotOrganization(testDb(), org.id),
      snapshotOrganization(testDb(), other.id),
    ]);
    expect(after).toEqual(before);
  });

  it('allows the same email for another published application', async () => {
    await createUser('shared@example.com');
    const res = await call('POST', usersPath(), {
      body: { email: 'shared@example.com', publishedApplicationId: org.otherPublishedApplicationId },
    });
    expect(res.status).toBe(200);
  });
});
