import type { AppRouter } from '@otp-access/api';
import { TRPCClientError } from '@trpc/client';

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The HTTP status the API answered with (tRPC errors carry it in `data`). */
export function httpStatusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.data?.httpStatus : undefined;
}

/** Field → message of a validation failure (6001), or of a conflict's details (5001). */
export function errorFieldsOf(error: unknown): Record<string, unknown> | null {
  if (!isApiError(error)) return null;
  const fields = error.data?.fields;
  return fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : null;
}

/** A sentence a person can act on, for a toast or an error state. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    const status = error.data?.httpStatus;
    if (status === 403)
      return error.message === 'Forbidden' ? 'You do not have permission to do this.' : error.message;
    if (status === 404) return 'It no longer exists, or it belongs to another space.';
    if (status === 429) return 'Too many requests. Wait a moment and try again.';
    if (status !== undefined && status >= 500) return 'The server could not complete the request. Try again.';
    const fields = errorFieldsOf(error);
    if (status === 400 && fields) {
      // The messages are written for people; the field names behind them are not.
      const details = [
        ...new Set(Object.values(fields).filter((message): message is string => typeof message === 'string')),
      ].map(asSentence);
      if (details.length > 0) return details.join(' ');
    }
    return error.message;
  }
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** "Invalid email address" → "Invalid email address." */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
