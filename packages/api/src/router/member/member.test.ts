import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  invitationTokenFor,
  startOperatorMail,
  testDb,
} from '../../testing/fixtures';

let operator: Awaited<ReturnType<typeof startOperatorMail>>;
beforeAll(async () => {
  operator = await startOperatorMail();
});
afterAll(async () => {
  await operator.sink.stop();
});

describe('member router', () => {
  it('invites by consent: the invitee accepts (a new account chooses its password), then roles change and members go', async () => {
    const org = await createTestOrganization();
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug, { delivery: operator.delivery });
    const email = `new.admin-${org.slug}@example.com`;
    const invited = await owner.member.invite({ email: email.toUpperCase(), role: 'ADMIN' });
    expect(invited).toEqual({
      invitation: {
        id: expect.any(String),
        email,
        role: 'ADMIN',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    });
    // Pending: not a member, listed as an invitation with the typed email only.
    expect((await owner.member.list()).map((m) => m.email)).not.toContain(email);
    expect((await owner.member.invitations()).map((i) => i.email)).toEqual([email]);

    const token = await invitationTokenFor(operator.sink, email);
    const anonymous = callerFor(null);
    expect(await anonymous.invitation.preview({ token })).toMatchObject({
      email,
      role: 'ADMIN',
      hasAccount: false,
      organization: { slug: org.slug },
    });
    await expect(anonymous.invitation.accept({ token, password: 'short' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await anonymous.invitation.accept({ token, password: 'my own new password' });
    // The link works once.
    await expect(
      anonymous.invitation.accept({ token, password: 'my own new password' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const member = (await owner.member.list()).find((m) => m.email === email)!;
    expect(member.role).toBe('ADMIN');
    expect(await owner.member.invitations()).toEqual([]);
    await expect(owner.member.invite({ email, role: 'VIEWER' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const changed = await owner.member.changeRole({ userId: member.userId, role: 'VIEWER' });
    expect(changed.role).toBe('VIEWER');
    await owner.member.remove({ userId: member.userId });
    expect((await owner.member.list()).map((m) => m.email)).not.toContain(email);
  });

  it('an existing account joins only when its holder accepts after signing in; declining leaves nothing', async () => {
    const [home, inviter] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const admin = home.members.ADMIN;
    const owner = await callerAsUser(inviter.members.OWNER.userId, inviter.slug, {
      delivery: operator.delivery,
    });
    const stranger = `nobody-${inviter.slug}@example.com`;
    // The same answer whether or not the address has an account.
    const [forExisting, forUnknown] = await Promise.all([
      owner.member.invite({ email: admin.email, role: 'VIEWER' }),
      owner.member.invite({ email: stranger, role: 'VIEWER' }),
    ]);
    const shape = (a: typeof forExisting) => ({
      ...a.invitation,
      id: 'x',
      email: 'x',
      createdAt: 'x',
      expiresAt: 'x',
    });
    expect(shape(forExisting)).toEqual(shape(forUnknown));
    expect(Object.keys(forExisting.invitation).sort()).toEqual(Object.keys(forUnknown.invitation).sort());
    expect((await owner.member.list()).map((m) => m.email)).not.toContain(admin.email);

    const me = await callerAsUser(admin.userId, home.slug);
    const [pending] = await me.account.invitations();
    expect(pending).toMatchObject({ organization: { slug: inviter.slug }, role: 'VIEWER' });
    // Someone else cannot answer it.
    const other = await callerAsUser(home.members.VIEWER.userId, home.slug);
    await expect(other.account.answerInvitation({ id: pending!.id, accept: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await me.account.answerInvitation({ id: pending!.id, accept: false });
    expect(await me.account.invitations()).toEqual([]);
    expect((await owner.member.list()).map((m) => m.email)).not.toContain(admin.email);

    await owner.member.invite({ email: admin.email, role: 'VIEWER' });
    const [again] = await me.account.invitations();
    await me.account.answerInvitation({ id: again!.id, accept: true });
    expect((await me.auth.me()).spaces.map((s) => s.slug)).toContain(inviter.slug);
  });

  it('grants never exceed the granter: only an owner makes, demotes or removes an owner', async () => {
    const org = await createTestOrganization();
    // A key that may manage members and holds a viewer's permissions, no more.
    const membersKey = callerFor(
      await org.createApiKey([
        'org.members.manage',
        'org.members.read',
        'mad.store.otpUsers.list',
        'mad.store.otpUsers.get',
        'otp.settings.read',
      ]),
      { delivery: operator.delivery },
    );
    for (const role of ['OWNER', 'ADMIN'] as const) {
      await expect(
        membersKey.member.invite({ email: `x-${role}-${org.slug}@example.com`, role }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    await expect(
      membersKey.member.changeRole({ userId: org.members.VIEWER.userId, role: 'OWNER' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      membersKey.member.changeRole({ userId: org.members.OWNER.userId, role: 'VIEWER' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(membersKey.member.remove({ userId: org.members.OWNER.userId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Within its permissions it works.
    await membersKey.member.invite({ email: `v-${org.slug}@example.com`, role: 'VIEWER' });
    // Even an all-permission key is not a person: it cannot make an owner.
    const fullKey = callerFor(org.apiKey, { delivery: operator.delivery });
    await expect(
      fullKey.member.changeRole({ userId: org.members.ADMIN.userId, role: 'OWNER' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    expect((await owner.member.changeRole({ userId: org.members.ADMIN.userId, role: 'OWNER' })).role).toBe(
      'OWNER',
    );
  });

  it('never leaves an organization without an owner', async () => {
    const org = await createTestOrganization();
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    await expect(
      owner.member.changeRole({ userId: org.members.OWNER.userId, role: 'ADMIN' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(owner.member.remove({ userId: org.members.OWNER.userId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // Two owners demoting each other at the same time: one must lose.
    await owner.member.changeRole({ userId: org.members.ADMIN.userId, role: 'OWNER' });
    const second = await callerAsUser(org.members.ADMIN.userId, org.slug);
    const results = await Promise.allSettled([
      owner.member.changeRole({ userId: org.members.ADMIN.userId, role: 'VIEWER' }),
      second.member.changeRole({ userId: org.members.OWNER.userId, role: 'VIEWER' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const owners = (await owner.member.list().catch(() => second.member.list())).filter(
      (m) => m.role === 'OWNER',
    );
    expect(owners).toHaveLength(1);
  });

  it("lifts a lockout only for an account that belongs to the caller's organization alone", async () => {
    const [victims, attackers] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const db = testDb();
    const lockedUntil = new Date(Date.now() + 600_000);
    const victim = victims.members.ADMIN;
    await db.adminUser.update({ where: { id: victim.userId }, data: { failedLogins: 5, lockedUntil } });

    // The account belongs to another organization too (its holder accepted an invitation).
    const attacker = await callerAsUser(attackers.members.OWNER.userId, attackers.slug);
    await db.membership.create({
      data: { userId: victim.userId, organizationId: attackers.id, role: 'VIEWER' },
    });
    await expect(attacker.member.unlock({ userId: victim.userId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const owner = await callerAsUser(victims.members.OWNER.userId, victims.slug);
    await expect(owner.member.unlock({ userId: victim.userId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.adminUser.findUniqueOrThrow({ where: { id: victim.userId } })).toMatchObject({
      failedLogins: 5,
      lockedUntil,
    });

    // Once it belongs to one organization again, that organization's owner can unlock it.
    await attacker.member.remove({ userId: victim.userId });
    const unlocked = await owner.member.unlock({ userId: victim.userId });
    expect(unlocked.lockedUntil).toBeNull();
  });
});
