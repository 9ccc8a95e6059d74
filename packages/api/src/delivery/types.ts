/** One OTP message to one recipient: a phone number for SMS providers, an address for mail. */
export interface DeliveryMessage {
  to: string;
  /** Mail only; SMS providers ignore it. */
  subject?: string;
  text: string;
  /**
   * A one-time code (or the test send, which goes the way codes go): providers with a route of
   * their own for codes (NetGSM's OTP endpoint) use it.
   */
  isOneTimeCode?: boolean;
}

export interface DeliveryResult {
  providerMessageId?: string;
  /**
   * A short summary of what the provider answered, for the delivery log. Never the raw body:
   * providers echo the message text back, and that text carries the OTP code.
   */
  providerResponse?: string;
}

export type DeliveryErrorKind =
  | 'BAD_CREDENTIALS'
  | 'INVALID_SENDER'
  | 'INVALID_RECIPIENT'
  | 'RATE_LIMITED'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'PROVIDER_ERROR';

/**
 * Why a send failed, in terms a space admin can act on. The message is shown to people and
 * stored in the delivery log, so it never contains credentials or the message text.
 */
export class DeliveryError extends Error {
  readonly kind: DeliveryErrorKind;
  /** The provider's own error code, when it gave one (Twilio `21211`, NetGSM `"40"`, SMTP `535`). */
  readonly providerCode: string | undefined;
  /** The provider's page about this error (Twilio's `more_info`). */
  readonly moreInfo: string | undefined;
  /** The HTTP status of an answer that could not be read. */
  readonly httpStatus: number | undefined;

  constructor(
    kind: DeliveryErrorKind,
    message: string,
    options: { providerCode?: string; moreInfo?: string; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.kind = kind;
    this.providerCode = options.providerCode;
    this.moreInfo = options.moreInfo;
    this.httpStatus = options.httpStatus;
  }
}

/**
 * One request to a provider and what it answered, for the admin who asks why a send failed. The
 * answer holds only the fields that explain the outcome, as the provider named them: never the
 * message text (it carries the code), tokens or credentials.
 */
export interface ProviderExchange {
  /** The API path, without host or query. */
  endpoint: string;
  /** Null when no answer came (timeout, network failure). */
  httpStatus: number | null;
  /** Null when there was no answer or it was not JSON. */
  answer: Record<string, unknown> | null;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface SendOptions {
  /** Where the provider's API lives; tests aim it at a local fake. */
  baseUrl?: string;
  /** For the whole exchange, body included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Every exchange with the provider is appended here, failed ones included. */
  transcript?: ProviderExchange[];
}

export interface ProviderReply {
  status: number;
  /** The parsed JSON body. */
  body: unknown;
}

/**
 * One HTTP exchange with a provider whose API speaks JSON. Transport failures become
 * DeliveryErrors here (network → UNREACHABLE, deadline → TIMEOUT, a body that is not JSON →
 * PROVIDER_ERROR), so provider clients only interpret well-formed answers. The exchange goes into
 * the transcript with the answer fields `answerFields` picks.
 */
export async function exchangeJson(
  provider: string,
  request: { baseUrl: string; path: string; init: RequestInit },
  options: SendOptions,
  answerFields: (body: unknown) => Record<string, unknown>,
): Promise<ProviderReply> {
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const record = (httpStatus: number | null, answer: Record<string, unknown> | null) =>
    options.transcript?.push({ endpoint: request.path, httpStatus, answer });
  let status: number;
  let text: string;
  try {
    const response = await doFetch(`${request.baseUrl}${request.path}`, { ...request.init, signal });
    status = response.status;
    // The deadline covers the body too: a provider that sends headers and then stalls is as stuck
    // as one that never answers.
    text = await response.text();
  } catch (error) {
    record(null, null);
    throw transportError(provider, error, signal);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    record(status, null);
    throw nonJsonReplyError(provider, status);
  }
  record(status, answerFields(body));
  return { status, body };
}

/**
 * The named fields of an answer that are plain values (strings, numbers, booleans, null); strings
 * are capped, since a broken gateway can answer anything.
 */
export function pickScalars(body: unknown, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  if (!isRecord(body)) return picked;
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string') picked[key] = value.length > 300 ? `${value.slice(0, 300)}…` : value;
    else if (value === null || typeof value === 'number' || typeof value === 'boolean') picked[key] = value;
  }
  return picked;
}

function transportError(provider: string, error: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted || (error instanceof Error && error.name === 'TimeoutError')) {
    return new DeliveryError('TIMEOUT', `${provider} did not answer in time`, { cause: error });
  }
  const code = systemErrorCode(error);
  return new DeliveryError('UNREACHABLE', `${provider} could not be reached${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}

/** fetch reports network failures as `TypeError('fetch failed')` with the system error as its cause. */
function systemErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Gateways in front of a provider answer HTML error pages; their status still says something. */
function nonJsonReplyError(provider: string, status: number): DeliveryError {
  if (status === 401 || status === 403) {
    return new DeliveryError('BAD_CREDENTIALS', `${provider} rejected the credentials (HTTP ${status})`, {
      httpStatus: status,
    });
  }
  if (status === 429) {
    return new DeliveryError('RATE_LIMITED', `${provider} is rate limiting requests (HTTP 429)`, {
      httpStatus: status,
    });
  }
  return new DeliveryError(
    'PROVIDER_ERROR',
    `${provider} answered HTTP ${status} with a body that is not JSON`,
    { httpStatus: status },
  );
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field the provider may send as a string or a number (codes, ids). */
export function stringField(body: unknown, key: string): string | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Provider-written text that goes into a DeliveryError: providers quote the request back
 * (recipient numbers, sometimes the user name), so the given values are blanked out, and the
 * length is capped because the text ends up in the delivery log.
 */
export function providerText(text: string | undefined, sensitive: readonly (string | undefined)[]): string {
  let result = (text ?? '').trim();
  for (const value of sensitive) {
    if (value && value.length >= 3) result = result.split(value).join('***');
  }
  return result.length > 300 ? `${result.slice(0, 300)}…` : result;
}

/**
 * Turkish SMS gateways want the 10-digit national number (5XXXXXXXXX). E.164 (+90…), the
 * trunk-prefixed form (05…), 0090… and spacing are accepted; anything else (a number in another
 * country, too few or too many digits) is undefined: such gateways cannot take it.
 */
export function toTurkishGsmNumber(phone: string): string | undefined {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  let national = digits;
  if (trimmed.startsWith('+') || digits.startsWith('00')) {
    const international = trimmed.startsWith('+') ? digits : digits.slice(2);
    if (!international.startsWith('90')) return undefined;
    national = international.slice(2);
  } else if (digits.length === 12 && digits.startsWith('90')) {
    national = digits.slice(2);
  } else if (digits.length === 11 && digits.startsWith('0')) {
    national = digits.slice(1);
  }
  return /^[1-9]\d{9}$/.test(national) ? national : undefined;
}

/** The 10-digit national number, or an INVALID_RECIPIENT error before anything is sent. */
export function requireTurkishGsmNumber(provider: string, phone: string): string {
  const national = toTurkishGsmNumber(phone);
  if (national) return national;
  throw new DeliveryError(
    'INVALID_RECIPIENT',
    `${provider} sends only to Turkish numbers (+90 and 10 digits); this recipient was not sent to ${provider}`,
  );
}

/** Printable ASCII and line breaks: the text needs no Turkish (or any other) character set. */
export function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e\r\n]*$/.test(text);
}
