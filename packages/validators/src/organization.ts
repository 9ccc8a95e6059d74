import { z } from 'zod';
import { ZAdminEmail } from './auth';
import { ZObjectId } from './common';

/** An organization's slug: its address in REST paths and the `X-Space` header. */
export const ZOrganizationSlug = z
  .string()
  .min(2, 'At least 2 characters')
  .max(64, 'At most 64 characters')
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    'Lower-case letters, digits and hyphens, starting and ending with a letter or digit',
  );

export const ZOrganizationName = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');

/** A password an operator chooses for a new owner account. */
export const ZNewPassword = z.string().min(12, 'At least 12 characters').max(1024);

/** The placeholders a code message may hold. */
export const OTP_TEMPLATE_PLACEHOLDERS = ['code', 'minutes', 'organization'] as const;

/** Text with only known `{{placeholders}}`; a typo would otherwise reach every OTP user verbatim. */
const template = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .refine(
      (text) =>
        [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].every((match) =>
          (OTP_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(match[1]!),
        ),
      'Only {{code}}, {{minutes}} and {{organization}} can be used',
    );
/** A template that must carry the code, or the message is useless. */
const codeTemplate = (max: number) =>
  template(max).refine((text) => /\{\{\s*code\s*\}\}/.test(text), 'Must contain {{code}}');

/**
 * The one-time-code policy of an organization. A template left `null` uses the built-in text.
 * Lifetime in whole minutes, 1 to 60: long enough to switch to the mail app, short enough to
 * keep a leaked code of little use.
 */
export const ZOtpPolicy = z.object({
  codeLength: z.int().min(6, 'At least 6 digits').max(10, 'At most 10 digits'),
  codeTtlMinutes: z.int().min(1, 'At least 1 minute').max(60, 'At most 60 minutes'),
  mailSubject: template(200).trim().min(1, 'Required').nullable(),
  mailBody: codeTemplate(4000).nullable(),
  smsText: codeTemplate(500).nullable(),
});
export type OtpPolicy = z.infer<typeof ZOtpPolicy>;

export const ZOrganizationSettings = z.object({
  id: ZObjectId,
  slug: z.string(),
  name: z.string(),
  policy: ZOtpPolicy,
  /** The built-in texts a `null` template stands for, so a form can show them. */
  defaults: z.object({ mailSubject: z.string(), mailBody: z.string(), smsText: z.string() }),
});

export const ZRenderedCodeMessages = z.object({
  sampleCode: z.string(),
  mail: z.object({ subject: z.string(), text: z.string() }),
  sms: z.object({ text: z.string() }),
});

export const ZFirstOrganizationBody = z.strictObject({
  slug: ZOrganizationSlug,
  name: ZOrganizationName,
  ownerEmail: ZAdminEmail,
  password: ZNewPassword,
});

export const ZStoreName = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');
export const ZStoreDescription = z.string().trim().max(2000, 'At most 2000 characters');

// One whole schema per request body on purpose: each is an OpenAPI component of its own.
/** Body of `POST /v1/organizations/{slug}/stores`. */
export const ZCreateStoreBody = z
  .strictObject({
    name: ZStoreName,
    description: ZStoreDescription.optional(),
  })
  .meta({ id: 'CreateStoreBody' });
/** Body of `PUT /v1/organizations/{slug}/stores/{storeId}`: fields left out keep their values. */
export const ZUpdateStoreBody = z
  .strictObject({
    name: ZStoreName.optional(),
    description: ZStoreDescription.optional(),
  })
  .meta({ id: 'UpdateStoreBody' });
