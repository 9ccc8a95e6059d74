import type { AdminOtpType, Db } from '@otp-access/db';
import { AppError, ErrorCode } from '../errors';
import { type DeliveryConfig, deliver } from './delivery';
import type { Limits } from './limits';
import { issueCode, verifyCode } from './otp-codes';
import { organizationPolicySelect, renderCodeMessage } from './otp-messages';
import type { Keyring } from './secret-box';

export interface TwoFactorDeps {
  db: Db;
  keyring: () => Keyring;
  delivery: DeliveryConfig;
  limits: Limits;
  codeKey: Uint8Array;
}

/**
 * The second step of an admin sign-in: a code by the admin's channel, sent through the default
 * provider of that type of the first of their spaces that has one (its code policy applies).
 */
export async function sendAdminCode(
  deps: TwoFactorDeps,
  user: { id: string; email: string; phone: string | null; otpType: Exclude<AdminOtpType, 'NONE'> },
  now: Date,
): Promise<void> {
  const type = user.otpType;
  const to = type === 'MAIL' ? user.email : user.phone;
  if (!to)
    throw new AppError(ErrorCode.UNAVAILABLE, {
      message: 'Two-factor sign-in by SMS needs a phone number on the account',
    });
  await deps.limits.consume([
    ['sendCooldown', `admin:${user.id}`],
    ['sendPerRecipient', to],
  ]);
  const setting = await deps.db.deliverySetting.findFirst({
    where: { defaultFor: type, organization: { memberships: { some: { userId: user.id } } } },
    orderBy: { organization: { slug: 'asc' } },
    select: { organization: { select: organizationPolicySelect } },
  });
  if (!setting) {
    throw new AppError(ErrorCode.UNAVAILABLE, {
      message: `No ${type} provider is configured to send your sign-in code`,
    });
  }
  const org = setting.organization;
  const { code } = await issueCode(deps.db, deps.codeKey, {
    purpose: 'ADMIN_2FA',
    subjectId: user.id,
    policy: { length: org.otpCodeLength, ttlSeconds: org.otpCodeTtlSeconds },
    now,
  });
  const result = await deliver(deps.db, deps.keyring(), deps.delivery, {
    organizationId: org.id,
    type,
    purpose: 'ADMIN_2FA',
    message: { to, ...renderCodeMessage(org, type, code) },
  });
  if (!result.delivered)
    throw new AppError(ErrorCode.UNAVAILABLE, {
      message: 'Your sign-in code could not be sent; try again later',
    });
}

export const invalidCode = () => new AppError(ErrorCode.UNAUTHORIZED, { message: 'Invalid or expired code' });

/** Checks an admin's code; unknown users and wrong codes get the same answer. */
export async function verifyAdminCode(
  deps: TwoFactorDeps,
  input: { username: string; code: string; clientIp: string },
  now: Date,
): Promise<{ userId: string }> {
  await deps.limits.consume([['verifyPerIp', input.clientIp]]);
  const user = await deps.db.adminUser.findUnique({
    where: { email: input.username.trim().toLowerCase() },
    select: { id: true, otpType: true },
  });
  if (!user || user.otpType === 'NONE') throw invalidCode();
  const ok = await verifyCode(deps.db, deps.codeKey, {
    purpose: 'ADMIN_2FA',
    subjectId: user.id,
    code: input.code,
    now,
  });
  if (!ok) throw invalidCode();
  return { userId: user.id };
}
