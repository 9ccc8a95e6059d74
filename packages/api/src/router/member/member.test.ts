import { describe, expect, it } from 'vitest';
import { callerAsUser, createTestOrganization, testDb } from '../../testing/fixtures';

describe('member router', () => {
  it('invites with a role (new accounts get an initial password once), changes roles and removes', async () => {
    const org = await createTestOrganization();
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    const invited = await owner.member.invite({ email: 'New.Admin@Example.com', role: 'ADMIN' });
    expect(invited.member).toMatchObject({
      email: 'new.admin@example.com',
      role: 'ADMIN',
      lockedUntil: null,
    });
    expect(invited.initialPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);

    // An existing account joins without a new password.
    const other = await createTestOrganization();
    const again = await (await callerAsUser(other.members.OWNER.userId, other.slug)).member.invite({
      email: 'new.admin@example.com',
      role: 'VIEWER',
    });
    expect(again.initialPassword).toBeNull();
    await expect(
      owner.member.invite({ email: 'new.admin@example.com', role: 'VIEWER' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const changed = await owner.member.changeRole({ userId: invited.member.userId, role: 'VIEWER' });
    expect(changed.role).toBe('VIEWER');
    await owner.member.remove({ userId: invited.member.userId });
    expect((await owner.member.list()).map((m) => m.email)).not.toContain('new.admin@example.com');
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

    // Another organization's owner adds the account (no consent needed) and tries to unlock it.
    const attacker = await callerAsUser(attackers.members.OWNER.userId, attackers.slug);
    await attacker.member.invite({ email: victim.email, role: 'VIEWER' });
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
