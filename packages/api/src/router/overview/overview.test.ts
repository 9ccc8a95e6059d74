import { newObjectId } from '@otp-access/db';
import { describe, expect, it } from 'vitest';
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
    await logDelivery(org.id, '2026-03-20T08:00:00Z', {
      provider: 'DEFAULT',
      status: 'SENT',
      purpose: 'STORE_LOGIN',
    });
    await logDelivery(org.id, '2026-03-20T09:00:00Z', {
      provider: 'DEFAULT',
      status: 'FAILED',
      purpose: 'STORE_LOGIN',
    });
    await logDelivery(org.id, '2026-03-19T23:59:00Z', {
      provider: 'TWILIO',
      status: 'SENT',
      purpose: 'TEST',
    });
    // Outside a 7-day window, and another organization's: neither is counted.
    await logDelivery(org.id, '2026-03-13T23:59:00Z', {
      provider: 'DEFAULT',
      status: 'SENT',
      purpose: 'STORE_LOGIN',
    });
    await logDelivery(other.id, '2026-03-20T08:00:00Z', {
      provider: 'DEFAULT',
      status: 'SENT',
      purpose: 'STORE_LOGIN',
    });
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
});
