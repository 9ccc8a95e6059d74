import type { Db } from '@otp-access/db';
import { upsertSetting } from './otp-settings';
import type { Keyring } from './secret-box';

/**
 * Embedded mode: points the organization's MAIL (SMTP) setting at the local mail sink, so codes
 * go out of the box. Made the default only when the organization has no other default mail setting.
 */
export async function useLocalMailSink(
  db: Db,
  keyring: Keyring,
  organizationSlug: string,
  sink: { host: string; port: number },
): Promise<void> {
  const organization = await db.organization.findUnique({
    where: { slug: organizationSlug },
    select: { id: true },
  });
  if (!organization) return;
  const existing = await db.deliverySetting.findUnique({
    where: {
      organizationId_type_provider: { organizationId: organization.id, type: 'MAIL', provider: 'DEFAULT' },
    },
    select: { defaultFor: true, config: true },
  });
  const config = (existing?.config ?? {}) as Record<string, unknown>;
  const ours = !existing || config.smtpHost === sink.host;
  if (!ours) return; // Someone configured a real mail server: leave it alone.
  if (existing && config.smtpPort === sink.port) return;
  const otherDefault = await db.deliverySetting.count({
    where: { organizationId: organization.id, defaultFor: 'MAIL', provider: { not: 'DEFAULT' } },
  });
  await upsertSetting(
    db,
    keyring,
    { organizationId: organization.id, actor: 'system (embedded mail sink)' },
    'DEFAULT',
    {
      isDefault: existing ? existing.defaultFor !== null : otherDefault === 0,
      smtpHost: sink.host,
      smtpPort: sink.port,
      transportStrategy: 'SMTP',
      fromAddress: `no-reply@${organizationSlug}.example`,
    },
    new Date(),
  );
}
