import { type Db, type DeliveryProvider, type DeliveryType, newObjectId, type Prisma } from '@otp-access/db';
import type { OtpSettingView } from '@otp-access/validators';
import { AppError, ErrorCode, notFound } from '../errors';
import { recordAudit } from './audit';
import type { Actor } from './otp-user';
import { literalHostProblem, type OutboundPolicy } from './outbound-policy';
import { decryptSecret, encryptSecret, type Keyring, needsReencryption } from './secret-box';

/**
 * Which body fields each provider keeps in plain `config`, which are secrets (encrypted, never
 * shown), and which must be known before the setting can send.
 */
export const PROVIDER_FIELDS = {
  TWILIO: {
    type: 'SMS',
    config: ['accountSid', 'twilioNumber'],
    secrets: ['authToken'],
    required: ['accountSid', 'authToken', 'twilioNumber'],
    destination: ['accountSid'],
  },
  NETGSM: {
    type: 'SMS',
    config: ['username', 'bayiCode', 'header'],
    secrets: ['password'],
    required: ['username', 'password', 'header'],
    destination: ['username', 'bayiCode'],
  },
  DATAPORT: {
    type: 'SMS',
    config: ['originator', 'shortNumber', 'operator', 'username', 'accountNumber'],
    secrets: ['password'],
    required: ['username', 'password', 'accountNumber', 'originator'],
    destination: ['username', 'accountNumber'],
  },
  DEFAULT: {
    type: 'MAIL',
    config: ['username', 'smtpHost', 'transportStrategy', 'smtpPort', 'fromAddress'],
    secrets: ['password'],
    required: ['smtpHost', 'smtpPort', 'transportStrategy'],
    destination: ['smtpHost', 'smtpPort', 'username', 'transportStrategy'],
  },
} as const satisfies Record<
  DeliveryProvider,
  {
    type: DeliveryType;
    config: readonly string[];
    secrets: readonly string[];
    required: readonly string[];
    /**
     * Fields that say where (or as whom) the secrets are sent. A kept secret is bound to them:
     * otherwise whoever may edit settings but never saw the secret could point it at a server of
     * their own and read it from the next test send.
     */
    destination: readonly string[];
  }
>;

// The delivery-destinations test spells these out again on purpose: it checks the wording people read.
/** How errors name fields: as people read them, not as the API spells them. */
const FIELD_LABELS: Record<string, string> = {
  authToken: 'auth token',
  password: 'password',
  smtpHost: 'SMTP host',
  smtpPort: 'port',
  username: 'user name',
  transportStrategy: 'transport',
  accountSid: 'account SID',
  bayiCode: 'dealer code',
  accountNumber: 'account number',
};
const label = (key: string) => FIELD_LABELS[key] ?? key;

export const storedSettingSelect = {
  id: true,
  type: true,
  provider: true,
  defaultFor: true,
  config: true,
  secrets: true,
  createdBy: true,
  creationDate: true,
  lastModifiedBy: true,
  lastModifiedDate: true,
} satisfies Prisma.DeliverySettingSelect;
export type StoredSetting = Pick<
  Prisma.DeliverySettingGetPayload<{ select: typeof storedSettingSelect }>,
  'id' | 'type' | 'provider' | 'defaultFor' | 'config' | 'secrets'
>;
type FullSetting = Prisma.DeliverySettingGetPayload<{ select: typeof storedSettingSelect }>;

const asRecord = (value: Prisma.JsonValue): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The row id and field name are bound to each ciphertext: a value moved elsewhere does not decrypt. */
const secretContext = (settingId: string, field: string) => `delivery-setting:${settingId}:${field}`;

export function decryptSettingSecrets(keyring: Keyring, setting: StoredSetting): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(asRecord(setting.secrets))) {
    if (typeof value === 'string')
      out[field] = decryptSecret(keyring, value, secretContext(setting.id, field));
  }
  return out;
}

export function toSettingView(row: FullSetting): OtpSettingView {
  const config = asRecord(row.config);
  const secrets = asRecord(row.secrets);
  const get = (key: string) => (config[key] === undefined || config[key] === null ? null : config[key]);
  const base = {
    id: row.id,
    isDefault: row.defaultFor !== null,
    creationDate: row.creationDate.toISOString(),
    createdBy: row.createdBy,
    lastModifiedDate: row.lastModifiedDate.toISOString(),
    lastModifiedBy: row.lastModifiedBy,
  };
  // One case per provider on purpose: each view has its own typed fields (OtpSettingView).
  switch (row.provider) {
    case 'TWILIO':
      return {
        ...base,
        type: 'SMS',
        provider: 'TWILIO',
        accountSid: get('accountSid') as string | null,
        twilioNumber: get('twilioNumber') as string | null,
        authTokenSet: typeof secrets.authToken === 'string',
      };
    case 'NETGSM':
      return {
        ...base,
        type: 'SMS',
        provider: 'NETGSM',
        username: get('username') as string | null,
        bayiCode: get('bayiCode') as string | null,
        header: get('header') as string | null,
        passwordSet: typeof secrets.password === 'string',
      };
    case 'DATAPORT':
      return {
        ...base,
        type: 'SMS',
        provider: 'DATAPORT',
        originator: get('originator') as string | null,
        shortNumber: get('shortNumber') as string | null,
        operator: get('operator') as string | null,
        username: get('username') as string | null,
        accountNumber: get('accountNumber') as string | null,
        passwordSet: typeof secrets.password === 'string',
      };
    case 'DEFAULT':
      return {
        ...base,
        type: 'MAIL',
        provider: 'DEFAULT',
        username: get('username') as string | null,
        smtpHost: get('smtpHost') as string | null,
        transportStrategy: get('transportStrategy') as 'SMTP' | 'SMTPS' | 'SMTP_TLS' | null,
        smtpPort: get('smtpPort') as number | null,
        fromAddress: get('fromAddress') as string | null,
        passwordSet: typeof secrets.password === 'string',
      };
  }
}

export async function listSettings(db: Db, organizationId: string): Promise<OtpSettingView[]> {
  const rows = await db.deliverySetting.findMany({
    where: { organizationId },
    orderBy: [{ type: 'asc' }, { provider: 'asc' }],
    select: storedSettingSelect,
  });
  return rows.map(toSettingView);
}

/** A PUT body after validation: `isDefault` plus provider fields; unknown to this layer otherwise. */
export type SettingBody = { isDefault: boolean } & Record<string, unknown>;

/**
 * Creates or updates the organization's setting of one provider. Omitted fields keep their stored
 * values (secrets are write-only, so "keep" is the only way to leave one unchanged); a setting
 * must end up with every field its provider needs. Stored secrets not under the current key are
 * re-encrypted on the way.
 */
export async function upsertSetting(
  db: Db,
  keyring: Keyring,
  scope: Actor,
  provider: DeliveryProvider,
  body: SettingBody,
  now: Date,
  /** Checks a literal SMTP host address early (names are checked when they are resolved). */
  outbound?: OutboundPolicy,
): Promise<OtpSettingView> {
  const fields = PROVIDER_FIELDS[provider];
  const type = fields.type;
  return db.$transaction(async (tx) => {
    const existing = await tx.deliverySetting.findUnique({
      where: { organizationId_type_provider: { organizationId: scope.organizationId, type, provider } },
      select: storedSettingSelect,
    });
    const id = existing?.id ?? newObjectId(now);
    const before = asRecord(existing?.config ?? {});
    const config: Record<string, unknown> = { ...before };
    const changed: string[] = [];
    for (const key of fields.config) {
      // Blank means "keep" only for a write-only secret; a blank optional field is cleared.
      const clears = body[key] === '' && !(fields.required as readonly string[]).includes(key);
      if (clears) {
        if (before[key] !== undefined) {
          delete config[key];
          changed.push(key);
        }
      } else if (body[key] !== undefined && body[key] !== before[key]) {
        config[key] = body[key];
        changed.push(key);
      }
    }
    if (
      outbound &&
      provider === 'DEFAULT' &&
      (changed.includes('smtpHost') || changed.includes('smtpPort'))
    ) {
      const problem = literalHostProblem(outbound, String(config.smtpHost ?? ''), Number(config.smtpPort));
      if (problem)
        throw new AppError(ErrorCode.VALIDATION, { message: problem, data: { smtpHost: problem } });
    }
    const storedSecrets = asRecord(existing?.secrets ?? {});
    const movedTo = changed.filter((key) => (fields.destination as readonly string[]).includes(key));
    const keptSecrets = fields.secrets.filter(
      (key) => typeof body[key] !== 'string' && typeof storedSecrets[key] === 'string',
    );
    if (movedTo.length > 0 && keptSecrets.length > 0) {
      const message = (key: string) =>
        `Send the ${label(key)} again when you change where it is sent (${movedTo.map(label).join(', ')} changed)`;
      throw new AppError(ErrorCode.VALIDATION, {
        message: message(keptSecrets[0]!),
        data: Object.fromEntries(keptSecrets.map((key) => [key, message(key)])),
      });
    }
    const secrets: Record<string, string> = {};
    const changedSecrets: string[] = [];
    for (const key of fields.secrets) {
      const given = body[key];
      const stored = storedSecrets[key];
      if (typeof given === 'string') {
        secrets[key] = encryptSecret(keyring, given, secretContext(id, key));
        changedSecrets.push(key);
      } else if (typeof stored === 'string') {
        secrets[key] = needsReencryption(keyring, stored)
          ? encryptSecret(
              keyring,
              decryptSecret(keyring, stored, secretContext(id, key)),
              secretContext(id, key),
            )
          : stored;
      }
    }
    const missing = fields.required.filter((key) =>
      (fields.secrets as readonly string[]).includes(key)
        ? secrets[key] === undefined
        : config[key] === undefined || config[key] === '',
    );
    if (missing.length > 0) {
      throw new AppError(ErrorCode.VALIDATION, {
        message: `Missing ${missing.join(', ')}`,
        data: Object.fromEntries(missing.map((key) => [key, 'Required for this provider'])),
      });
    }
    if (body.isDefault) {
      await tx.deliverySetting.updateMany({
        where: { organizationId: scope.organizationId, defaultFor: type, NOT: { id } },
        data: { defaultFor: null },
      });
    }
    const data = {
      config: config as Prisma.InputJsonObject,
      secrets,
      defaultFor: body.isDefault ? type : null,
      lastModifiedBy: scope.actor,
      lastModifiedDate: now,
    };
    const row = existing
      ? await tx.deliverySetting.update({ where: { id }, data, select: storedSettingSelect })
      : await tx.deliverySetting.create({
          data: {
            id,
            organizationId: scope.organizationId,
            type,
            provider,
            createdBy: scope.actor,
            creationDate: now,
            ...data,
          },
          select: storedSettingSelect,
        });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: existing ? 'otpSettings.update' : 'otpSettings.create',
      targetType: 'DeliverySetting',
      targetId: id,
      // Names of changed secrets only, never a value.
      changes: {
        provider,
        fields: Object.fromEntries(
          changed.map((key) => [
            key,
            {
              from: (before[key] ?? null) as Prisma.InputJsonValue | null,
              to: (config[key] ?? null) as Prisma.InputJsonValue | null,
            },
          ]),
        ),
        secretsChanged: changedSecrets,
        isDefault: { from: existing ? existing.defaultFor !== null : false, to: body.isDefault },
      },
    });
    return toSettingView(row);
  });
}

export async function setDefaultSetting(
  db: Db,
  scope: Actor,
  target: { type: DeliveryType; provider: DeliveryProvider },
  now: Date,
) {
  return db.$transaction(async (tx) => {
    const setting = await tx.deliverySetting.findUnique({
      where: { organizationId_type_provider: { organizationId: scope.organizationId, ...target } },
      select: { id: true },
    });
    if (!setting) throw notFound();
    await tx.deliverySetting.updateMany({
      where: { organizationId: scope.organizationId, defaultFor: target.type, NOT: { id: setting.id } },
      data: { defaultFor: null },
    });
    const row = await tx.deliverySetting.update({
      where: { id: setting.id },
      data: { defaultFor: target.type, lastModifiedBy: scope.actor, lastModifiedDate: now },
      select: storedSettingSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'otpSettings.setDefault',
      targetType: 'DeliverySetting',
      targetId: setting.id,
      changes: { ...target },
    });
    return toSettingView(row);
  });
}

export async function removeSetting(
  db: Db,
  scope: Actor,
  target: { type: DeliveryType; provider: DeliveryProvider },
) {
  await db.$transaction(async (tx) => {
    const setting = await tx.deliverySetting.findUnique({
      where: { organizationId_type_provider: { organizationId: scope.organizationId, ...target } },
      select: { id: true },
    });
    if (!setting) throw notFound();
    await tx.deliverySetting.delete({ where: { id: setting.id } });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'otpSettings.remove',
      targetType: 'DeliverySetting',
      targetId: setting.id,
      changes: { ...target },
    });
  });
}

/**
 * Moves every stored secret under the keyring's current key (after a key rotation). Returns how
 * many values were re-encrypted. A value that does not decrypt stops the run loudly.
 */
export async function reencryptAllSecrets(
  db: Db,
  keyring: Keyring,
  scope: { organizationId?: string } = {},
): Promise<{ settings: number; values: number }> {
  const rows = await db.deliverySetting.findMany({
    where: scope.organizationId ? { organizationId: scope.organizationId } : {},
    select: { id: true, secrets: true },
    orderBy: { id: 'asc' },
  });
  let values = 0;
  let settings = 0;
  for (const row of rows) {
    const secrets = asRecord(row.secrets);
    let touched = false;
    for (const [field, value] of Object.entries(secrets)) {
      if (typeof value !== 'string' || !needsReencryption(keyring, value)) continue;
      secrets[field] = encryptSecret(
        keyring,
        decryptSecret(keyring, value, secretContext(row.id, field)),
        secretContext(row.id, field),
      );
      values++;
      touched = true;
    }
    if (touched) {
      await db.deliverySetting.update({
        where: { id: row.id },
        data: { secrets: secrets as Prisma.InputJsonObject },
        select: { id: true },
      });
      settings++;
    }
  }
  return { settings, values };
}
