import { randomBytes } from 'node:crypto';
import { type Db, type MemberRole, newObjectId, type Prisma } from '@otp-access/db';
import { AppError, ErrorCode, notFound } from '../errors';
import { recordAudit } from './audit';
import type { Actor } from './otp-user';
import { hashPassword } from './password';

const memberSelect = {
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, lockedUntil: true } },
} satisfies Prisma.MembershipSelect;
type MemberRow = Prisma.MembershipGetPayload<{ select: typeof memberSelect }>;

function toMemberDto(row: MemberRow, now: Date) {
  return {
    userId: row.user.id,
    email: row.user.email,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lockedUntil:
      row.user.lockedUntil && row.user.lockedUntil > now ? row.user.lockedUntil.toISOString() : null,
  };
}

export async function listMembers(db: Db, organizationId: string, now: Date) {
  const rows = await db.membership.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    select: memberSelect,
  });
  return rows.map((row) => toMemberDto(row, now));
}

/**
 * Adds an admin to the organization. A new account gets a random initial password, returned
 * once for the inviter to hand over (mail delivery of invitations comes with delivery settings).
 */
export async function inviteMember(
  db: Db,
  scope: Actor,
  data: { email: string; role: MemberRole },
  now: Date,
) {
  const existing = await db.adminUser.findUnique({ where: { email: data.email }, select: { id: true } });
  const initialPassword = existing ? null : randomBytes(12).toString('base64url');
  const passwordHash = initialPassword ? await hashPassword(initialPassword) : null;
  return db.$transaction(async (tx) => {
    const userId = existing?.id ?? newObjectId(now);
    if (!existing) {
      await tx.adminUser.create({
        data: { id: userId, email: data.email, passwordHash: passwordHash!, createdAt: now },
      });
    }
    const already = await tx.membership.findUnique({
      where: { userId_organizationId: { userId, organizationId: scope.organizationId } },
      select: { role: true },
    });
    if (already) throw new AppError(ErrorCode.CONFLICT, { message: 'This admin is already a member' });
    const row = await tx.membership.create({
      data: { userId, organizationId: scope.organizationId, role: data.role, createdAt: now },
      select: memberSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'member.invite',
      targetType: 'AdminUser',
      targetId: userId,
      changes: { email: data.email, role: data.role, newAccount: !existing },
    });
    return { member: toMemberDto(row, now), initialPassword };
  });
}

/**
 * Runs a change to the owners with the organization's owner rows locked, so two owners demoting
 * or removing each other at once cannot leave it without one.
 */
async function withOwnersLocked<T>(
  db: Db,
  organizationId: string,
  run: (tx: Prisma.TransactionClient, ownerIds: string[]) => Promise<T>,
): Promise<T> {
  return db.$transaction(async (tx) => {
    const owners = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT user_id FROM membership WHERE organization_id = ${organizationId} AND role = 'OWNER' FOR UPDATE`;
    return run(
      tx,
      owners.map((o) => o.user_id),
    );
  });
}

const lastOwner = () =>
  new AppError(ErrorCode.CONFLICT, { message: 'An organization needs at least one owner' });

export async function changeMemberRole(
  db: Db,
  scope: Actor,
  data: { userId: string; role: MemberRole },
  now: Date,
) {
  return withOwnersLocked(db, scope.organizationId, async (tx, ownerIds) => {
    const key = { userId_organizationId: { userId: data.userId, organizationId: scope.organizationId } };
    const current = await tx.membership.findUnique({ where: key, select: { role: true } });
    if (!current) throw notFound();
    if (current.role === 'OWNER' && data.role !== 'OWNER' && ownerIds.length <= 1) throw lastOwner();
    const row = await tx.membership.update({ where: key, data: { role: data.role }, select: memberSelect });
    if (current.role !== data.role) {
      await recordAudit(tx, {
        organizationId: scope.organizationId,
        actor: scope.actor,
        action: 'member.changeRole',
        targetType: 'AdminUser',
        targetId: data.userId,
        changes: { role: { from: current.role, to: data.role } },
      });
    }
    return toMemberDto(row, now);
  });
}

export async function removeMember(db: Db, scope: Actor, userId: string) {
  await withOwnersLocked(db, scope.organizationId, async (tx, ownerIds) => {
    const key = { userId_organizationId: { userId, organizationId: scope.organizationId } };
    const current = await tx.membership.findUnique({
      where: key,
      select: { role: true, user: { select: { email: true } } },
    });
    if (!current) throw notFound();
    if (current.role === 'OWNER' && ownerIds.length <= 1) throw lastOwner();
    await tx.membership.delete({ where: key });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'member.remove',
      targetType: 'AdminUser',
      targetId: userId,
      // No longer a member: the log keeps who it was.
      changes: { email: current.user.email, role: current.role },
    });
  });
}

/** Lifts a sign-in lock early. Only for members of the organization the caller manages. */
/**
 * Lifts a sign-in lockout. An account is one person across organizations, and its lockout guards
 * all of them: an owner may lift it only for an account that belongs to their organization alone.
 * Otherwise an owner could add someone else's account to their own organization (invites of
 * existing accounts need no consent) and unlock it after every few guesses of its password.
 */
export async function unlockMember(db: Db, scope: Actor, userId: string, now: Date) {
  return db.$transaction(async (tx) => {
    const key = { userId_organizationId: { userId, organizationId: scope.organizationId } };
    const membership = await tx.membership.findUnique({ where: key, select: { userId: true } });
    if (!membership) throw notFound();
    const elsewhere = await tx.membership.count({
      where: { userId, organizationId: { not: scope.organizationId } },
    });
    if (elsewhere > 0) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        message: 'This account also belongs to another organization; its lockout ends by itself',
      });
    }
    await tx.adminUser.update({
      where: { id: userId },
      data: { failedLogins: 0, lockedUntil: null },
      select: { id: true },
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'member.unlock',
      targetType: 'AdminUser',
      targetId: userId,
    });
    const row = await tx.membership.findUniqueOrThrow({ where: key, select: memberSelect });
    return toMemberDto(row, now);
  });
}
