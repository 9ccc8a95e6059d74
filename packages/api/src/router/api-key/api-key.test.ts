import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { callerAsUser, callerFor, createTestOrganization, testDb } from '../../testing/fixtures';

describe('apiKey router', () => {
  it('creates a key shown once, lists it without the secret, and a revoked key is refused at once', async () => {
    const org = await createTestOrganization();
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    const created = await owner.apiKey.create({
      name: 'CI pipeline',
      permissions: ['mad.store.otpUsers.list'],
    });
    expect(created.key).toMatch(/^oa_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      name: 'CI pipeline',
      permissions: ['mad.store.otpUsers.list'],
      revokedAt: null,
    });
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);

    const listed = await owner.apiKey.list();
    const entry = listed.find((k) => k.id === created.apiKey.id)!;
    expect(entry).toEqual(created.apiKey);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const stored = await testDb().apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(stored.keyHash).not.toContain(created.key);

    const client = callerFor(created.key);
    await expect(client.store.list({ page: 1, limit: 1 })).resolves.toMatchObject({ totalDocs: 1 });
    await expect(
      client.otpUser.create({
        storeId: org.storeId,
        data: { email: 'a@b.co', publishedApplicationId: org.publishedApplicationId },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const revoked = await owner.apiKey.revoke({ id: created.apiKey.id });
    expect(revoked.revokedAt).not.toBeNull();
    await expect(client.store.list({ page: 1, limit: 1 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('never grants more than the creator holds, and keys of other organizations are not found', async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const limitedManager = callerFor(
      await org.createApiKey(['org.apiKeys.manage', 'mad.store.otpUsers.list']),
    );
    const escalation = await limitedManager.apiKey
      .create({ name: 'x', permissions: ['mad.store.otpUsers.remove'] })
      .catch((e: unknown) => e);
    expect(escalation).toBeInstanceOf(TRPCError);
    expect((escalation as TRPCError).code).toBe('FORBIDDEN');

    const theirs = (await callerFor(other.apiKey).apiKey.list())[0]!;
    await expect(callerFor(org.apiKey).apiKey.revoke({ id: theirs.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await testDb().apiKey.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });
});
