import { createHash, randomBytes } from 'node:crypto';
import { type Db, type MemberRole, newObjectId, type Prisma } from '@otp-access/db';
import { type Permission, ROLE_PERMISSIONS, type Role } from '@otp-access/validators';
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

/** Who grants a role: their permissions in the organization, and their role there (null for an API key). */
export interface Grantor {
  permissions: readonly Permission[];
  role: Role | null;
}

/**
 * A role may be granted (or taken away) only by someone who holds every permission it carries, and
 * an owner's only by an owner, a person: a key limited to managing members cannot mint an owner,
 * nor demote or remove one.
 */
export function assertMayGrant(grantor: Grantor, role: Role) {
  if (role === 'OWNER' && grantor.role !== 'OWNER') {
    throw new AppError(ErrorCode.FORBIDDEN, { message: 'Only an owner can make, change or remove an owner' });
  }
  const beyond = ROLE_PERMISSIONS[role].filter((p) => !grantor.permissions.includes(p));
  if (beyond.length > 0) {
    throw new AppError(ErrorCode.FORBIDDEN, {
      message: `You cannot grant permissions you do not hold: ${beyond.join(', ')}`,
    });
  }
}

export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const invitationSelect = {
  id: true,
  email: true,
  role: true,
  createdAt: true,
  expiresAt: true,
} satisfies Prisma.InvitationSelect;
type InvitationRow = Prisma.InvitationGetPayload<{ select: typeof invitationSelect }>;

function toInvitationDto(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

export interface InvitationMailer {
  /** The console's public address, for the link in the invitation. */
  publicUrl: string | undefined;
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/**
 * Invites an email to the organization. Nothing is looked up about the address: whether an account
 * has it or not, the inviter gets the same answer (the pending invitation, nothing more), and the
 * person behind the address decides. The link (with a token only its mail carries) lets them accept:
 * a new account chooses its password there; an existing one accepts after signing in. Inviting the
 * same email again replaces the pending invitation (a fresh link, a fresh expiry).
 */
export async function inviteMember(
  db: Db,
  scope: Actor & { organizationName: string; grantor: Grantor },
  data: { email: string; role: MemberRole },
  mailer: InvitationMailer,
  now: Date,
) {
  assertMayGrant(scope.grantor, data.role);
  const already = await db.membership.findFirst({
    where: { organizationId: scope.organizationId, user: { email: data.email } },
    select: { userId: true },
  });
  // Members are listed to the inviter anyway: saying so reveals nothing new.
  if (already) throw new AppError(ErrorCode.CONFLICT, { message: 'This admin is already a member' });
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000);
  const row = await db.$transaction(async (tx) => {
    const saved = await tx.invitation.upsert({
      where: { organizationId_email: { organizationId: scope.organizationId, email: data.email } },
      create: {
        id: newObjectId(now),
        organizationId: scope.organizationId,
        email: data.email,
        role: data.role,
        tokenHash: hashToken(token),
        invitedBy: scope.actor.slice(0, 200),
        expiresAt,
        createdAt: now,
      },
      update: {
        role: data.role,
        tokenHash: hashToken(token),
        invitedBy: scope.actor.slice(0, 200),
        expiresAt,
      },
      select: invitationSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'member.invite',
      targetType: 'Invitation',
      targetId: saved.id,
      changes: { email: data.email, role: data.role },
    });
    return saved;
  });
  const link = `${(mailer.publicUrl ?? '').replace(/\/$/, '')}/invitation#${token}`;
  await mailer.send({
    to: data.email,
    subject: `You are invited to ${scope.organizationName} on OTP Access`,
    text: [
      `You are invited to join ${scope.organizationName} on OTP Access as ${data.role.toLowerCase()}.`,
      '',
      `To accept, open ${link}`,
      'If you already have an account, you can also sign in and accept it on your account page.',
      '',
      `The invitation expires on ${expiresAt.toUTCString()}. If you do not know this organization, ignore this message: nothing happens unless you accept.`,
    ].join('\n'),
  });
  return { invitation: toInvitationDto(row) };
}

/** Pending invitations of the organization: only what the inviter typed (email, role). */
export async function listInvitations(db: Db, organizationId: string, now: Date) {
  const rows = await db.invitation.findMany({
    where: { organizationId, expiresAt: { gt: now } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: invitationSelect,
  });
  return rows.map(toInvitationDto);
}

export async function revokeInvitation(db: Db, scope: Actor, id: string) {
  await db.$transaction(async (tx) => {
    const deleted = await tx.invitation.deleteMany({ where: { id, organizationId: scope.organizationId } });
    if (deleted.count === 0) throw notFound();
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'member.revokeInvitation',
      targetType: 'Invitation',
      targetId: id,
    });
  });
}

const myInvitationSelect = {
  id: true,
  role: true,
  expiresAt: true,
  organization: { select: { slug: true, name: true } },
} satisfies Prisma.InvitationSelect;

function toMyInvitationDto(row: Prisma.InvitationGetPayload<{ select: typeof myInvitationSelect }>) {
  return {
    id: row.id,
    organization: { slug: row.organization.slug, name: row.organization.name },
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** The invitations waiting for the signed-in admin's email. */
export async function listMyInvitations(db: Db, email: string, now: Date) {
  // Same query as listInvitations on purpose: one reads an email's invitations, with what its reader may see.
  const rows = await db.invitation.findMany({
    where: { email, expiresAt: { gt: now } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: myInvitationSelect,
  });
  return rows.map(toMyInvitationDto);
}

/** Turns an invitation into a membership, in the transaction that deletes it (so it is used once). */
async function joinByInvitation(
  tx: Prisma.TransactionClient,
  invitation: { id: string; organizationId: string; role: MemberRole; email: string },
  userId: string,
  now: Date,
) {
  const taken = await tx.invitation.deleteMany({ where: { id: invitation.id } });
  if (taken.count === 0) throw notFound();
  await tx.membership.upsert({
    where: { userId_organizationId: { userId, organizationId: invitation.organizationId } },
    create: { userId, organizationId: invitation.organizationId, role: invitation.role, createdAt: now },
    update: {},
    select: { userId: true },
  });
  await recordAudit(tx, {
    organizationId: invitation.organizationId,
    actor: `user:${userId} (${invitation.email})`,
    action: 'member.acceptInvitation',
    targetType: 'AdminUser',
    targetId: userId,
    changes: { role: invitation.role },
  });
}

/** The signed-in admin accepts (or declines) one of their invitations; another's id is 404. */
export async function answerMyInvitation(
  db: Db,
  user: { userId: string; email: string },
  data: { id: string; accept: boolean },
  now: Date,
) {
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findFirst({
      where: { id: data.id, email: user.email, expiresAt: { gt: now } },
      select: { organizationId: true, email: true, ...myInvitationSelect },
    });
    if (!invitation) throw notFound();
    if (data.accept) await joinByInvitation(tx, invitation, user.userId, now);
    else await tx.invitation.delete({ where: { id: invitation.id }, select: { id: true } });
    return toMyInvitationDto(invitation);
  });
}

async function invitationByToken(db: Db | Prisma.TransactionClient, token: string, now: Date) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { organizationId: true, email: true, ...myInvitationSelect },
  });
  if (!invitation || invitation.expiresAt <= now) {
    throw new AppError(ErrorCode.ENTITY_NOT_FOUND, {
      message: 'This invitation link is not valid any more: ask for a new one',
    });
  }
  return invitation;
}

/**
 * What an invitation link offers. Only the invitee has the link (it is mailed to them), so telling
 * them whether their address already has an account (sign in, or choose a password) leaks nothing.
 */
export async function previewInvitation(db: Db, token: string, now: Date) {
  const invitation = await invitationByToken(db, token, now);
  const account = await db.adminUser.findUnique({ where: { email: invitation.email }, select: { id: true } });
  return { ...toMyInvitationDto(invitation), email: invitation.email, hasAccount: account !== null };
}

/** A new admin accepts by link and chooses their password; an existing account must sign in instead. */
export async function acceptInvitationWithNewAccount(
  db: Db,
  data: { token: string; password: string },
  now: Date,
): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    const invitation = await invitationByToken(tx, data.token, now);
    const existing = await tx.adminUser.findUnique({
      where: { email: invitation.email },
      select: { id: true },
    });
    if (existing) {
      throw new AppError(ErrorCode.CONFLICT, {
        message:
          'This email already has an account: sign in, then accept the invitation on your account page',
      });
    }
    const userId = newObjectId(now);
    await tx.adminUser.create({
      data: { id: userId, email: invitation.email, passwordHash, createdAt: now },
      select: { id: true },
    });
    await joinByInvitation(tx, invitation, userId, now);
    return { userId };
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
  scope: Actor & { grantor: Grantor },
  data: { userId: string; role: MemberRole },
  now: Date,
) {
  return withOwnersLocked(db, scope.organizationId, async (tx, ownerIds) => {
    const key = { userId_organizationId: { userId: data.userId, organizationId: scope.organizationId } };
    const current = await tx.membership.findUnique({ where: key, select: { role: true } });
    // Another organization's member is unknown here (404) before any question of rights.
    if (!current) throw notFound();
    assertMayGrant(scope.grantor, data.role);
    assertMayGrant(scope.grantor, current.role);
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

export async function removeMember(db: Db, scope: Actor & { grantor: Grantor }, userId: string) {
  await withOwnersLocked(db, scope.organizationId, async (tx, ownerIds) => {
    const key = { userId_organizationId: { userId, organizationId: scope.organizationId } };
    const current = await tx.membership.findUnique({
      where: key,
      select: { role: true, user: { select: { email: true } } },
    });
    if (!current) throw notFound();
    assertMayGrant(scope.grantor, current.role);
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

/**
 * Lifts a sign-in lockout. An account is one person across organizations, and its lockout guards
 * all of them: an owner may lift it only for an account that belongs to their organization alone.
 * (Sign-in throttling no longer locks accounts; this clears what older versions recorded.)
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
    // Same shape as every audited write on purpose: the row and its audit entry in one transaction (audit.ts).
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
