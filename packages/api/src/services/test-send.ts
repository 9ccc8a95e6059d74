import type { Db, DeliveryType } from '@otp-access/db';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import { type DeliveryConfig, deliver, maskRecipient } from './delivery';
import type { Limits } from './limits';
import type { Principal } from './principal';
import type { Keyring } from './secret-box';

const ZMailRecipient = z.email();
const ZSmsRecipient = z.string().regex(/^\+[1-9]\d{6,14}$/);

async function defaultRecipient(db: Db, principal: Principal, type: DeliveryType): Promise<string> {
  if (principal.kind !== 'user') {
    throw new AppError(ErrorCode.VALIDATION, {
      message: 'Give a recipient in "to"',
      data: { to: 'Required with an API key' },
    });
  }
  if (type === 'MAIL') return principal.email;
  const user = await db.adminUser.findUnique({ where: { id: principal.userId }, select: { phone: true } });
  if (!user?.phone) {
    throw new AppError(ErrorCode.VALIDATION, {
      message: 'Your account has no phone number: give a recipient in "to"',
      data: { to: 'Required: no phone number on your account' },
    });
  }
  return user.phone;
}

/**
 * Sends a real test message through the space's default provider of the type (falling over like
 * any send) and reports every attempt, including the provider's error when it failed.
 */
export async function sendTestMessage(
  db: Db,
  keyring: Keyring,
  config: DeliveryConfig,
  scope: { organizationId: string; organizationName: string; principal: Principal },
  input: { type?: DeliveryType | undefined; to?: string | undefined },
  limits: Limits,
  /** The message to send instead of the plain test text (a code message from templates). */
  compose?: (type: DeliveryType) => { subject?: string; text: string },
) {
  await limits.consume([['testSendPerOrganization', scope.organizationId]]);
  const type = input.type ?? 'MAIL';
  const to = input.to ?? (await defaultRecipient(db, scope.principal, type));
  const valid = (type === 'MAIL' ? ZMailRecipient : ZSmsRecipient).safeParse(to);
  if (!valid.success) {
    throw new AppError(ErrorCode.VALIDATION, {
      message: type === 'MAIL' ? 'Not an email address' : 'Not a phone number in E.164 form (+15005550006)',
      data: { to: type === 'MAIL' ? 'Invalid email address' : 'Invalid phone number' },
    });
  }
  const composed = compose?.(type) ?? {
    subject: 'OTP Access test message',
    text: `This is a test message from OTP Access (${scope.organizationName}): your delivery settings work.`,
  };
  const result = await deliver(db, keyring, config, {
    organizationId: scope.organizationId,
    type,
    purpose: 'TEST',
    message: { to, subject: composed.subject ?? 'OTP Access test message', text: composed.text },
  });
  return { ...result, type, recipient: maskRecipient(type, to) };
}

/** What a test send reads from the organization a procedure acts in (its tRPC context has it all). */
export interface OrganizationTestSend {
  db: Db;
  keyring: () => Keyring;
  delivery: DeliveryConfig;
  limits: () => Limits;
  organization: { id: string; name: string };
  principal: Principal;
}

/** `sendTestMessage` in the organization a procedure acts in, as its principal. */
export function sendOrganizationTestMessage(
  ctx: OrganizationTestSend,
  input: { type?: DeliveryType | undefined; to?: string | undefined },
  compose?: (type: DeliveryType) => { subject?: string; text: string },
) {
  return sendTestMessage(
    ctx.db,
    ctx.keyring(),
    ctx.delivery,
    {
      organizationId: ctx.organization.id,
      organizationName: ctx.organization.name,
      principal: ctx.principal,
    },
    input,
    ctx.limits(),
    compose,
  );
}
