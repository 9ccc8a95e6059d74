import { z } from 'zod';
import { ZIsoDateTime, ZObjectId, ZPaginated } from './common';

export const DELIVERY_TYPES = ['SMS', 'MAIL'] as const;
export const DELIVERY_PROVIDERS = ['TWILIO', 'NETGSM', 'DATAPORT', 'DEFAULT'] as const;
export const TRANSPORT_STRATEGIES = ['SMTP', 'SMTPS', 'SMTP_TLS'] as const;

export const ZDeliveryType = z.enum(DELIVERY_TYPES);
export const ZDeliveryProvider = z.enum(DELIVERY_PROVIDERS);
export type DeliveryTypeName = z.infer<typeof ZDeliveryType>;
export type DeliveryProviderName = z.infer<typeof ZDeliveryProvider>;

/** `type` / `provider` as the spec has them (strings ≤ 50), matched case-insensitively, upper-case out. */
function ZPathConstant<const V extends string>(value: V) {
  return z
    .string()
    .max(50)
    .refine((s) => s.toUpperCase() === value, `Must be "${value}" for this endpoint`)
    .transform(() => value)
    .meta({ enum: [value], description: `"${value}" (any case is accepted; answered upper-case)` });
}

/**
 * Fields every setting body may carry. `id` and the audit fields are read-only: accepted and
 * ignored, so a client can PUT back what it read.
 */
const settingBodyBase = {
  id: z.string().max(100).optional(),
  isDefault: z.boolean(),
  creationDate: z.unknown().optional(),
  createdBy: z.unknown().optional(),
  lastModifiedDate: z.unknown().optional(),
  lastModifiedBy: z.unknown().optional(),
};

const text = (max: number) => z.string().trim().min(1).max(max);
/** An optional field: blank (after trimming) clears what is stored. */
const clearable = (max: number) => z.string().trim().max(max);
/** Write-only: omitted keeps the stored secret. */
const secret = (max: number) => z.string().min(1).max(max);

export const ZTwilioSettingBody = z
  .strictObject({
    ...settingBodyBase,
    type: ZPathConstant('SMS'),
    provider: ZPathConstant('TWILIO'),
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio Account SID: "AC" followed by 32 hexadecimal characters')
      .optional(),
    authToken: secret(200).optional(),
    twilioNumber: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, 'A phone number in E.164 form, e.g. +15005550006')
      .optional(),
  })
  .meta({ id: 'TwilioSettingBody' });

export const ZNetgsmSettingBody = z
  .strictObject({
    ...settingBodyBase,
    type: ZPathConstant('SMS'),
    provider: ZPathConstant('NETGSM'),
    username: text(50).optional(),
    bayiCode: clearable(50).optional(),
    password: secret(100).optional(),
    /** The registered sender name (up to 11 characters on GSM networks). */
    header: text(11).optional(),
  })
  .meta({ id: 'NetgsmSettingBody' });

export const ZDataportSettingBody = z
  .strictObject({
    ...settingBodyBase,
    type: ZPathConstant('SMS'),
    provider: ZPathConstant('DATAPORT'),
    originator: text(11).optional(),
    shortNumber: clearable(20).optional(),
    operator: clearable(20).optional(),
    username: text(50).optional(),
    accountNumber: text(50).optional(),
    password: secret(100).optional(),
  })
  .meta({ id: 'DataportSettingBody' });

export const ZSmtpSettingBody = z
  .strictObject({
    ...settingBodyBase,
    type: ZPathConstant('MAIL'),
    provider: ZPathConstant('DEFAULT'),
    username: z.string().trim().max(50).optional(),
    password: z.string().max(60).optional(),
    smtpHost: z
      .string()
      .trim()
      .max(50)
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/, 'A host name or IP address')
      .optional(),
    transportStrategy: z.enum(TRANSPORT_STRATEGIES).optional(),
    /** int32 in the spec; only 1–65535 is a port. */
    smtpPort: z.int().min(1).max(65_535).optional(),
    fromAddress: z.email().max(320).optional(),
  })
  .meta({ id: 'SmtpSettingBody' });

/** What every setting shows: secrets only as `…Set` flags. */
const settingViewBase = {
  id: ZObjectId,
  isDefault: z.boolean(),
  creationDate: ZIsoDateTime,
  createdBy: z.string(),
  lastModifiedDate: ZIsoDateTime,
  lastModifiedBy: z.string(),
};

// One whole schema per provider on purpose: each is an OpenAPI component with its own fields.
export const ZTwilioSettingView = z
  .object({
    ...settingViewBase,
    type: z.literal('SMS'),
    provider: z.literal('TWILIO'),
    accountSid: z.string().nullable(),
    twilioNumber: z.string().nullable(),
    authTokenSet: z.boolean(),
  })
  .meta({ id: 'TwilioSetting' });
export const ZNetgsmSettingView = z
  .object({
    ...settingViewBase,
    type: z.literal('SMS'),
    provider: z.literal('NETGSM'),
    username: z.string().nullable(),
    bayiCode: z.string().nullable(),
    header: z.string().nullable(),
    passwordSet: z.boolean(),
  })
  .meta({ id: 'NetgsmSetting' });
export const ZDataportSettingView = z
  .object({
    ...settingViewBase,
    type: z.literal('SMS'),
    provider: z.literal('DATAPORT'),
    originator: z.string().nullable(),
    shortNumber: z.string().nullable(),
    operator: z.string().nullable(),
    username: z.string().nullable(),
    accountNumber: z.string().nullable(),
    passwordSet: z.boolean(),
  })
  .meta({ id: 'DataportSetting' });
export const ZSmtpSettingView = z
  .object({
    ...settingViewBase,
    type: z.literal('MAIL'),
    provider: z.literal('DEFAULT'),
    username: z.string().nullable(),
    smtpHost: z.string().nullable(),
    transportStrategy: z.enum(TRANSPORT_STRATEGIES).nullable(),
    smtpPort: z.int().nullable(),
    fromAddress: z.string().nullable(),
    passwordSet: z.boolean(),
  })
  .meta({ id: 'SmtpSetting' });

export const ZOtpSettingView = z
  .discriminatedUnion('provider', [
    ZTwilioSettingView,
    ZNetgsmSettingView,
    ZDataportSettingView,
    ZSmtpSettingView,
  ])
  .meta({ id: 'DeliverySetting', description: 'A delivery setting of the space, secrets masked' });
export type OtpSettingView = z.infer<typeof ZOtpSettingView>;

export const ZSettingTarget = z.strictObject({ type: ZDeliveryType, provider: ZDeliveryProvider });

export const ZTestSendBody = z
  .strictObject({
    type: z
      .string()
      .max(50)
      .transform((s) => s.toUpperCase())
      .pipe(ZDeliveryType)
      .meta({ enum: [...DELIVERY_TYPES], description: 'Default MAIL (any case is accepted)' })
      .optional(),
    /** Phone number (E.164) for SMS, address for MAIL; default: the signed-in admin's. */
    to: z.string().trim().min(3).max(320).optional(),
  })
  .meta({ id: 'TestSendBody' })
  .optional();

/** One request to a provider's API during an attempt and what it answered. */
export const ZProviderExchange = z
  .object({
    /** The API path called, e.g. NetGSM's `/sms/rest/v2/otp` or `/sms/rest/v2/send`. */
    endpoint: z.string(),
    /** Null when no answer came (timeout, network failure). */
    httpStatus: z.int().nullable(),
    /**
     * The answer's fields that explain the outcome, named as the provider names them (Dataport's
     * `Error` and `Results[].Status`, NetGSM's `code`, Twilio's `code` and `more_info`); never the
     * message text, tokens or credentials. Null when there was no answer or it was not JSON.
     */
    answer: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'ProviderExchange' });

export const ZDeliveryAttempt = z
  .object({
    provider: ZDeliveryProvider,
    status: z.enum(['SENT', 'FAILED']),
    providerMessageId: z.string().nullable(),
    providerResponse: z.string().nullable(),
    error: z.string().nullable(),
    errorKind: z.string().nullable(),
    /** The provider's page about the error (Twilio's `more_info`). */
    moreInfo: z.string().nullable(),
    /** Each request made to the provider, in order; empty for SMTP and when nothing was sent. */
    exchanges: z.array(ZProviderExchange),
    durationMs: z.int(),
  })
  .meta({ id: 'DeliveryAttempt' });

export const ZTestSendResult = z
  .object({
    delivered: z.boolean(),
    type: ZDeliveryType,
    /** Masked. */
    recipient: z.string(),
    attempts: z.array(ZDeliveryAttempt),
  })
  .meta({ id: 'TestSendResult' });

export const ZDeliveryLogEntry = z.object({
  id: ZObjectId,
  type: ZDeliveryType,
  provider: ZDeliveryProvider,
  recipient: z.string(),
  purpose: z.enum(['STORE_LOGIN', 'ADMIN_2FA', 'TEST']),
  status: z.enum(['SENT', 'FAILED']),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  /** The provider's page about the error (Twilio's `more_info`). */
  moreInfo: z.string().nullable(),
  durationMs: z.int(),
  createdAt: ZIsoDateTime,
});
export const ZDeliveryLogPage = ZPaginated(ZDeliveryLogEntry);
