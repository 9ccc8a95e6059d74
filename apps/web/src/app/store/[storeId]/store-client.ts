import type { AppRouter } from '@otp-access/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';

/** The store pages talk to the API with the OTP user's own cookie (no admin session). */
export const storeApi = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { appCode?: number; fields?: Record<string, unknown> | null } | undefined;
    if (data?.appCode === 7001) return `Too many attempts. ${waitFor(data.fields?.retryAfterSeconds)}`;
    const field = data?.fields ? Object.values(data.fields).find((v) => typeof v === 'string') : undefined;
    return typeof field === 'string' ? field : error.message;
  }
  return 'Something went wrong. Please try again.';
}

/** The wait the server asked for, in words: "Try again in 2 minutes." */
export function waitFor(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    return 'Please wait a moment and try again.';
  }
  if (seconds < 120)
    return `Try again in ${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
