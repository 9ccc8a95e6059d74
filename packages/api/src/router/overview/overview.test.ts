import { newObjectId } from '@otp-access/db';
import { describe, expect, it } from 'vitest';
import { openStoreDownload } from '../../services/builds/download';
import type { ActiveStoreSession } from '../../services/store-access';
import { callerAsUser, callerFor, createTestOrganization, testDb } from '../../testing/fixtures';

const NOW = new Date('2026-03-20T15:00:00Z');

async function logDelivery(
  organizationId: string,
  at: string,
  fields: { provider: 'DEFAULT' | 'TWILIO'; status: 'SENT' | 'FAILED'; purpose: 'STORE_LOGIN' | 'TEST' },
) {
  await testDb().deliveryLog.create({
    data: {
      id: newObjectId(),
      organizationId,
      type: fields.provider === 'DEFAULT' ? 'MAIL' : 'SMS',
      provider: fields.provider,
      recipient: 'x***@example.com',
      purpose: fields.purpose,
      status: fields.status,
      durationMs: 12,
      createdAt: new Date(at),
    },
  });
}

describe('overview router', () => {
  it('counts codes per provider and day within the window, for this organization only', async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const login = { provider: 'DEFAULT', status: 'SENT', purpose: 'STORE_LOGIN' } as const;
    await logDelivery(org.id, '2026-03-20T08:00:00Z', login);
    await logDelivery(org.id, '2026-03-20T09:00:00Z', { ...login, status: 'FAILED' });
    await logDelivery(org.id, '2026-03-19T23:59:00Z', {
      provider: 'TWILIO',
      status: 'SENT',
      purpose: 'TEST',
    });
    // Outside a 7-day window, and another organization's: neither is counted.
    await logDelivery(org.id, '2026-03-13T23:59:00Z', login);
    await logDelivery(other.id, '2026-03-20T08:00:00Z', login);
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: {
        email: ['a@overview.example', 'b@overview.example'],
        publishedApplicationId: org.publishedApplicationId,
      },
    });

    const overview = await callerFor(org.apiKey, { now: () => NOW }).overview.get({ days: 7 });
    expect(overview.since).toBe('2026-03-14T00:00:00.000Z');
    expect(overview.otpUsers).toBe(2);
    expect(overview.deliveries).toEqual([
      { day: '2026-03-19', provider: 'TWILIO', sent: 1, failed: 0 },
      { day: '2026-03-20', provider: 'DEFAULT', sent: 1, failed: 1 },
    ]);
    expect(overview.signInCodes).toEqual([{ day: '2026-03-20', sent: 1, failed: 1 }]);
  });

  it('is open to viewers, and refuses a window it does not offer', async () => {
    const org = await createTestOrganization();
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    await expect(viewer.overview.get({ days: 30 })).resolves.toMatchObject({ days: 30, deliveries: [] });
    await expect(viewer.overview.get({ days: 365 as 90 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('counts downloads per day and app, and the users with two downloads or fewer left per store', async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const api = callerFor(org.apiKey);
    const add = (email: string, allowedDownloadsNum: number) =>
      api.otpUser.create({
        storeId: org.storeId,
        data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum },
      });
    await add('none-left@overview.example', 1);
    await add('one-left@overview.example', 3);
    await add('plenty@overview.example', 10);
    await add('unlimited@overview.example', -1);
    const [stranger] = await callerFor(other.apiKey).otpUser.create({
      storeId: other.storeId,
      data: {
        email: 'x@overview.example',
        publishedApplicationId: other.publishedApplicationId,
        allowedDownloadsNum: 0,
      },
    });
    const download = (email: string, at: string) =>
      openStoreDownload(
        {
          db: testDb(),
          storage: () => {
            throw new Error('inline builds need no storage');
          },
        },
        {
          storeId: org.storeId,
          email,
          subjectId: newObjectId(),
          sessionId: newObjectId(),
          expiresAt: new Date(at),
        } as ActiveStoreSession,
        org.publishedApplicationId,
        null,
        new Date(at),
      ).then((result) => {
        if (result.kind === 'file') result.body.destroy();
      });
    await download('none-left@overview.example', '2026-03-19T10:00:00Z');
    await download('one-left@overview.example', '2026-03-19T11:00:00Z');
    await download('one-left@overview.example', '2026-03-20T11:00:00Z');
    await download('unlimited@overview.example', '2026-03-20T12:00:00Z');

    const overview = await callerFor(org.apiKey, { now: () => NOW }).overview.get({ days: 7 });
    expect(overview.downloads).toEqual([
      { day: '2026-03-19', publishedApplicationId: org.publishedApplicationId, downloads: 2 },
      { day: '2026-03-20', publishedApplicationId: org.publishedApplicationId, downloads: 2 },
    ]);
    expect(overview.applications).toEqual([
      { id: org.publishedApplicationId, name: 'Test App 1', storeId: org.storeId, storeName: 'Test Store' },
    ]);
    expect(overview.nearAllowance).toEqual([
      { storeId: org.storeId, storeName: 'Test Store', downloadsLeft: 0, users: 1 },
      { storeId: org.storeId, storeName: 'Test Store', downloadsLeft: 1, users: 1 },
    ]);
    expect(overview.nearAllowanceCapped).toBe(false);

    // The list behind the chart: the same users, with what they used.
    const none = await api.otpUser.list({ storeId: org.storeId, downloadsLeft: 0 });
    expect(none.items.map((u) => [u.email, u.allowedDownloadsNum])).toEqual([
      ['none-left@overview.example', 1],
    ]);
    const usage = await api.otpUser.usage({ storeId: org.storeId, otpUserIds: [none.items[0]!.id] });
    expect(usage).toEqual([{ id: none.items[0]!.id, downloadsCount: 1 }]);
    // Another organization's user is not counted here, whatever id is asked for.
    await expect(api.otpUser.usage({ storeId: org.storeId, otpUserIds: [stranger!.id] })).resolves.toEqual(
      [],
    );
    expect(none.totalDocs).toBe(1);
    const near = await api.otpUser.list({ storeId: org.storeId, downloadsLeft: 2, sort: 'email:asc' });
    expect(near.items.map((u) => u.email)).toEqual([
      'none-left@overview.example',
      'one-left@overview.example',
    ]);
    expect(near.totalDocs).toBe(2);
  });
});
