// The provider clients import the same functions from ./types on purpose: one transport serves them all.
import {
  basicAuthorization,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryMessage,
  type DeliveryResult,
  exchangeJson,
  isPlainAscii,
  pickScalars,
  providerText,
  requireTurkishGsmNumber,
  type SendOptions,
  stringField,
} from './types';

/*
 * NetGSM REST v2, as NetGSM's own SDK (@netgsm/sms) and its OpenAPI description send it:
 *   bulk: POST /sms/rest/v2/send, HTTP Basic auth (user code : password), JSON
 *     { msgheader, messages: [{ msg, no }], encoding?, partnercode?, iysfilter?, appname? }
 *   OTP:  POST /sms/rest/v2/otp, same auth, JSON { msgheader, msg, no, appname? }
 *   → { code: "00", jobid, description } on success; failures carry another code, usually with
 *   HTTP 406.
 * `no` is the 10-digit national number (`^[0-9]{10}$` in NetGSM's OpenAPI description): numbers
 * outside Turkey are refused here, before anything is sent. `encoding: "TR"` is sent only when the
 * text needs Turkish characters, as NetGSM's packages do: it changes how the message is counted and
 * priced. The OTP endpoint (NetGSM's route for codes: faster delivery, limits of its own, a package
 * the account must have) takes at most 160 characters and no Turkish characters; codes that fit go
 * there first, and when it refuses the message goes through the bulk endpoint instead.
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
export const NETGSM_SEND_PATH = '/sms/rest/v2/send';
export const NETGSM_OTP_PATH = '/sms/rest/v2/otp';
const SUCCESS = '00';
const OTP_MAX_LENGTH = 160;

type CodeTable = Record<string, { kind: DeliveryErrorKind; message: string }>;

const systemError = { kind: 'PROVIDER_ERROR', message: 'NetGSM reported a system error' } as const;
const badCredentials = {
  kind: 'BAD_CREDENTIALS',
  message: 'NetGSM rejected the user code or password, or API access (or this IP) is not allowed',
} as const;
const unregisteredHeader = {
  kind: 'INVALID_SENDER',
  message: 'The sender header is not registered with NetGSM',
} as const;
const badParameters = {
  kind: 'PROVIDER_ERROR',
  message: 'NetGSM rejected the request parameters (invalid or missing field)',
} as const;

// Each endpoint's table lists all its documented codes on purpose, as NetGSM documents them.
/** The bulk endpoint's documented codes. */
const sendErrors: CodeTable = {
  '20': {
    kind: 'PROVIDER_ERROR',
    message: 'NetGSM rejected the message text (a problem in it, or it is too long)',
  },
  '30': badCredentials,
  '40': unregisteredHeader,
  '50': { kind: 'PROVIDER_ERROR', message: 'This NetGSM account cannot send IYS-controlled messages' },
  '51': { kind: 'PROVIDER_ERROR', message: 'NetGSM found no IYS brand for this account' },
  '70': badParameters,
  '80': { kind: 'RATE_LIMITED', message: 'The NetGSM sending limit was exceeded' },
  '85': {
    kind: 'RATE_LIMITED',
    message: 'The NetGSM duplicate limit was exceeded (too many messages to the same number in a minute)',
  },
  '100': systemError,
  '101': systemError,
};

/** The OTP endpoint's documented codes (SendOtpSmsErrorCode in NetGSM's SDK). */
const otpErrors: CodeTable = {
  '20': {
    kind: 'PROVIDER_ERROR',
    message:
      'The NetGSM OTP endpoint rejected the message text (over 160 characters, or characters it does not take)',
  },
  '30': badCredentials,
  '40': unregisteredHeader,
  '41': { kind: 'INVALID_SENDER', message: 'The sender header is not valid for NetGSM OTP messages' },
  '50': { kind: 'INVALID_RECIPIENT', message: 'NetGSM cannot send an OTP message to this number' },
  '51': { kind: 'INVALID_RECIPIENT', message: 'NetGSM cannot send an OTP message to this number' },
  '52': { kind: 'INVALID_RECIPIENT', message: 'NetGSM cannot send an OTP message to this number' },
  '60': {
    kind: 'PROVIDER_ERROR',
    message: 'This NetGSM account has no OTP package or no OTP credit left',
  },
  '70': badParameters,
  '80': { kind: 'RATE_LIMITED', message: 'The NetGSM OTP sending limit was exceeded' },
  '100': systemError,
  '101': systemError,
};

/**
 * After these the bulk endpoint is not tried: the provider is unreachable or stuck (a timed-out
 * OTP may still arrive, and a second message would be a duplicate), or it asked us to slow down.
 */
const noFallback = new Set<DeliveryErrorKind>(['TIMEOUT', 'UNREACHABLE', 'RATE_LIMITED']);

export async function sendNetgsmSms(
  config: NetgsmConfig,
  message: DeliveryMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const no = requireTurkishGsmNumber(PROVIDER, message.to);
  const sensitive = [message.to, no, config.username, config.password];
  const to: Recipient = { config, no, options, sensitive };
  const plain = isPlainAscii(message.text);
  if (!message.isOneTimeCode) return sendBulk(to, message.text);

  if (!plain || message.text.length > OTP_MAX_LENGTH) {
    const why = plain ? `more than ${OTP_MAX_LENGTH} characters` : 'Turkish characters';
    const result = await sendBulk(to, message.text);
    return {
      ...result,
      providerResponse: `bulk endpoint (the OTP endpoint takes no ${why}): ${result.providerResponse}`,
    };
  }

  let otpRefusal: DeliveryError;
  try {
    const result = await sendOtp(to, message.text);
    return { ...result, providerResponse: `OTP endpoint: ${result.providerResponse}` };
  } catch (error) {
    if (!(error instanceof DeliveryError) || noFallback.has(error.kind)) throw error;
    otpRefusal = error;
  }
  const refused = `the OTP endpoint refused${otpRefusal.providerCode ? ` with code ${otpRefusal.providerCode}` : ''}`;
  try {
    const result = await sendBulk(to, message.text);
    return { ...result, providerResponse: `bulk endpoint (${refused}): ${result.providerResponse}` };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    throw new DeliveryError(error.kind, `${error.message} (before that, ${refused}: ${otpRefusal.message})`, {
      ...(error.providerCode ? { providerCode: error.providerCode } : {}),
      cause: error,
    });
  }
}

/** One recipient's send: the account, the national number, and what to blank out of answers. */
interface Recipient {
  config: NetgsmConfig;
  no: string;
  options: SendOptions;
  sensitive: string[];
}

function sendBulk(to: Recipient, text: string): Promise<DeliveryResult> {
  const payload = {
    msgheader: to.config.header,
    messages: [{ msg: text, no: to.no }],
    // Without it NetGSM counts and prices the message as plain GSM text.
    ...(isPlainAscii(text) ? {} : { encoding: 'TR' }),
    ...(to.config.bayiCode ? { partnercode: to.config.bayiCode } : {}),
  };
  return post(to, NETGSM_SEND_PATH, payload, sendErrors);
}

function sendOtp(to: Recipient, text: string): Promise<DeliveryResult> {
  return post(to, NETGSM_OTP_PATH, { msgheader: to.config.header, msg: text, no: to.no }, otpErrors);
}

/** One JSON POST to an endpoint; its answer's code is read with that endpoint's table. */
async function post(
  { config, options, sensitive }: Recipient,
  path: string,
  payload: Record<string, unknown>,
  codes: CodeTable,
): Promise<DeliveryResult> {
  const { status, body } = await exchangeJson(
    PROVIDER,
    {
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      path,
      init: {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(config.username, config.password),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(payload),
      },
    },
    options,
    (answer) => answerFields(answer, sensitive),
  );
  return interpret(status, body, codes, sensitive);
}

function answerFields(body: unknown, sensitive: string[]): Record<string, unknown> {
  const fields = pickScalars(body, ['code', 'jobid', 'jobId']);
  const description = stringField(body, 'description');
  return description === undefined
    ? fields
    : { ...fields, description: providerText(description, sensitive) };
}

function interpret(status: number, body: unknown, codes: CodeTable, sensitive: string[]): DeliveryResult {
  const code = stringField(body, 'code');
  const description = stringField(body, 'description');
  if (code === SUCCESS) {
    // The SDK types the OTP answer's id as `jobId`; the bulk answer's is `jobid`.
    const jobid = stringField(body, 'jobid') ?? stringField(body, 'jobId');
    if (!jobid)
      throw new DeliveryError('PROVIDER_ERROR', 'NetGSM accepted the request but returned no job id');
    return {
      providerMessageId: jobid,
      providerResponse: `code ${code}${description ? `: ${providerText(description, sensitive)}` : ''}`,
    };
  }

  if (code === undefined) {
    if (status === 401 || status === 403) {
      throw new DeliveryError('BAD_CREDENTIALS', `NetGSM rejected the credentials (HTTP ${status})`, {
        httpStatus: status,
      });
    }
    throw new DeliveryError('PROVIDER_ERROR', `NetGSM answered HTTP ${status} without a result code`, {
      httpStatus: status,
    });
  }
  const known = codes[code];
  const summary = known?.message ?? `NetGSM refused the message (code ${code})`;
  const detail = providerText(description, sensitive);
  throw new DeliveryError(known?.kind ?? 'PROVIDER_ERROR', detail ? `${summary}: ${detail}` : summary, {
    providerCode: code,
  });
}
