import {
  DeliveryError,
  type DeliveryMessage,
  type DeliveryResult,
  exchangeJson,
  isPlainAscii,
  isRecord,
  pickScalars,
  providerText,
  requireTurkishGsmNumber,
  type SendOptions,
  stringField,
} from './types';

/*
 * Dataport (dataport.com.tr) publishes no open API reference. The wire format below follows two
 * independent public integrations of api.dataport.com.tr (a .NET client library by Oky Teknoloji
 * Ofisi and the PosPos payment system; both always send Operator and ShortNumber, which here are
 * sent when configured):
 *   1. POST /restapi/Register, form-encoded UserName, Password, Scope (the account number),
 *      grant_type=password → an OAuth-style { access_token, token_type, expires_in }.
 *   2. POST /restapi/api/Messages/SendSMS, JSON, `Authorization: Bearer <access_token>`:
 *      { SessionID, Operator, GroupID, Orginator (sic), ShortNumber, Isunicode, SendDate,
 *        DeleteDate, MessageList: { GSMList: [{ Value }], ContentList: [{ Value }] } }
 *      → { Error: "0", Results: [{ Status, MessageID }] } when accepted.
 * The recipient is the 10-digit national number (the .NET client checks for 10 digits and a
 * Turkish mobile prefix), so numbers outside Turkey are refused before anything is sent.
 * Assumed, not confirmed: that an empty SendDate means "now", that a failed login answers like any
 * OAuth token endpoint (HTTP 400 `{ error: "invalid_grant" }`), and what the non-"0" `Error`
 * values mean (they are passed on as PROVIDER_ERROR with the code). Every field name lives in
 * `wire` below, so a correction is made in one place.
 */

export interface DataportConfig {
  username: string;
  password: string;
  accountNumber: string;
  /** The registered sender name. */
  originator: string;
  shortNumber?: string;
  /** Dataport's operator code: Turkcell 1, Avea/Türk Telekom 2, Vodafone 3, Superonline 4. */
  operator?: string;
}

const PROVIDER = 'Dataport';
const DEFAULT_BASE_URL = 'https://api.dataport.com.tr';
const ACCEPTED = '0';
/** OAuth token-endpoint errors (RFC 6749 §5.2) that mean the login itself was refused. */
const rejectedLogin = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

const wire = {
  registerPath: '/restapi/Register',
  sendPath: '/restapi/api/Messages/SendSMS',

  registerForm: (config: DataportConfig) =>
    new URLSearchParams({
      UserName: config.username,
      Password: config.password,
      Scope: config.accountNumber,
      grant_type: 'password',
    }),

  token: (body: unknown) => stringField(body, 'access_token'),
  loginErrorDescription: (body: unknown) =>
    stringField(body, 'error_description') ?? stringField(body, 'error'),

  sendBody: (config: DataportConfig, message: DeliveryMessage, gsm: string) => ({
    SessionID: '',
    ...(config.operator ? { Operator: config.operator } : {}),
    GroupID: '0',
    Orginator: config.originator,
    ShortNumber: config.shortNumber ?? '',
    // 1 = Turkish character set; plain ASCII goes as 0 so it costs a standard-length SMS.
    Isunicode: isPlainAscii(message.text) ? '0' : '1',
    SendDate: '',
    DeleteDate: '',
    MessageList: {
      GSMList: [{ Value: gsm }],
      ContentList: [{ Value: message.text }],
    },
  }),

  resultCode: (body: unknown) => stringField(body, 'Error'),
  firstResult: (body: unknown) => {
    const results = isRecord(body) ? body.Results : undefined;
    const first: unknown = Array.isArray(results) ? results[0] : undefined;
    return { messageId: stringField(first, 'MessageID'), status: stringField(first, 'Status') };
  },
  /** ASP.NET Web API error bodies: `{ Message }`. */
  errorMessage: (body: unknown) => stringField(body, 'Message') ?? stringField(body, 'message'),

  /** What the admin sees of each answer: never the access token. */
  registerAnswer: (body: unknown, sensitive: string[]) => ({
    ...pickScalars(body, ['token_type', 'expires_in', 'error']),
    ...textFields(body, ['error_description', 'Message'], sensitive),
  }),
  sendAnswer: (body: unknown, sensitive: string[]) => {
    const results = isRecord(body) ? body.Results : undefined;
    return {
      ...pickScalars(body, ['Error']),
      ...(Array.isArray(results)
        ? { Results: results.slice(0, 5).map((result) => pickScalars(result, ['Status', 'MessageID'])) }
        : {}),
      ...textFields(body, ['Message', 'message'], sensitive),
    };
  },
};

function textFields(body: unknown, keys: string[], sensitive: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of keys) {
    const text = stringField(body, key);
    if (text !== undefined) fields[key] = providerText(text, sensitive);
  }
  return fields;
}

// Same signature as every provider's send on purpose: services/delivery.ts calls them alike.
export async function sendDataportSms(
  config: DataportConfig,
  message: DeliveryMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const gsm = requireTurkishGsmNumber(PROVIDER, message.to);
  const sensitive = [message.to, gsm, config.username, config.password];
  const token = await register(baseUrl, config, options, sensitive);

  const { status, body } = await exchangeJson(
    PROVIDER,
    {
      baseUrl,
      path: wire.sendPath,
      init: {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(wire.sendBody(config, message, gsm)),
      },
    },
    options,
    (answer) => wire.sendAnswer(answer, sensitive),
  );

  if (status === 401 || status === 403) {
    throw new DeliveryError(
      'BAD_CREDENTIALS',
      `Dataport refused the session it had just issued (HTTP ${status})`,
    );
  }
  if (status === 429)
    throw new DeliveryError('RATE_LIMITED', 'Dataport is rate limiting requests (HTTP 429)');
  const code = wire.resultCode(body);
  if (status < 200 || status >= 300 || code === undefined) {
    const detail = providerText(wire.errorMessage(body), sensitive);
    throw new DeliveryError(
      'PROVIDER_ERROR',
      `Dataport refused the message (HTTP ${status})${detail ? `: ${detail}` : ''}`,
    );
  }
  const result = wire.firstResult(body);
  if (code !== ACCEPTED) {
    throw new DeliveryError(
      'PROVIDER_ERROR',
      `Dataport refused the message (Error ${code}${result.status ? `, status ${result.status}` : ''})`,
      { providerCode: code },
    );
  }
  return {
    ...(result.messageId ? { providerMessageId: result.messageId } : {}),
    providerResponse: `Error ${code}${result.status ? `, status ${result.status}` : ''}`,
  };
}

/** A fresh token for every send: nothing is cached, so a changed password takes effect at once. */
async function register(
  baseUrl: string,
  config: DataportConfig,
  options: SendOptions,
  sensitive: string[],
): Promise<string> {
  const { status, body } = await exchangeJson(
    PROVIDER,
    {
      baseUrl,
      path: wire.registerPath,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: wire.registerForm(config).toString(),
      },
    },
    options,
    (answer) => wire.registerAnswer(answer, sensitive),
  );
  const token = wire.token(body);
  if (status >= 200 && status < 300) {
    if (token) return token;
    throw new DeliveryError('PROVIDER_ERROR', 'Dataport login succeeded but returned no access token');
  }

  const oauthError = stringField(body, 'error');
  const detail = providerText(wire.loginErrorDescription(body), sensitive);
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403 || (status === 400 && oauthError && rejectedLogin.has(oauthError))) {
    throw new DeliveryError(
      'BAD_CREDENTIALS',
      `Dataport rejected the user name, password or account number${suffix}`,
      {
        providerCode: oauthError ?? String(status),
      },
    );
  }
  if (status === 429) throw new DeliveryError('RATE_LIMITED', 'Dataport is rate limiting logins (HTTP 429)');
  throw new DeliveryError('PROVIDER_ERROR', `Dataport login failed (HTTP ${status})${suffix}`, {
    ...(oauthError ? { providerCode: oauthError } : {}),
  });
}
