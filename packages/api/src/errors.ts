import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { z } from 'zod';

/**
 * The error model of the whole product. Services throw `AppError`; the tRPC layer turns it into a
 * TRPCError with the matching HTTP status, and both wire formats (tRPC, REST) derive their bodies
 * from `describeError`, so an error reads the same everywhere.
 */
export const ErrorCode = {
  INTERNAL: 1000,
  ROUTE_NOT_FOUND: 1002,
  /** Ours, beyond the Applivery list: a dependency (a message provider) is not available. */
  UNAVAILABLE: 1003,
  ENTITY_NOT_FOUND: 3001,
  UNAUTHORIZED: 4001,
  NO_AUTH_TOKEN: 4002,
  FORBIDDEN: 4003,
  INVALID_TOKEN: 4004,
  TOKEN_EXPIRED: 4005,
  CONFLICT: 5001,
  VALIDATION: 6001,
  /** Ours: an uploaded build is larger than the configured limit (BUILD_MAX_BYTES). */
  PAYLOAD_TOO_LARGE: 6002,
  TOO_MANY_REQUESTS: 7001,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// One row per code on purpose: this table is the catalog every wire format reads its status and message from.
const errorCatalog: Record<ErrorCode, { status: number; message: string; trpc: TRPC_ERROR_CODE_KEY }> = {
  1000: { status: 500, message: 'Internal server error', trpc: 'INTERNAL_SERVER_ERROR' },
  1002: { status: 404, message: 'Route not found', trpc: 'NOT_FOUND' },
  1003: { status: 503, message: 'Service unavailable', trpc: 'SERVICE_UNAVAILABLE' },
  3001: { status: 404, message: 'Entity not found', trpc: 'NOT_FOUND' },
  4001: { status: 401, message: 'Unauthorized', trpc: 'UNAUTHORIZED' },
  4002: { status: 401, message: 'No auth token', trpc: 'UNAUTHORIZED' },
  4003: { status: 403, message: 'Forbidden', trpc: 'FORBIDDEN' },
  4004: { status: 401, message: 'Invalid token', trpc: 'UNAUTHORIZED' },
  4005: { status: 401, message: 'Token expired', trpc: 'UNAUTHORIZED' },
  5001: { status: 409, message: 'Conflict', trpc: 'CONFLICT' },
  6001: { status: 400, message: 'Database Validation Error', trpc: 'BAD_REQUEST' },
  6002: { status: 413, message: 'Payload too large', trpc: 'PAYLOAD_TOO_LARGE' },
  7001: { status: 429, message: 'Too many requests', trpc: 'TOO_MANY_REQUESTS' },
};

export type ErrorData = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorData | undefined;

  constructor(code: ErrorCode, options: { message?: string; data?: ErrorData; cause?: unknown } = {}) {
    super(options.message ?? errorCatalog[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.data = options.data;
  }

  get httpStatus(): number {
    return errorCatalog[this.code].status;
  }

  toTRPCError(): TRPCError {
    return new TRPCError({ code: errorCatalog[this.code].trpc, message: this.message, cause: this });
  }
}

export const notFound = () => new AppError(ErrorCode.ENTITY_NOT_FOUND);

interface ValidationIssue {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined;
  code?: string;
  keys?: string[];
}

/** Zod errors, and the Standard Schema failures tRPC raises for inputs, both carry `issues`. */
function issuesOf(error: unknown): ValidationIssue[] | undefined {
  if (error instanceof z.ZodError) return error.issues as ValidationIssue[];
  const issues = (error as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) && issues.every((i) => typeof i?.message === 'string')
    ? (issues as ValidationIssue[])
    : undefined;
}

/** `{ "field.path": "message" }` for every issue; unknown keys are named one by one. */
export function fieldsOfIssues(issues: readonly ValidationIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) fields[[...path, key].join('.')] = 'Unknown field';
      continue;
    }
    fields[path.join('.') || '(root)'] ??= issue.message;
  }
  return fields;
}

export function validationError(issues: readonly ValidationIssue[], cause?: unknown): AppError {
  return new AppError(ErrorCode.VALIDATION, { data: fieldsOfIssues(issues), cause });
}

export interface ErrorDescription {
  status: number;
  code: ErrorCode;
  message: string;
  data?: ErrorData;
  /** Set for failures we did not anticipate: they are logged, and never shown to the caller. */
  unexpected?: unknown;
}

function isPrismaKnownError(error: unknown): error is { code: string; meta?: Record<string, unknown> } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'PrismaClientKnownRequestError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * Prisma's codes for "could not reach / lost / timed out waiting for the database": P1001 can't
 * reach, P1002 timed out, P1008 operation timed out, P1017 server closed the connection, P2024
 * no pool connection in time, P2028 an interactive transaction could not start or finish in time.
 */
const PRISMA_UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** What the pg driver adapter reports for a lost or unreachable server (raw queries come as P2010). */
const ADAPTER_UNAVAILABLE_KINDS = new Set([
  'ConnectionClosed',
  'DatabaseNotReachable',
  'SocketTimeout',
  'TooManyConnections',
]);
/**
 * Failures node-postgres raises itself, which Prisma passes through untranslated: a pool that
 * cannot connect in time, a connection that died under a query or a transaction.
 */
const PG_UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
];
/** SQLSTATE class 08 (connection exception), server shutting down or starting (57P01–57P03). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]$)/;

/** A failure to reach the database (not a bad query): the request may succeed when retried. */
function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, errorCode, message, meta } = error as {
    name?: unknown;
    code?: unknown;
    errorCode?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
  };
  const isAdapterUnavailable = (cause: { kind?: unknown; code?: unknown } | undefined) =>
    (typeof cause?.kind === 'string' && ADAPTER_UNAVAILABLE_KINDS.has(cause.kind)) ||
    (cause?.kind === 'postgres' && typeof cause.code === 'string' && UNAVAILABLE_SQLSTATE.test(cause.code));
  if (name === 'PrismaClientInitializationError') return true;
  if (name === 'PrismaClientKnownRequestError' || name === 'PrismaClientUnknownRequestError') {
    if (typeof code === 'string' && PRISMA_UNAVAILABLE_CODES.has(code)) return true;
    if (typeof errorCode === 'string' && PRISMA_UNAVAILABLE_CODES.has(errorCode)) return true;
    return isAdapterUnavailable(meta?.driverAdapterError?.cause);
  }
  // Interactive transactions let the adapter's own error through (its cause is the kind).
  if (name === 'DriverAdapterError') {
    return isAdapterUnavailable((error as { cause?: { kind?: unknown; code?: unknown } }).cause);
  }
  if (!(error instanceof Error)) return false;
  // Hot statements run on the pg pool directly: its socket errors and server errors arrive as is.
  if (typeof code === 'string' && (SOCKET_UNAVAILABLE_CODES.has(code) || isPgServerUnavailable(error, code)))
    return true;
  return typeof message === 'string' && PG_UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known));
}

/** Socket failures reaching the database server. */
const SOCKET_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

/** A server error from node-postgres (it carries a SQLSTATE and a severity) meaning "unavailable". */
function isPgServerUnavailable(error: Error, code: string): boolean {
  return 'severity' in error && UNAVAILABLE_SQLSTATE.test(code);
}

/**
 * The AppError a thrown value stands for: itself, a validation failure, or a Prisma error with a
 * meaning of its own (unique violation → 409, record to change not found → 404, database out of
 * reach → 503).
 */
export function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const issues = issuesOf(error);
  if (issues) return validationError(issues, error);
  if (isPrismaKnownError(error)) {
    if (error.code === 'P2002') return new AppError(ErrorCode.CONFLICT, { cause: error });
    if (error.code === 'P2025') return new AppError(ErrorCode.ENTITY_NOT_FOUND, { cause: error });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError(ErrorCode.UNAVAILABLE, {
      message: 'The database is not available; try again shortly',
      cause: error,
    });
  }
  return undefined;
}

/** Any thrown value → the product's error model. Unknown failures become a bare 1000. */
export function describeError(error: unknown): ErrorDescription {
  let current: unknown = error;
  let outerTRPCError: TRPCError | undefined;
  // tRPC wraps what procedures throw; the useful error is the innermost one we recognise.
  for (let depth = 0; depth < 5 && current; depth++) {
    const appError = asAppError(current);
    if (appError) {
      return {
        status: appError.httpStatus,
        code: appError.code,
        message: appError.message,
        ...(appError.data ? { data: appError.data } : {}),
      };
    }
    if (current instanceof TRPCError) {
      if (current.cause === undefined) return fromBareTRPCError(current);
      outerTRPCError ??= current;
    }
    current = (current as { cause?: unknown }).cause;
  }
  // tRPC's refusal of a request it could not read (say, a body that is not the form data its
  // content type claims) carries the parser's error as cause: still the caller's mistake, not ours.
  if (outerTRPCError && outerTRPCError.code !== 'INTERNAL_SERVER_ERROR') {
    const described = fromBareTRPCError(outerTRPCError);
    if (described.unexpected === undefined) return described;
  }
  return { ...errorCatalog[ErrorCode.INTERNAL], code: ErrorCode.INTERNAL, unexpected: error };
}

function fromBareTRPCError(error: TRPCError): ErrorDescription {
  const byCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
    NOT_FOUND: ErrorCode.ENTITY_NOT_FOUND,
    UNAUTHORIZED: ErrorCode.UNAUTHORIZED,
    FORBIDDEN: ErrorCode.FORBIDDEN,
    CONFLICT: ErrorCode.CONFLICT,
    BAD_REQUEST: ErrorCode.VALIDATION,
    PARSE_ERROR: ErrorCode.VALIDATION,
    TOO_MANY_REQUESTS: ErrorCode.TOO_MANY_REQUESTS,
  };
  const code = byCode[error.code];
  if (code) return { status: errorCatalog[code].status, code, message: errorCatalog[code].message };
  // tRPC's own refusals of a malformed HTTP call (wrong method, content type, size) are the
  // caller's mistake: they keep tRPC's 4xx status and say what was wrong, as invalid input.
  const status = getHTTPStatusCodeFromError(error);
  if (status >= 400 && status < 500) return { status, code: ErrorCode.VALIDATION, message: error.message };
  return { ...errorCatalog[ErrorCode.INTERNAL], code: ErrorCode.INTERNAL, unexpected: error };
}
