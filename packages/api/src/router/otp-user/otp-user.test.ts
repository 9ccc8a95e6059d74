import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
// The usual fixtures of a router test, as store.test.ts takes them.
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  snapshotOrganization,
  type TestOrganization,
  testCaller,
  testDb,
} from '../../testing/fixtures';

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

async function expectTRPCError(promise: Promise<unknown>, code: TRPCError['code']) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe('otpUser router (createCaller on a real database)', () => {
  it('creates, reads, lists, updates and deletes OTP users', async () => {
    const caller = callerFor(org.apiKey);
    const [created] = await caller.otpUser.create({
      storeId: org.storeId,
      data: { email: 'Mixed.Case@Example.com', publishedApplicationId: org.publishedApplicationId },
    });
    expect(created).toMatchObject({
      organizationId: org.id,
      storeId: org.storeId,
      publishedApplicationId: org.publishedApplicationId,
      email: 'mixed.case@example.com',
      allowedDownloadsNum: -1,
      lastLoginDate: null,
      lastDownloadDate: null,
    });

    const fetched = await caller.otpUser.byId({ storeId: org.storeId, otpUserId: created!.id });
    expect(fetched).toEqual(created);

    const updated = await caller.otpUser.update({
      storeId: org.storeId,
      otpUserId: created!.id,
      data: { allowedDownloadsNum: 7 },
    });
    expect(updated.allowedDownloadsNum).toBe(7);

    const page = await caller.otpUser.list({ storeId: org.storeId, page: 1, limit: 10, email: 'MIXED' });
    expect(page.items.map((u) => u.id)).toEqual([created!.id]);

    expect(await caller.otpUser.delete({ storeId: org.storeId, otpUserId: created!.id })).toEqual({
      delete: true,
    });
    await expectTRPCError(caller.otpUser.byId({ storeId: org.storeId, otpUserId: created!.id }), 'NOT_FOUND');
  });

  it('records an audit event for every change, naming the key that made it', async () => {
    const caller = callerFor(org.apiKey);
    const [user] = await caller.otpUser.create({
      storeId: org.storeId,
      data: {
        email: 'audited@example.com',
        publishedApplicationId: org.publishedApplicationId,
        allowedDownloadsNum: 2,
      },
    });
    await caller.otpUser.update({
      storeId: org.storeId,
      otpUserId: user!.id,
      data: { allowedDownloadsNum: 5 },
    });
    await caller.otpUser.delete({ storeId: org.storeId, otpUserId: user!.id });
    const events = await testDb().auditEvent.findMany({
      where: { organizationId: org.id, targetId: user!.id },
      orderBy: { at: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['otpUser.create', 'otpUser.update', 'otpUser.delete']);
    expect(events[1]!.changes).toEqual({ email: user!.email, allowedDownloadsNum: { from: 2, to: 5 } });
    expect(events[0]!.actor).toMatch(/^apiKey:[0-9a-f]{24} /);
  });

  it("never reaches another organization's data, even with a valid key of that organization", async () => {
    const [theirs] = await callerFor(other.apiKey).otpUser.create({
      storeId: other.storeId,
      data: { email: 'theirs@example.com', publishedApplicationId: other.publishedApplicationId },
    });
    const before = await snapshotOrganization(testDb(), other.id);
    const mine = callerFor(org.apiKey);
    await expectTRPCError(mine.otpUser.byId({ storeId: other.storeId, otpUserId: theirs!.id }), 'NOT_FOUND');
    // Right store id of mine, their user id: still not found.
    await expectTRPCError(mine.otpUser.byId({ storeId: org.storeId, otpUserId: theirs!.id }), 'NOT_FOUND');
    await expectTRPCError(
      mine.otpUser.update({ storeId: org.storeId, otpUserId: theirs!.id, data: { allowedDownloadsNum: 1 } }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      mine.otpUser.delete({ storeId: other.storeId, otpUserId: theirs!.id }),
      'NOT_FOUND',
    );
    await expectTRPCError(mine.otpUser.list({ storeId: other.storeId, page: 1, limit: 10 }), 'NOT_FOUND');
    await expectTRPCError(
      mine.otpUser.create({
        storeId: org.storeId,
        data: { email: 'x@example.com', publishedApplicationId: other.publishedApplicationId },
      }),
      'NOT_FOUND',
    );
    // Addressing their space by slug with my key is also a 404.
    await expectTRPCError(
      callerFor(org.apiKey, { space: other.slug }).store.list({ page: 1, limit: 10 }),
      'NOT_FOUND',
    );
    expect(await snapshotOrganization(testDb(), other.id)).toEqual(before);
  });

  it('checks permissions and credentials', async () => {
    const listOnly = await org.createApiKey(['mad.store.otpUsers.list']);
    const revoked = await org.createApiKey(['mad.store.otpUsers.list'], { revoked: true });
    await expect(
      callerFor(listOnly).otpUser.list({ storeId: org.storeId, page: 1, limit: 5 }),
    ).resolves.toBeDefined();
    await expectTRPCError(
      callerFor(listOnly).otpUser.create({
        storeId: org.storeId,
        data: { email: 'nope@example.com', publishedApplicationId: org.publishedApplicationId },
      }),
      'FORBIDDEN',
    );
    await expectTRPCError(
      callerFor(revoked).otpUser.list({ storeId: org.storeId, page: 1, limit: 5 }),
      'UNAUTHORIZED',
    );
    await expectTRPCError(
      callerFor(null).otpUser.list({ storeId: org.storeId, page: 1, limit: 5 }),
      'UNAUTHORIZED',
    );
    await expectTRPCError(callerFor('oa_wrong').store.list({ page: 1, limit: 5 }), 'UNAUTHORIZED');
  });

  it('keeps track of when a key was last used', async () => {
    const key = await org.createApiKey(['mad.store.otpUsers.list']);
    await callerFor(key).store.list({ page: 1, limit: 1 });
    const row = await testDb().apiKey.findFirst({
      where: { organizationId: org.id, name: 'test key', lastUsedAt: { not: null } },
    });
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('lists stores and published applications of the organization only', async () => {
    const caller = callerFor(org.apiKey);
    const stores = await caller.store.list({ page: 1, limit: 100 });
    expect(stores.items.map((s) => s.id)).toEqual([org.storeId]);
    const apps = await caller.publishedApplication.list({ storeId: org.storeId, page: 1, limit: 100 });
    expect(apps.items.map((a) => a.id).sort()).toEqual(
      [org.publishedApplicationId, org.otherPublishedApplicationId].sort(),
    );
    await expectTRPCError(
      caller.publishedApplication.list({ storeId: other.storeId, page: 1, limit: 10 }),
      'NOT_FOUND',
    );
  });
});

describe('otpUser.list with an email search', () => {
  it('pages, sorts and totals the matches of this store only, with % and _ taken literally', async () => {
    const [mine, theirs] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const caller = callerFor(mine.apiKey);
    const emails = [
      'ann_1@search.example',
      'ann_2@search.example',
      'annx3@search.example',
      'bob@search.example',
    ];
    await caller.otpUser.create({
      storeId: mine.storeId,
      data: { email: emails.slice(0, 3), publishedApplicationId: mine.publishedApplicationId },
    });
    await caller.otpUser.create({
      storeId: mine.storeId,
      data: { email: emails[3]!, publishedApplicationId: mine.otherPublishedApplicationId },
    });
    // Same addresses in another organization: never counted, never listed.
    await callerFor(theirs.apiKey).otpUser.create({
      storeId: theirs.storeId,
      data: { email: emails, publishedApplicationId: theirs.publishedApplicationId },
    });
    const list = (input: Partial<Parameters<typeof caller.otpUser.list>[0]>) =>
      caller.otpUser.list({ storeId: mine.storeId, page: 1, limit: 2, ...input });

    const first = await list({ email: 'ANN', sort: 'email:asc' });
    expect(first.items.map((u) => u.email)).toEqual(['ann_1@search.example', 'ann_2@search.example']);
    expect(first).toMatchObject({ totalDocs: 3, totalPages: 2, hasNextPage: true, hasPrevPage: false });
    const second = await list({ email: 'ann', sort: 'email:asc', page: 2 });
    expect(second.items.map((u) => u.email)).toEqual(['annx3@search.example']);
    expect(second).toMatchObject({ totalDocs: 3, hasNextPage: false, hasPrevPage: true });
    // Past the last page there is no row to carry the total; it is still exact.
    const beyond = await list({ email: 'ann', page: 5 });
    expect(beyond).toMatchObject({ items: [], totalDocs: 3, totalPages: 2 });

    const descending = await list({ email: 'ann', sort: 'email:desc', limit: 10 });
    expect(descending.items.map((u) => u.email)).toEqual([
      'annx3@search.example',
      'ann_2@search.example',
      'ann_1@search.example',
    ]);
    // `_` is a LIKE wildcard: searched literally it must not match "annx3".
    expect((await list({ email: 'ann_', limit: 10 })).totalDocs).toBe(2);
    expect((await list({ email: '%', limit: 10 })).totalDocs).toBe(0);
    const inApp = await list({ email: 'search', publishedApplicationId: mine.otherPublishedApplicationId });
    expect(inApp.items.map((u) => u.email)).toEqual(['bob@search.example']);
    expect(inApp.totalDocs).toBe(1);
    for (const item of first.items) expect(item.organizationId).toBe(mine.id);
  });
});

describe('otpUser.list sorted by allowance', () => {
  it('ranks Unlimited (-1) above every number, with or without a search', async () => {
    const mine = await createTestOrganization();
    const caller = callerFor(mine.apiKey);
    const allowances: Record<string, number> = {
      'three@sort.example': 3,
      'one@sort.example': 1,
      'zero@sort.example': 0,
      'unlimited@sort.example': -1,
    };
    for (const [email, allowedDownloadsNum] of Object.entries(allowances)) {
      await caller.otpUser.create({
        storeId: mine.storeId,
        data: { email, publishedApplicationId: mine.publishedApplicationId, allowedDownloadsNum },
      });
    }
    const order = async (direction: 'asc' | 'desc', email?: string) =>
      (
        await caller.otpUser.list({
          storeId: mine.storeId,
          page: 1,
          limit: 10,
          sort: `allowedDownloadsNum:${direction}`,
          ...(email ? { email } : {}),
        })
      ).items.map((u) => u.allowedDownloadsNum);
    expect(await order('desc')).toEqual([-1, 3, 1, 0]);
    expect(await order('asc')).toEqual([0, 1, 3, -1]);
    expect(await order('desc', 'sort.example')).toEqual([-1, 3, 1, 0]);
    expect(await order('asc', 'sort.example')).toEqual([0, 1, 3, -1]);
    const page = await caller.otpUser.list({
      storeId: mine.storeId,
      page: 2,
      limit: 3,
      sort: 'allowedDownloadsNum:desc',
    });
    expect(page).toMatchObject({ totalDocs: 4, hasPrevPage: true });
    expect(page.items.map((u) => u.allowedDownloadsNum)).toEqual([0]);
  });
});

describe('otpUser.usage (downloads used, console only)', () => {
  it("answers only for the caller's own organization and store, with the list permission", async () => {
    const [mine] = await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: 'usage@mine.example', publishedApplicationId: org.publishedApplicationId },
    });
    const [theirs] = await callerFor(other.apiKey).otpUser.create({
      storeId: other.storeId,
      data: { email: 'usage@theirs.example', publishedApplicationId: other.publishedApplicationId },
    });
    const ask = { storeId: org.storeId, otpUserIds: [mine!.id, theirs!.id] };

    // Another organization's id asked in our store is simply not there.
    expect(await callerFor(org.apiKey).otpUser.usage(ask)).toEqual([{ id: mine!.id, downloadsCount: 0 }]);
    // Our store asked from the other organization: not found, nothing leaks.
    await expectTRPCError(callerFor(other.apiKey).otpUser.usage(ask), 'NOT_FOUND');
    // No credentials, and a key without the list permission.
    await expectTRPCError(callerFor(null).otpUser.usage(ask), 'UNAUTHORIZED');
    const createOnly = await org.createApiKey(['mad.store.otpUsers.create']);
    await expectTRPCError(callerFor(createOnly).otpUser.usage(ask), 'FORBIDDEN');

    // A member of both organizations acting in the other one sees none of ours.
    await testDb().membership.create({
      data: { userId: org.members.OWNER.userId, organizationId: other.id, role: 'VIEWER' },
    });
    const inOther = await callerAsUser(org.members.OWNER.userId, other.slug);
    await expectTRPCError(inOther.otpUser.usage(ask), 'NOT_FOUND');
    expect(
      await inOther.otpUser.usage({ storeId: other.storeId, otpUserIds: [mine!.id, theirs!.id] }),
    ).toEqual([{ id: theirs!.id, downloadsCount: 0 }]);
  });
});

describe('otpUser.byId and otpUser.list, read with SQL', () => {
  it("answer only the caller's organization: foreign ids, no credentials, a key without the permission, a member of two", async () => {
    const [mine, theirs] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const [user] = await callerFor(mine.apiKey).otpUser.create({
      storeId: mine.storeId,
      data: { email: 'sql-read@mine.example', publishedApplicationId: mine.publishedApplicationId },
    });
    const byId = { storeId: mine.storeId, otpUserId: user!.id };
    const list = { storeId: mine.storeId, page: 1, limit: 10 };
    expect((await callerFor(mine.apiKey).otpUser.byId(byId)).email).toBe('sql-read@mine.example');
    expect((await callerFor(mine.apiKey).otpUser.list(list)).items.map((u) => u.id)).toEqual([user!.id]);

    // Another organization's key, with our ids.
    await expectTRPCError(callerFor(theirs.apiKey).otpUser.byId(byId), 'NOT_FOUND');
    await expectTRPCError(callerFor(theirs.apiKey).otpUser.list(list), 'NOT_FOUND');
    // No credentials.
    await expectTRPCError(testCaller(new Headers()).otpUser.byId(byId), 'UNAUTHORIZED');
    await expectTRPCError(testCaller(new Headers()).otpUser.list(list), 'UNAUTHORIZED');
    // A key without the permission.
    const createOnly = await mine.createApiKey(['mad.store.otpUsers.create']);
    await expectTRPCError(callerFor(createOnly).otpUser.byId(byId), 'FORBIDDEN');
    await expectTRPCError(callerFor(createOnly).otpUser.list(list), 'FORBIDDEN');
    // A member of both organizations, acting in the other one.
    await testDb().membership.create({
      data: { userId: mine.members.OWNER.userId, organizationId: theirs.id, role: 'VIEWER' },
    });
    const inTheirs = await callerAsUser(mine.members.OWNER.userId, theirs.slug);
    await expectTRPCError(inTheirs.otpUser.byId(byId), 'NOT_FOUND');
    await expectTRPCError(inTheirs.otpUser.list(list), 'NOT_FOUND');
  });
});
