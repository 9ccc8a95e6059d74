import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Db, newObjectId } from '@otp-access/db';
import { AppError, ErrorCode } from '../errors';
import { recordAudit } from './audit';
import { hashPassword } from './password';

/** One bootstrap at a time, so two setup submissions cannot both find the database empty. */
const FIRST_RUN_LOCK = 'otp-access:first-run';

export interface NewOrganization {
  slug: string;
  name: string;
  ownerEmail: string;
  /** Left out: a password is generated and returned once. */
  password?: string | undefined;
}

export interface BootstrapOptions {
  /** The setup page: only while no organization exists, and never for an existing account. */
  onlyWhenEmpty: boolean;
  /** Who did it, for the new organization's audit log. */
  actor: string;
  now: Date;
}

export const setupClosed = () =>
  new AppError(ErrorCode.FORBIDDEN, {
    message: 'Setup is finished: an organization already exists. Sign in instead.',
  });

export async function hasAnyOrganization(db: Db): Promise<boolean> {
  return (await db.organization.findFirst({ select: { id: true } })) !== null;
}

/**
 * Creates an organization and its owner: the operator's bootstrap (CLI, or the one-time setup
 * page). An existing account becomes the owner with its password unchanged (CLI only).
 */
export async function createOrganizationWithOwner(db: Db, input: NewOrganization, options: BootstrapOptions) {
  if (options.onlyWhenEmpty && (await hasAnyOrganization(db))) throw setupClosed();
  const existing = await db.adminUser.findUnique({
    where: { email: input.ownerEmail },
    select: { id: true },
  });
  if (existing && options.onlyWhenEmpty) {
    throw new AppError(ErrorCode.CONFLICT, {
      message: 'An account with this email already exists. Use another email, or the CLI.',
      data: { ownerEmail: 'An account with this email already exists' },
    });
  }
  if (existing && input.password !== undefined) {
    throw new AppError(ErrorCode.CONFLICT, {
      message: `The account ${input.ownerEmail} already exists and keeps its password: leave the password out to make it the owner.`,
      data: { ownerEmail: 'An account with this email already exists' },
    });
  }
  const initialPassword =
    existing || input.password !== undefined ? null : randomBytes(18).toString('base64url');
  const passwordHash = existing ? null : await hashPassword(input.password ?? initialPassword!);
  const { now } = options;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${FIRST_RUN_LOCK}))`;
    // Checked again under the lock: a submission racing this one may have finished meanwhile.
    if (options.onlyWhenEmpty && (await tx.organization.findFirst({ select: { id: true } }))) {
      throw setupClosed();
    }
    const taken = await tx.organization.findUnique({ where: { slug: input.slug }, select: { id: true } });
    if (taken) {
      throw new AppError(ErrorCode.CONFLICT, {
        message: `An organization with the slug "${input.slug}" already exists.`,
        data: { slug: 'Already taken' },
      });
    }
    const organizationId = newObjectId(now);
    await tx.organization.create({
      data: { id: organizationId, slug: input.slug, name: input.name, createdAt: now },
      select: { id: true },
    });
    const userId = existing?.id ?? newObjectId(now);
    if (!existing) {
      await tx.adminUser.create({
        data: { id: userId, email: input.ownerEmail, passwordHash: passwordHash!, createdAt: now },
        select: { id: true },
      });
    }
    await tx.membership.create({
      data: { userId, organizationId, role: 'OWNER', createdAt: now },
      select: { userId: true },
    });
    await recordAudit(tx, {
      organizationId,
      actor: options.actor,
      action: 'organization.create',
      targetType: 'Organization',
      targetId: organizationId,
      changes: { slug: input.slug, name: input.name, owner: input.ownerEmail, newAccount: !existing },
    });
    return {
      organization: { id: organizationId, slug: input.slug, name: input.name },
      owner: { userId, email: input.ownerEmail, newAccount: !existing },
      initialPassword,
    };
  });
}

/** A token for the setup page, printed once in the server log. */
export function generateSetupToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison (of digests, so the lengths never differ). */
export function setupTokenMatches(expected: string | undefined, given: string): boolean {
  if (!expected) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
