import { beforeAll, describe, expect, it } from 'vitest';
import { createAppliveryHandler } from '../../rest/applivery';
import { createCaller } from '../../root';
import { conformant } from '../../testing/conformance';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  snapshotOrganization,
  type TestOrganization,
  testDb,
  testSession,
} from '../../testing/fixtures';
import { createTRPCContext } from '../../trpc';

const applivery = conformant(
  createAppliveryHandler({ db: testDb(), session: testSession, onUnexpectedError: (e) => console.error(e) }),
);

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field below.
type Body = any;

async function rest(method: string, path: string, options: { key?: string; body?: unknown } = {}) {
  const response = await applivery(
    new Request(`http://localhost/v1/organizations/${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key ?? org.apiKey}` },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    }),
  );
  return { status: response.status, body: (await response.json()) as Body };
}

const auditOf = (storeId: string) =>
  testDb().auditEvent.findMany({
    where: { targetId: storeId },
    orderBy: { at: 'asc' },
    select: { action: true, changes: true },
  });

describe('store management (tRPC)', () => {
  it('creates, renames and describes a store, each change audited; the store page shows both', async () => {
    const admin = await callerAsUser(org.members.ADMIN.userId, org.slug);
    const created = await admin.store.create({
      data: { name: ' Beta Testers ', description: 'Nightly builds' },
    });
    expect(created).toMatchObject({
      organizationId: org.id,
      name: 'Beta Testers',
      description: 'Nightly builds',
    });
    const updated = await admin.store.update({ storeId: created.id, data: { name: 'Beta' } });
    expect(updated).toMatchObject({ name: 'Beta', description: 'Nightly builds' });
    await admin.store.update({ storeId: created.id, data: { description: '' } });
    const page = await callerFor(null).storeAccess.store({ storeId: created.id });
    expect(page).toEqual({
      signedIn: false,
      id: created.id,
      name: 'Beta',
      description: '',
      organizationName: `Test ${org.slug.slice(5)}`,
    });
    expect((await auditOf(created.id)).map((e) => [e.action, e.changes])).toEqual([
      ['store.create', { name: 'Beta Testers', description: 'Nightly builds' }],
      ['store.update', { name: { from: 'Beta Testers', to: 'Beta' } }],
      ['store.update', { description: { from: 'Nightly builds', to: '' } }],
    ]);
  });

  it('deletes a store with its published applications, OTP users and downloads, and nothing else', async () => {
    const o = await createTestOrganization();
    const keep = await callerFor(o.apiKey).store.create({ data: { name: 'Keep' } });
    await callerFor(o.apiKey).otpUser.create({
      storeId: o.storeId,
      data: { email: 'in-store@store.example', publishedApplicationId: o.publishedApplicationId },
    });
    const removed: unknown[] = [];
    const owner = createCaller(
      createTRPCContext({
        db: testDb(),
        session: testSession,
        headers: new Headers({ authorization: `Bearer ${o.apiKey}` }),
        removeStoredBuilds: async (builds) => {
          removed.push(builds);
        },
      }),
    );
    expect(await owner.store.delete({ storeId: o.storeId })).toEqual({ delete: true });
    const db = testDb();
    expect(
      await Promise.all([
        db.store.count({ where: { id: o.storeId } }),
        db.publishedApplication.count({ where: { storeId: o.storeId } }),
        db.otpUser.count({ where: { storeId: o.storeId } }),
        db.store.count({ where: { id: keep.id } }),
        db.application.count({ where: { organizationId: o.id } }),
      ]),
    ).toEqual([0, 0, 0, 1, 1]);
    // The test organization's builds are kept in their rows: no stored file to remove.
    expect(removed).toEqual([{ organizationId: o.id, storageKeys: [] }]);
    expect((await auditOf(o.storeId)).at(-1)).toEqual({
      action: 'store.delete',
      changes: { name: 'Test Store', otpUsers: 1, publishedApplications: 2 },
    });
  });

  it('refuses viewers and keys without mad.store.manage, and treats other organizations’ stores as missing', async () => {
    const listOnly = callerFor(await org.createApiKey(['mad.store.otpUsers.list']));
    const before = await snapshotOrganization(testDb(), org.id);
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    await expect(viewer.store.create({ data: { name: 'Nope' } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listOnly.store.delete({ storeId: org.storeId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const intruder = callerFor(other.apiKey);
    await expect(
      intruder.store.update({ storeId: org.storeId, data: { name: 'Mine' } }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(intruder.store.delete({ storeId: org.storeId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      callerFor(org.apiKey).store.create({ data: { name: '', description: 'x'.repeat(2001) } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await snapshotOrganization(testDb(), org.id)).toEqual(before);
  });
});

describe('store management (REST, Applivery envelope)', () => {
  it('POST creates, PUT renames, DELETE removes', async () => {
    const created = await rest('POST', `${org.slug}/stores`, {
      body: { name: 'REST Store', description: 'Hi' },
    });
    expect(created).toMatchObject({
      status: 200,
      body: { status: true, data: { name: 'REST Store', description: 'Hi', organizationId: org.id } },
    });
    const id = created.body.data.id as string;
    const renamed = await rest('PUT', `${org.slug}/stores/${id}`, { body: { name: 'REST Store 2' } });
    expect(renamed.body.data).toMatchObject({ id, name: 'REST Store 2', description: 'Hi' });
    const listed = await rest('GET', `${org.slug}/stores?limit=100`);
    expect(listed.body.data.items).toContainEqual({
      id,
      organizationId: org.id,
      name: 'REST Store 2',
      description: 'Hi',
    });
    expect(await rest('DELETE', `${org.slug}/stores/${id}`)).toEqual({
      status: 200,
      body: { status: true, data: { delete: true } },
    });
    expect((await rest('DELETE', `${org.slug}/stores/${id}`)).body.error.code).toBe(3001);
  });

  it('answers bad bodies with 6001 naming the field, and other tenants with 404, changing nothing', async () => {
    const before = await snapshotOrganization(testDb(), org.id);
    const unknownField = await rest('POST', `${org.slug}/stores`, { body: { name: 'x', owner: 'me' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe(6001);
    const noName = await rest('POST', `${org.slug}/stores`, { body: { description: 'x' } });
    expect(noName.body.error.data).toHaveProperty('name');
    expect((await rest('PUT', `${org.slug}/stores/${org.storeId}`, { body: { name: '' } })).status).toBe(400);
    // Another organization's key: its slug in the path, or its own slug with this store's id.
    expect(
      (await rest('POST', `${org.slug}/stores`, { key: other.apiKey, body: { name: 'x' } })).status,
    ).toBe(404);
    const foreign = await rest('DELETE', `${other.slug}/stores/${org.storeId}`, { key: other.apiKey });
    expect(foreign).toMatchObject({ status: 404, body: { status: false, error: { code: 3001 } } });
    const rename = await rest('PUT', `${other.slug}/stores/${org.storeId}`, {
      key: other.apiKey,
      body: { name: 'x' },
    });
    expect(rename.status).toBe(404);
    expect(await snapshotOrganization(testDb(), org.id)).toEqual(before);
  });
});
