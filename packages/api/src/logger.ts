import { randomUUID } from 'node:crypto';
import pino, { type Bindings, type DestinationStream, type LogFn, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Fields that may carry a secret or a one-time code, wherever they appear in a logged object.
 * Values are replaced before anything is written.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'authToken',
  'code',
  'otp_code',
  'refresh_token',
  'secrets',
  'key',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.authToken',
  '*.code',
  '*.otp_code',
  '*.refresh_token',
  '*.secrets',
  '*.key',
  'headers.authorization',
  'headers.cookie',
];

/** Structured JSON logs (one object a line); `destination` lets tests read what was written. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'otp-access' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/**
 * The server's log output: standard output, written off the request path. A synchronous write per
 * line cost 3.5% of the API's busy time under load (bench/FINDINGS.md); asynchronous, lines that
 * come while one write is under way go out together in the next. pino flushes what is pending
 * when the process exits.
 */
export function serverLogDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Each request's id, kept beside the request rather than written into its headers: setting a
 * header turns the server's lazily read request headers into a full `Headers` copy, which cost
 * more per request than anything the id is used for (bench/FINDINGS.md).
 */
const requestIds = new WeakMap<Request, string>();

/**
 * The request's id, the same on every read (its log lines and its answer): the caller's
 * `X-Request-Id` when it is a sane token, else a new one.
 */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given && REQUEST_ID.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/** What request code logs with (a procedure's `ctx.logger`). */
export type RequestLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * One request's logger: its lines carry `bindings` (the request id) and are redacted as every
 * line is. The pino child that writes them is made at the request's first line of its own: few
 * requests write one, and making a child runs the redaction over its bindings: 1.8% of a GET's
 * CPU profile under load when every request made one (bench/FINDINGS.md).
 */
export function requestLogger(parent: Logger, bindings: Bindings): RequestLogger {
  let child: Logger | undefined;
  const method =
    (name: keyof RequestLogger): LogFn =>
    (...args: Parameters<LogFn>) => {
      child ??= parent.child(bindings);
      child[name](...args);
    };
  return { info: method('info'), warn: method('warn'), error: method('error') };
}
