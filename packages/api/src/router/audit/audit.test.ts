import { describe, expect, it } from 'vitest';
import {
  callerAsUser,
  callerFor,
  createTestMember,
  createTestOrganization,
  invitationTokenFor,
  startOperatorMail,
  testDb,
} from '../../testing/fixtures';

describe('audit router', () => {
  it('records who changed what for every mutation, filterable by actor and action, never with a secret', async () => {
    const org = await createTestOrganization();
    const { sink, delivery } = await startOperatorMail();
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug, { delivery });
    const key = await owner.apiKey.create({
      name: 'audited',
      permissions: ['mad.store.otpUsers.create', 'mad.store.otpUsers.update'],
    });
    const [user] = await callerFor(key.key).otpUser.create({
      storeId: org.storeId,
      data: { email: 'audit-me@example.com', publishedApplicationId: org.publishedApplicationId },
    });
    await callerFor(key.key).otpUser.update({
      storeId: org.storeId,
      otpUserId: user!.id,
      data: { allowedDownloadsNum: 4 },
    });
    const invitedEmail = `audited-${org.slug}@example.com`;
    await owner.member.invite({ email: invitedEmail, role: 'VIEWER' });
    const token = await invitationTokenFor(sink, invitedEmail);
    await sink.stop();
    await callerFor(null).invitation.accept({ token, password: 'a new password 123' });
    const invited = await testDb().adminUser.findUniqueOrThrow({ where: { email: invitedEmail } });
    await owner.member.changeRole({ userId: invited.id, role: 'ADMIN' });
    await owner.member.unlock({ userId: invited.id });
    await owner.member.remove({ userId: invited.id });
    await owner.apiKey.revoke({ id: key.apiKey.id });

    const all = await owner.audit.list({ page: 1, limit: 100 });
    expect(all.items.map((e) => e.action).reverse()).toEqual([
      'apiKey.create',
      'otpUser.create',
      'otpUser.update',
      'member.invite',
      'member.acceptInvitation',
      'member.changeRole',
      'member.unlock',
      'member.remove',
      'apiKey.revoke',
    ]);
    expect(all.items.find((e) => e.action === 'otpUser.update')).toMatchObject({
      actor: expect.stringContaining(key.apiKey.id),
      targetType: 'OtpUser',
      targetId: user!.id,
      changes: { allowedDownloadsNum: { from: -1, to: 4 } },
    });
    expect(all.items.find((e) => e.action === 'member.changeRole')?.actor).toContain(org.members.OWNER.email);
    const serialized = JSON.stringify(all);
    expect(serialized).not.toContain(key.key);
    expect(serialized).not.toContain(token);

    const byAction = await owner.audit.list({ page: 1, limit: 100, action: 'otpUser.update' });
    expect(byAction.items).toHaveLength(1);
    const byActor = await owner.audit.list({
      page: 1,
      limit: 100,
      actor: org.members.OWNER.email.toUpperCase(),
    });
    expect(byActor.items.map((e) => e.action).sort()).toEqual(
      [
        'apiKey.create',
        'apiKey.revoke',
        'member.changeRole',
        'member.invite',
        'member.remove',
        'member.unlock',
      ].sort(),
    );
  });

  it('names targets and actors for people, and keeps the email of what was deleted', async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    const [user] = await owner.otpUser.create({
      storeId: org.storeId,
      data: { email: 'named@example.com', publishedApplicationId: org.publishedApplicationId },
    });
    await owner.otpUser.update({
      storeId: org.storeId,
      otpUserId: user!.id,
      data: { allowedDownloadsNum: 2 },
    });
    await owner.otpUser.delete({ storeId: org.storeId, otpUserId: user!.id });
    const { email: leaving, userId } = await createTestMember(org, 'VIEWER');
    await owner.member.remove({ userId });
    const key = await owner.apiKey.create({ name: 'named key', permissions: ['mad.store.otpUsers.create'] });

    const { items } = await owner.audit.list({ page: 1, limit: 100 });
    const byAction = (action: string) => items.find((e) => e.action === action)!;
    // The OTP user is gone: its events still say who it was.
    expect(byAction('otpUser.update')).toMatchObject({ targetLabel: 'named@example.com' });
    expect(byAction('otpUser.delete')).toMatchObject({
      targetLabel: 'named@example.com',
      changes: { email: 'named@example.com' },
    });
    expect(byAction('member.remove')).toMatchObject({ targetLabel: leaving });
    expect(byAction('apiKey.create')).toMatchObject({ targetId: key.apiKey.id, targetLabel: 'named key' });
    // The owner is an owner, not "Admin".
    expect(byAction('apiKey.create').actorRole).toBe('OWNER');

    // Another organization's log names nothing of this one.
    const theirs = await (await callerAsUser(other.members.OWNER.userId, other.slug)).audit.list({
      page: 1,
      limit: 100,
    });
    expect(JSON.stringify(theirs)).not.toContain('named@example.com');
  });
});
