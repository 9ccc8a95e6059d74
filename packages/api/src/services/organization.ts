import type { Db, DeliveryType, Prisma } from '@otp-access/db';
import type { OtpPolicy } from '@otp-access/validators';
import { AppError, ErrorCode, notFound } from '../errors';
import { API_KEY_CHANNEL, type ApiKeyCache } from './api-key-cache';
import { recordAudit } from './audit';
import {
  DEFAULT_CODE_MESSAGES,
  type OrganizationOtpPolicy,
  organizationPolicySelect,
  renderCodeMessage,
} from './otp-messages';
import type { Actor } from './otp-user';
import type { Principal } from './principal';
import type { RemoveStoredBuilds } from './stored-builds';

const settingsSelect = { ...organizationPolicySelect, slug: true } satisfies Prisma.OrganizationSelect;
type SettingsRow = Prisma.OrganizationGetPayload<{ select: typeof settingsSelect }>;

const defaults = {
  mailSubject: DEFAULT_CODE_MESSAGES.mailSubject,
  mailBody: DEFAULT_CODE_MESSAGES.mailText,
  smsText: DEFAULT_CODE_MESSAGES.smsText,
};

function toPolicy(row: OrganizationOtpPolicy): OtpPolicy {
  return {
    codeLength: row.otpCodeLength,
    codeTtlMinutes: Math.round(row.otpCodeTtlSeconds / 60),
    mailSubject: row.otpMailSubject,
    mailBody: row.otpMailTemplate,
    smsText: row.otpSmsTemplate,
  };
}

function toColumns(policy: OtpPolicy) {
  return {
    otpCodeLength: policy.codeLength,
    otpCodeTtlSeconds: policy.codeTtlMinutes * 60,
    otpMailSubject: policy.mailSubject,
    otpMailTemplate: policy.mailBody,
    otpSmsTemplate: policy.smsText,
  };
}

function toSettingsDto(row: SettingsRow) {
  return { id: row.id, slug: row.slug, name: row.name, policy: toPolicy(row), defaults };
}

async function loadSettings(db: Db | Prisma.TransactionClient, organizationId: string) {
  const row = await db.organization.findUnique({ where: { id: organizationId }, select: settingsSelect });
  if (!row) throw notFound();
  return row;
}

export async function getOrganizationSettings(db: Db, organizationId: string) {
  return toSettingsDto(await loadSettings(db, organizationId));
}

/** Only the fields that differ, as `{field: {from, to}}` for the audit log. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] !== value) changes[key] = { from: before[key] ?? null, to: value };
  }
  return changes;
}

export async function renameOrganization(db: Db, scope: Actor, name: string) {
  return db.$transaction(async (tx) => {
    const before = await loadSettings(tx, scope.organizationId);
    if (before.name === name) return toSettingsDto(before);
    const row = await tx.organization.update({
      where: { id: scope.organizationId },
      data: { name },
      select: settingsSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'organization.rename',
      targetType: 'Organization',
      targetId: scope.organizationId,
      changes: { name: { from: before.name, to: name } },
    });
    return toSettingsDto(row);
  });
}

export async function updateOtpPolicy(db: Db, scope: Actor, policy: OtpPolicy) {
  return db.$transaction(async (tx) => {
    const before = await loadSettings(tx, scope.organizationId);
    const changes = diff(toPolicy(before), policy);
    if (Object.keys(changes).length === 0) return toSettingsDto(before);
    const row = await tx.organization.update({
      where: { id: scope.organizationId },
      data: toColumns(policy),
      select: settingsSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'organization.updateOtpPolicy',
      targetType: 'Organization',
      targetId: scope.organizationId,
      changes: changes as Prisma.InputJsonValue,
    });
    return toSettingsDto(row);
  });
}

/** A code of the policy's length, plainly a sample (never a real code). */
export function sampleCode(length: number): string {
  return '1234567890'.slice(0, length);
}

/**
 * The messages an OTP user would get, rendered from `policy` (the saved one when not given), so
 * a form can show them before they are saved.
 */
export async function previewCodeMessages(
  db: Db,
  organizationId: string,
  draft?: { name?: string | undefined; policy?: OtpPolicy | undefined },
) {
  const saved = await loadSettings(db, organizationId);
  const org: OrganizationOtpPolicy = {
    ...saved,
    ...(draft?.policy ? toColumns(draft.policy) : {}),
    name: draft?.name ?? saved.name,
  };
  const code = sampleCode(org.otpCodeLength);
  const mail = renderCodeMessage(org, 'MAIL', code) as { subject: string; text: string };
  const sms = renderCodeMessage(org, 'SMS', code);
  return { sampleCode: code, mail, sms: { text: sms.text } };
}

/** A composer for the test send: the code message of the (draft or saved) policy, sample code. */
export async function codeMessageComposer(db: Db, organizationId: string, draft?: OtpPolicy) {
  const preview = await previewCodeMessages(db, organizationId, { policy: draft });
  return (type: DeliveryType) => (type === 'SMS' ? preview.sms : preview.mail);
}

/**
 * Deletes an organization and everything it owns (stores, applications, published applications,
 * OTP users and their downloads, delivery settings and log, API keys, memberships, audit trail)
 * in one transaction. Only an owner's session may do it, confirming with the exact name. Build
 * files live outside the database, under the organization's storage prefix: `removeStoredBuilds` removes it once the rows are gone, so a
 * failed transaction never leaves rows whose files were already removed. Accounts stay (an
 * account may belong to other organizations); they just lose this space.
 */
export async function deleteOrganization(
  db: Db,
  scope: Actor & { principal: Principal },
  input: { confirmName: string },
  options: { removeStoredBuilds: RemoveStoredBuilds; apiKeyCache?: ApiKeyCache | undefined },
) {
  if (scope.principal.kind !== 'user') {
    throw new AppError(ErrorCode.FORBIDDEN, {
      message: "Deleting an organization needs an owner's session, not an API key",
    });
  }
  const apiKeyIds = await db.$transaction(async (tx) => {
    // Locks the row: a concurrent change to the organization waits for this to finish.
    const rows = await tx.$queryRaw<{ name: string }[]>`
      SELECT name FROM organization WHERE id = ${scope.organizationId} FOR UPDATE`;
    const organization = rows[0];
    if (!organization) throw notFound();
    if (organization.name !== input.confirmName) {
      throw new AppError(ErrorCode.VALIDATION, {
        message: 'Type the name of the organization exactly to confirm',
        data: { confirmName: 'Does not match the name of the organization' },
      });
    }
    const apiKeys = await tx.apiKey.findMany({
      where: { organizationId: scope.organizationId },
      select: { id: true },
    });
    // Foreign keys cascade from the organization to every row it owns.
    await tx.organization.delete({ where: { id: scope.organizationId }, select: { id: true } });
    for (const key of apiKeys) await tx.$executeRaw`SELECT pg_notify(${API_KEY_CHANNEL}, ${key.id})`;
    return apiKeys.map((k) => k.id);
  });
  for (const id of apiKeyIds) options.apiKeyCache?.invalidate(id);
  await options.removeStoredBuilds({ organizationId: scope.organizationId, wholeOrganization: true });
  return { deleted: true as const };
}
