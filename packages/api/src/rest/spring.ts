import { ErrorCode, type ErrorDescription } from '../errors';
import { json, retryAfterHeaders } from './wire';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The settings surface's error body, shaped like Spring Boot's: `{timestamp, status, error, message, path}`. */
export function springError(
  described: ErrorDescription,
  path: string,
  now: Date,
  headers?: Headers,
): Response {
  // `errors` names failing fields (validation); a wait (429) travels in Retry-After instead.
  const fields =
    described.code === ErrorCode.VALIDATION && described.data && Object.keys(described.data).length > 0
      ? { errors: described.data }
      : {};
  return json(
    described.status,
    {
      timestamp: now.toISOString(),
      status: described.status,
      error: REASONS[described.status] ?? 'Error',
      message: described.message,
      path,
      ...fields,
    },
    retryAfterHeaders(described, new Headers(headers)),
  );
}
