import type { Db, DeliveryProvider, DeliveryType, OtpPurpose } from '@otp-access/db';
import { newObjectId } from '@otp-access/db';
import { DeliveryError, type DeliveryMessage, type DeliveryResult, type ProviderExchange } from '../delivery';
import { sendDataportSms } from '../delivery/dataport';
import { sendNetgsmSms } from '../delivery/netgsm';
import {
  defaultFromAddress,
  type SmtpConfig,
  type SmtpTransportStrategy,
  sendSmtpMail,
} from '../delivery/smtp';
import { sendTwilioSms } from '../delivery/twilio';
import { AppError, ErrorCode } from '../errors';
import { decryptSettingSecrets, type StoredSetting } from './otp-settings';
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy, resolveAllowedAddresses } from './outbound-policy';
import type { Keyring } from './secret-box';

/** Where providers live and how long a send may take; tests aim the base URLs at local fakes. */
export interface DeliveryConfig {
  timeoutMs: number;
  baseUrls: Partial<Record<'TWILIO' | 'NETGSM' | 'DATAPORT', string>>;
  /** Extra trust for SMTP servers with private certificates. */
  smtpTls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /**
   * The operator's own mail server (ADMIN_MAIL_URL): admin sign-in codes and invitations go
   * through it, never through a setting an organization controls. Unset: neither can be mailed.
   */
  operatorMail?: SmtpConfig;
  /** The console's public address (PUBLIC_URL), for links in the installation's own mail. */
  publicUrl?: string;
  /**
   * Which addresses tenant-configured hosts (SMTP) may reach; by default public ones only. The
   * providers' base URLs are the operator's own settings and are not subject to it.
   */
  outbound?: OutboundPolicy;
}

export const DEFAULT_DELIVERY_CONFIG: DeliveryConfig = {
  timeoutMs: 10_000,
  baseUrls: {},
  outbound: DEFAULT_OUTBOUND_POLICY,
};

export interface DeliveryAttempt {
  provider: DeliveryProvider;
  status: 'SENT' | 'FAILED';
  providerMessageId: string | null;
  providerResponse: string | null;
  error: string | null;
  errorKind: string | null;
  /** The provider's page about the error (Twilio's `more_info`). */
  moreInfo: string | null;
  /** Each request made to the provider and what it answered (endpoint, HTTP status, answer fields). */
  exchanges: ProviderExchange[];
  durationMs: number;
}

/** `jo***@ex***.com`, `+90*******67`: enough to recognise, not enough to use. */
export function maskRecipient(type: DeliveryType, to: string): string {
  if (type === 'MAIL') {
    const at = to.lastIndexOf('@');
    if (at < 1) return '***';
    const [local, domain] = [to.slice(0, at), to.slice(at + 1)];
    const dot = domain.lastIndexOf('.');
    const host = dot > 0 ? domain.slice(0, dot) : domain;
    const tld = dot > 0 ? domain.slice(dot) : '';
    return `${local.slice(0, Math.min(2, local.length - 1))}***@${host.slice(0, 2)}***${tld}`;
  }
  const digits = to.replace(/[^\d+]/g, '');
  if (digits.length <= 5) return '***';
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`;
}

async function sendWith(
  setting: StoredSetting,
  secrets: Record<string, string>,
  message: DeliveryMessage,
  config: DeliveryConfig,
  transcript: ProviderExchange[],
): Promise<DeliveryResult> {
  const c = setting.config as Record<string, string | number | undefined>;
  const str = (key: string) => (typeof c[key] === 'string' ? (c[key] as string) : '');
  const opt = (key: string) => (typeof c[key] === 'string' && c[key] !== '' ? (c[key] as string) : undefined);
  const timeoutMs = config.timeoutMs;
  const sendOptions = (provider: keyof DeliveryConfig['baseUrls']) => {
    const baseUrl = config.baseUrls[provider];
    return { timeoutMs, transcript, ...(baseUrl ? { baseUrl } : {}) };
  };
  // One case per provider on purpose: each reads its own settings into its own client's config.
  switch (setting.provider) {
    case 'TWILIO':
      return sendTwilioSms(
        {
          accountSid: str('accountSid'),
          authToken: secrets.authToken ?? '',
          twilioNumber: str('twilioNumber'),
        },
        message,
        sendOptions('TWILIO'),
      );
    case 'NETGSM':
      return sendNetgsmSms(
        {
          username: str('username'),
          password: secrets.password ?? '',
          header: str('header'),
          ...(opt('bayiCode') ? { bayiCode: opt('bayiCode')! } : {}),
        },
        message,
        sendOptions('NETGSM'),
      );
    case 'DATAPORT':
      return sendDataportSms(
        {
          username: str('username'),
          password: secrets.password ?? '',
          accountNumber: str('accountNumber'),
          originator: str('originator'),
          ...(opt('shortNumber') ? { shortNumber: opt('shortNumber')! } : {}),
          ...(opt('operator') ? { operator: opt('operator')! } : {}),
        },
        message,
        sendOptions('DATAPORT'),
      );
    case 'DEFAULT': {
      const port = Number(c.smtpPort);
      const addresses = await resolveAllowedAddresses(
        config.outbound ?? DEFAULT_OUTBOUND_POLICY,
        str('smtpHost'),
        port,
      );
      return sendSmtpMail(
        {
          smtpHost: str('smtpHost'),
          smtpPort: port,
          transportStrategy: str('transportStrategy') as SmtpTransportStrategy,
          fromAddress: opt('fromAddress') ?? defaultFromAddress(opt('username'), str('smtpHost')),
          ...(opt('username') ? { username: opt('username')! } : {}),
          ...(secrets.password ? { password: secrets.password } : {}),
        },
        message,
        { timeoutMs, addresses, ...(config.smtpTls ? { tls: config.smtpTls } : {}) },
      );
    }
  }
}

export interface SendRequest {
  organizationId: string;
  type: DeliveryType;
  purpose: OtpPurpose;
  message: DeliveryMessage;
}

/**
 * Sends through the organization's default provider of the type, falling over to its other
 * configured providers of that type, in order, when one fails. Every attempt is logged with the
 * recipient masked; the message text (it may carry a code) is never stored or logged. Every
 * purpose carries a code, the test send included (it tests the way codes go), so providers with a
 * route for codes use it.
 */
export async function deliver(
  db: Db,
  keyring: Keyring,
  config: DeliveryConfig,
  request: SendRequest,
): Promise<{ delivered: boolean; attempts: DeliveryAttempt[] }> {
  const settings = await db.deliverySetting.findMany({
    where: { organizationId: request.organizationId, type: request.type },
    orderBy: [{ creationDate: 'asc' }, { id: 'asc' }],
    select: { id: true, type: true, provider: true, defaultFor: true, config: true, secrets: true },
  });
  const ordered = [
    ...settings.filter((s) => s.defaultFor !== null),
    ...settings.filter((s) => s.defaultFor === null),
  ];
  if (ordered.length === 0) {
    throw new AppError(ErrorCode.VALIDATION, {
      message: `No ${request.type} delivery setting is configured for this space`,
      data: { type: `No ${request.type} provider configured` },
    });
  }
  const recipient = maskRecipient(request.type, request.message.to);
  const message: DeliveryMessage = { ...request.message, isOneTimeCode: true };
  const attempts: DeliveryAttempt[] = [];
  for (const setting of ordered) {
    const started = performance.now();
    const exchanges: ProviderExchange[] = [];
    let attempt: DeliveryAttempt;
    try {
      const secrets = decryptSettingSecrets(keyring, setting);
      const result = await sendWith(setting, secrets, message, config, exchanges);
      attempt = {
        provider: setting.provider,
        status: 'SENT',
        providerMessageId: result.providerMessageId ?? null,
        providerResponse: result.providerResponse ?? null,
        error: null,
        errorKind: null,
        moreInfo: null,
        exchanges,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const known = error instanceof DeliveryError;
      attempt = {
        provider: setting.provider,
        status: 'FAILED',
        providerMessageId: null,
        providerResponse: null,
        error: known
          ? error.message
          : 'The provider could not be used (its stored settings could not be read)',
        errorKind: known ? error.kind : 'SETTINGS_UNREADABLE',
        moreInfo: (known && error.moreInfo) || null,
        exchanges,
        durationMs: Math.round(performance.now() - started),
      };
    }
    attempts.push(attempt);
    await db.deliveryLog.create({
      data: {
        id: newObjectId(),
        organizationId: request.organizationId,
        type: request.type,
        provider: attempt.provider,
        recipient,
        purpose: request.purpose,
        status: attempt.status,
        providerMessageId: attempt.providerMessageId?.slice(0, 200) ?? null,
        error: attempt.error?.slice(0, 2000) ?? null,
        moreInfo: attempt.moreInfo?.slice(0, 500) ?? null,
        durationMs: attempt.durationMs,
      },
      select: { id: true },
    });
    if (attempt.status === 'SENT') return { delivered: true, attempts };
  }
  return { delivered: false, attempts };
}
