import {
  type OtpSettingView,
  TRANSPORT_STRATEGIES,
  ZDataportSettingBody,
  ZNetgsmSettingBody,
  ZSmtpSettingBody,
  ZTwilioSettingBody,
} from '@otp-access/validators';
import type { z } from 'zod';

/** What each SMTP security mode means, in the words of the form. */
export const TRANSPORT_LABELS: Record<(typeof TRANSPORT_STRATEGIES)[number], string> = {
  SMTP: 'STARTTLS when offered',
  SMTP_TLS: 'STARTTLS required',
  SMTPS: 'TLS from the start (SMTPS)',
};

export function transportLabel(value: string): string {
  return TRANSPORT_LABELS[value as keyof typeof TRANSPORT_LABELS] ?? value;
}

export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'secret' | 'port' | 'select';
  options?: readonly { value: string; label: string }[];
  /** Optional and not a secret: saved blank, it clears what is stored. */
  clearable?: boolean;
  description?: string;
  placeholder?: string;
}

export type ProviderKey = 'smtp' | 'twilio' | 'netgsm' | 'dataport';

export interface ProviderSpec {
  key: ProviderKey;
  title: string;
  type: 'MAIL' | 'SMS';
  provider: OtpSettingView['provider'];
  /** The API's own body schema: the form validates with it before saving. */
  schema: z.ZodType;
  fields: FieldSpec[];
}

// Alike on purpose: a table of the providers' fields, one entry per provider, read by one form.
/** One form per provider, with the fields of the settings API. */
export const PROVIDERS: ProviderSpec[] = [
  {
    key: 'smtp',
    title: 'Email · SMTP',
    type: 'MAIL',
    provider: 'DEFAULT',
    schema: ZSmtpSettingBody,
    fields: [
      { name: 'smtpHost', label: 'SMTP host', kind: 'text', placeholder: 'smtp.example.com' },
      { name: 'smtpPort', label: 'Port', kind: 'port', placeholder: '587' },
      {
        name: 'transportStrategy',
        label: 'Security',
        kind: 'select',
        options: TRANSPORT_STRATEGIES.map((value) => ({ value, label: TRANSPORT_LABELS[value] })),
      },
      { name: 'username', label: 'Username', kind: 'text', clearable: true },
      { name: 'password', label: 'Password', kind: 'secret' },
      { name: 'fromAddress', label: 'From address', kind: 'text', placeholder: 'no-reply@example.com' },
    ],
  },
  {
    key: 'twilio',
    title: 'SMS · Twilio',
    type: 'SMS',
    provider: 'TWILIO',
    schema: ZTwilioSettingBody,
    fields: [
      { name: 'accountSid', label: 'Account SID', kind: 'text', placeholder: 'AC…' },
      { name: 'authToken', label: 'Auth token', kind: 'secret' },
      { name: 'twilioNumber', label: 'Sender number', kind: 'text', placeholder: '+15005550006' },
    ],
  },
  {
    key: 'netgsm',
    title: 'SMS · NetGSM',
    type: 'SMS',
    provider: 'NETGSM',
    schema: ZNetgsmSettingBody,
    fields: [
      { name: 'username', label: 'Username', kind: 'text' },
      { name: 'password', label: 'Password', kind: 'secret' },
      { name: 'bayiCode', label: 'Dealer code (bayi kodu)', kind: 'text', clearable: true },
      { name: 'header', label: 'Sender name (header)', kind: 'text', description: 'Up to 11 characters' },
    ],
  },
  {
    key: 'dataport',
    title: 'SMS · Dataport',
    type: 'SMS',
    provider: 'DATAPORT',
    schema: ZDataportSettingBody,
    fields: [
      { name: 'username', label: 'Username', kind: 'text' },
      { name: 'password', label: 'Password', kind: 'secret' },
      { name: 'accountNumber', label: 'Account number', kind: 'text' },
      { name: 'originator', label: 'Originator', kind: 'text', description: 'Up to 11 characters' },
      { name: 'shortNumber', label: 'Short number', kind: 'text', clearable: true },
      { name: 'operator', label: 'Operator', kind: 'text', clearable: true },
    ],
  },
];

export type FormValues = Record<string, string | number | boolean>;

/** The form of a provider, from its stored setting (secrets are never sent back: they start empty). */
export function initialValues(spec: ProviderSpec, setting: OtpSettingView | undefined): FormValues {
  const values: FormValues = { isDefault: setting?.isDefault ?? false };
  const stored = (setting ?? {}) as Record<string, unknown>;
  for (const field of spec.fields) {
    const value = field.kind === 'secret' ? undefined : stored[field.name];
    values[field.name] = typeof value === 'number' || typeof value === 'string' ? value : '';
  }
  return values;
}

/**
 * The API body of a form. A blank secret is left out, which keeps what is stored (secrets are
 * write-only); a blank optional field is sent blank, which clears it; other blank fields are left
 * out, and the server says which required ones are missing.
 */
export function bodyOf(spec: ProviderSpec, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: spec.type,
    provider: spec.provider,
    isDefault: values.isDefault === true,
  };
  for (const field of spec.fields) {
    const value = values[field.name];
    if (field.clearable && (value === '' || value === undefined || value === null)) {
      body[field.name] = '';
      continue;
    }
    if (value === '' || value === undefined || value === null) continue;
    body[field.name] =
      field.kind === 'port'
        ? Number(value)
        : typeof value === 'string' && field.kind !== 'secret'
          ? value.trim()
          : value;
  }
  return body;
}

/** Whether a secret is stored, from the view's `…Set` flag. */
export function secretIsSet(setting: OtpSettingView | undefined, field: string): boolean {
  if (!setting) return false;
  const flag = (setting as Record<string, unknown>)[`${field}Set`];
  return flag === true;
}

/** "Email · SMTP", "SMS · Twilio": how the console names a provider everywhere. */
export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider] ?? provider;
}

const PROVIDER_LABELS: Record<string, string> = {
  DEFAULT: 'Email · SMTP',
  TWILIO: 'SMS · Twilio',
  NETGSM: 'SMS · NetGSM',
  DATAPORT: 'SMS · Dataport',
};
