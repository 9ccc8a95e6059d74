import net from 'node:net';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import {
  DEFAULT_TIMEOUT_MS,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryMessage,
  type DeliveryResult,
  providerText,
} from './types';

export type SmtpTransportStrategy = 'SMTP' | 'SMTPS' | 'SMTP_TLS';

export interface SmtpConfig {
  smtpHost: string;
  smtpPort: number;
  username?: string;
  password?: string;
  transportStrategy: SmtpTransportStrategy;
  fromAddress: string;
}

/**
 * The sender when a mail setting has no `fromAddress` (the settings document has no such field,
 * so a client written from it never sends one): the SMTP username when it is an address, which
 * most relays require as the sender anyway, else `no-reply@<smtpHost>`.
 */
export function defaultFromAddress(username: string | undefined, smtpHost: string): string {
  if (username && z.email().safeParse(username).success) return username;
  return `no-reply@${smtpHost}`;
}

export interface SmtpSendOptions {
  timeoutMs?: number;
  /** For servers whose certificate is not signed by a public CA (tests, private relays). */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /**
   * Connect only to these addresses of `smtpHost` (already checked by the caller), never to what
   * the name resolves to at connect time. The host name is still used for TLS (SNI, certificate).
   */
  addresses?: readonly string[];
}

type SocketCallback = (error: Error | null, socket?: { connection: net.Socket }) => void;

/** A connected socket to the first reachable of the pinned addresses, within the timeout. */
function pinnedSocket(host: string, addresses: readonly string[], port: number, timeoutMs: number) {
  return (_options: unknown, callback: SocketCallback) => {
    const pinned = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
    // Several addresses: tried in turn (autoSelectFamily), each only from the pinned list.
    const pinnedLookup: net.LookupFunction = (_host, options, done) =>
      options.all ? done(null, pinned) : done(null, pinned[0]!.address, pinned[0]!.family);
    const socket =
      pinned.length === 1
        ? net.connect({ host: pinned[0]!.address, port })
        : net.connect({ host, port, lookup: pinnedLookup, autoSelectFamily: true });
    const fail = (error: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      // Shaped as nodemailer's own connection failures, so they are classified the same way.
      callback(
        error.code === 'ETIMEDOUT'
          ? error
          : Object.assign(new Error(error.message), { code: 'ESOCKET', originalCode: error.code }),
      );
    };
    const timer = setTimeout(
      () => fail(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      callback(null, { connection: socket });
    });
  };
}

/**
 * SMTP: plaintext, upgraded with STARTTLS when the server offers it.
 * SMTP_TLS: STARTTLS is required; a server that does not offer it is refused.
 * SMTPS: TLS from the first byte (usually port 465).
 */
const tlsModes: Record<SmtpTransportStrategy, { secure: boolean; requireTLS: boolean }> = {
  SMTP: { secure: false, requireTLS: false },
  SMTP_TLS: { secure: false, requireTLS: true },
  SMTPS: { secure: true, requireTLS: false },
};

export async function sendSmtpMail(
  config: SmtpConfig,
  message: DeliveryMessage,
  options: SmtpSendOptions = {},
): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    ...tlsModes[config.transportStrategy],
    ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.addresses?.length
      ? { getSocket: pinnedSocket(config.smtpHost, options.addresses, config.smtpPort, timeoutMs) }
      : {}),
  });
  try {
    const info = await transport.sendMail({
      from: config.fromAddress,
      to: message.to,
      subject: message.subject ?? '',
      text: message.text,
      // The per-step timeouts above reset on every byte; this bounds the whole conversation.
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { providerMessageId: info.messageId, providerResponse: info.response };
  } catch (error) {
    throw smtpError(error, [message.to, config.username, config.password]);
  } finally {
    transport.close();
  }
}

interface NodemailerFailure {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  originalCode?: string;
}

function smtpError(error: unknown, sensitive: (string | undefined)[]): DeliveryError {
  const failure: NodemailerFailure = typeof error === 'object' && error !== null ? error : {};
  const { kind, message } = classify(failure);
  const reply = failure.responseCode ? providerText(failure.response, sensitive) : '';
  return new DeliveryError(kind, reply ? `${message}: ${reply}` : message, {
    ...(failure.responseCode ? { providerCode: String(failure.responseCode) } : {}),
    cause: error,
  });
}

function classify({ code, command, responseCode, originalCode }: NodemailerFailure): {
  kind: DeliveryErrorKind;
  message: string;
} {
  if (code === 'EAUTH' || responseCode === 535) {
    return { kind: 'BAD_CREDENTIALS', message: 'The SMTP server rejected the user name or password' };
  }
  if (code === 'ENOAUTH' || responseCode === 530) {
    return { kind: 'BAD_CREDENTIALS', message: 'The SMTP server requires a user name and password' };
  }
  if (code === 'ETIMEDOUT' || code === 'EABORT') {
    return { kind: 'TIMEOUT', message: 'The SMTP server did not answer in time' };
  }
  if (code === 'EENVELOPE' || command === 'RCPT TO' || command === 'MAIL FROM') {
    return command === 'MAIL FROM'
      ? { kind: 'INVALID_SENDER', message: 'The SMTP server refused the sender address' }
      : { kind: 'INVALID_RECIPIENT', message: 'The SMTP server refused the recipient address' };
  }
  if (code === 'ETLS' && command === 'STARTTLS' && responseCode) {
    return {
      kind: 'UNREACHABLE',
      message: 'The SMTP server does not offer STARTTLS, which this setting requires',
    };
  }
  if (code === 'ETLS' || (code === 'ESOCKET' && originalCode && isTlsFailure(originalCode))) {
    return {
      kind: 'UNREACHABLE',
      message: `No secure connection could be made to the SMTP server${originalCode ? ` (${originalCode})` : ''}`,
    };
  }
  if (code === 'ESOCKET' || code === 'ECONNECTION' || code === 'EDNS') {
    return {
      kind: 'UNREACHABLE',
      message: `The SMTP server could not be reached${originalCode ? ` (${originalCode})` : ''}`,
    };
  }
  return { kind: 'PROVIDER_ERROR', message: 'The SMTP server refused the message' };
}

/** Certificate and handshake failures, as opposed to the network not getting through. */
function isTlsFailure(code: string): boolean {
  return /CERT|SELF_SIGNED|SIGNATURE|ERR_TLS|ERR_SSL|UNABLE_TO_(GET|VERIFY)/.test(code);
}
