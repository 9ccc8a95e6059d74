import type { DeliveryType } from '@otp-access/db';

export interface OrganizationOtpPolicy {
  name: string;
  otpCodeLength: number;
  otpCodeTtlSeconds: number;
  otpMailSubject: string | null;
  otpMailTemplate: string | null;
  otpSmsTemplate: string | null;
}

export const organizationPolicySelect = {
  id: true,
  name: true,
  otpCodeLength: true,
  otpCodeTtlSeconds: true,
  otpMailSubject: true,
  otpMailTemplate: true,
  otpSmsTemplate: true,
} as const;

/** The built-in texts, used where an organization left a template empty. */
export const DEFAULT_CODE_MESSAGES = {
  mailSubject: 'Your {{organization}} sign-in code',
  mailText:
    'Your one-time code for {{organization}} is {{code}}.\n\nIt expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  smsText: '{{organization}}: your code is {{code}}. It expires in {{minutes}} min.',
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The message that carries a code, from the organization's templates or the built-in text. */
export function renderCodeMessage(org: OrganizationOtpPolicy, type: DeliveryType, code: string) {
  const values = { code, organization: org.name, minutes: String(Math.round(org.otpCodeTtlSeconds / 60)) };
  if (type === 'SMS') return { text: fill(org.otpSmsTemplate ?? DEFAULT_CODE_MESSAGES.smsText, values) };
  return {
    subject: fill(org.otpMailSubject ?? DEFAULT_CODE_MESSAGES.mailSubject, values),
    text: fill(org.otpMailTemplate ?? DEFAULT_CODE_MESSAGES.mailText, values),
  };
}
