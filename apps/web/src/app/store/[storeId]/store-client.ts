import type { AppRouter } from '@otp-access/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';

/** The store pages talk to the API with the OTP user's own cookie (no admin session). */
export const storeApi = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { appCode?: number; fields?: Record<string, string> | null } | undefined;
    if (data?.appCode === 7001) return 'Too many attempts. Please wait a minute and try again.';
    const field = data?.fields ? Object.values(data.fields)[0] : undefined;
    return field ?? error.message;
  }
  return 'Something went wrong. Please try again.';
}
