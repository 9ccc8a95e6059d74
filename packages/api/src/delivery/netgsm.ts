import {
  basicAuthorization,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryMessage,
  type DeliveryResult,
  exchangeJson,
  providerText,
  type SendOptions,
  stringField,
  toTurkishGsmNumber,
} from './types';

/*
 * NetGSM REST v2 (netgsm.com.tr/dokuman, and NetGSM's own SDK and OpenAPI description):
 *   POST /sms/rest/v2/send, HTTP Basic auth (user code : password), JSON
 *   { msgheader, messages: [{ msg, no }], encoding, partnercode?, iysfilter?, appname? }
 *   → { code: "00", jobid, description } on success; failures carry another code, usually with
 *   HTTP 406.
 * Assumption: the settings' "bayi kodu" (dealer code) is what the API calls `partnercode`; the
 * SDK describes it only as "Partner code".
 */

export interface NetgsmConfig {
  /** The NetGSM user code (usually the subscriber number). */
  username: string;
  password: string;
  /** The registered sender name (msgheader). */
  header: string;
  bayiCode?: string;
}

const PROVIDER = 'NetGSM';
const DEFAULT_BASE_URL = 'https://api.netgsm.com.tr';
const SUCCESS = '00';

/** The send endpoint's documented codes. */
const errors: Record<string, { kind: DeliveryErrorKind; message: string }> = {
  '20': {
    kind: 'PROVIDER_ERROR',
    message: 'NetGSM rejected the message text (a problem in it, or it is too long)',
  },
  '30': {
    kind: 'BAD_CREDENTIALS',
    message: 'NetGSM rejected the user code or password, or API access (or this IP) is not allowed',
  },
  '40': { kind: 'INVALID_SENDER', message: 'The sender header is not registered with NetGSM' },
  '50': { kind: 'PROVIDER_ERROR', message: 'This NetGSM account cannot send IYS-controlled messages' },
  '51': { kind: 'PROVIDER_ERROR', message: 'NetGSM found no IYS brand for this account' },
  '70': {
    kind: 'PROVIDER_ERROR',
    message: 'NetGSM rejected the request parameters (invalid or missing field)',
  },
  '80': { kind: 'RATE_LIMITED', message: 'The NetGSM sending limit was exceeded' },
  '85': {
    kind: 'RATE_LIMITED',
    message: 'The NetGSM duplicate limit was exceeded (too many messages to the same number in a minute)',
  },
  '100': { kind: 'PROVIDER_ERROR', message: 'NetGSM reported a system error' },
  '101': { kind: 'PROVIDER_ERROR', message: 'NetGSM reported a system error' },
};

export async function sendNetgsmSms(
  config: NetgsmConfig,
  message: DeliveryMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const { status, body } = await exchangeJson(
    PROVIDER,
    `${baseUrl}/sms/rest/v2/send`,
    {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(config.username, config.password),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        msgheader: config.header,
        messages: [{ msg: message.text, no: toTurkishGsmNumber(message.to) }],
        // "TR" lets Turkish letters through as themselves instead of being transliterated.
        encoding: 'TR',
        ...(config.bayiCode ? { partnercode: config.bayiCode } : {}),
      }),
    },
    options,
  );

  const code = stringField(body, 'code');
  const description = stringField(body, 'description');
  if (code === SUCCESS) {
    const jobid = stringField(body, 'jobid');
    if (!jobid)
      throw new DeliveryError('PROVIDER_ERROR', 'NetGSM accepted the request but returned no job id');
    return {
      providerMessageId: jobid,
      providerResponse: `code ${code}${description ? `: ${description}` : ''}`,
    };
  }

  if (code === undefined) {
    if (status === 401 || status === 403) {
      throw new DeliveryError('BAD_CREDENTIALS', `NetGSM rejected the credentials (HTTP ${status})`);
    }
    throw new DeliveryError('PROVIDER_ERROR', `NetGSM answered HTTP ${status} without a result code`);
  }
  const known = errors[code];
  const summary = known?.message ?? `NetGSM refused the message (code ${code})`;
  const detail = providerText(description, [
    message.to,
    toTurkishGsmNumber(message.to),
    config.username,
    config.password,
  ]);
  throw new DeliveryError(known?.kind ?? 'PROVIDER_ERROR', detail ? `${summary}: ${detail}` : summary, {
    providerCode: code,
  });
}
