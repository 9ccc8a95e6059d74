import {
  basicAuthorization,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryMessage,
  type DeliveryResult,
  exchangeJson,
  pickScalars,
  providerText,
  type SendOptions,
  stringField,
} from './types';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** The sender: a Twilio phone number in E.164 form. */
  twilioNumber: string;
}

const PROVIDER = 'Twilio';
const DEFAULT_BASE_URL = 'https://api.twilio.com';

/** Twilio error codes (twilio.com/docs/api/errors) that have a meaning of their own. */
const errorKindByCode: Record<string, DeliveryErrorKind> = {
  '20003': 'BAD_CREDENTIALS', // authentication failed
  '21211': 'INVALID_RECIPIENT', // 'To' is not a valid phone number
  '21614': 'INVALID_RECIPIENT', // 'To' is not a mobile number
  '21212': 'INVALID_SENDER', // 'From' is not a valid phone number
  '21606': 'INVALID_SENDER', // 'From' cannot send SMS
  '21659': 'INVALID_SENDER', // 'From' is not a Twilio number
  '20429': 'RATE_LIMITED', // too many requests
};

const messageByKind: Partial<Record<DeliveryErrorKind, string>> = {
  BAD_CREDENTIALS: 'Twilio rejected the Account SID or Auth Token',
  INVALID_RECIPIENT: 'Twilio cannot send an SMS to this recipient number',
  INVALID_SENDER: 'Twilio cannot send from the configured Twilio number',
  RATE_LIMITED: 'Twilio is rate limiting this account',
};

/** Create Message resource: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded. */
export async function sendTwilioSms(
  config: TwilioConfig,
  message: DeliveryMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const sensitive = [message.to, config.authToken];
  const { status, body } = await exchangeJson(
    PROVIDER,
    {
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      path: `/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`,
      init: {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(config.accountSid, config.authToken),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          To: message.to,
          From: config.twilioNumber,
          Body: message.text,
        }).toString(),
      },
    },
    options,
    (answer) => answerFields(answer, sensitive),
  );

  if (status >= 200 && status < 300) {
    const sid = stringField(body, 'sid');
    if (!sid)
      throw new DeliveryError('PROVIDER_ERROR', 'Twilio accepted the request but returned no message SID');
    const messageStatus = stringField(body, 'status');
    return {
      providerMessageId: sid,
      ...(messageStatus ? { providerResponse: `status: ${messageStatus}` } : {}),
    };
  }
  throw twilioError(status, body, sensitive);
}

/** Success echoes the message (and so the code) in `body`: only the status fields are kept. */
function answerFields(body: unknown, sensitive: string[]): Record<string, unknown> {
  const fields = pickScalars(body, ['sid', 'status', 'code', 'more_info', 'error_code']);
  for (const key of ['message', 'error_message']) {
    const text = stringField(body, key);
    if (text !== undefined) fields[key] = providerText(text, sensitive);
  }
  return fields;
}

/** Twilio's page about the error; only a link on Twilio's own site is passed on. */
function moreInfoLink(body: unknown): string | undefined {
  const link = stringField(body, 'more_info');
  if (!link) return undefined;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' && /(^|\.)twilio\.com$/.test(url.hostname) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function twilioError(status: number, body: unknown, sensitive: string[]): DeliveryError {
  const code = stringField(body, 'code');
  const kind =
    (code && errorKindByCode[code]) ||
    (status === 401 ? 'BAD_CREDENTIALS' : status === 429 ? 'RATE_LIMITED' : 'PROVIDER_ERROR');
  const detail = providerText(stringField(body, 'message'), sensitive);
  const message =
    messageByKind[kind] ?? `Twilio refused the message (HTTP ${status}${code ? `, code ${code}` : ''})`;
  const moreInfo = moreInfoLink(body);
  return new DeliveryError(kind, detail ? `${message}: ${detail}` : message, {
    ...(code ? { providerCode: code } : {}),
    ...(moreInfo ? { moreInfo } : {}),
  });
}
