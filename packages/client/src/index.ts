import type { AppRouter } from '@otp-access/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { type RetryOptions, retryingFetch } from './retry-fetch';

export { type RetryOptions, retryingFetch } from './retry-fetch';

export interface OtpAccessClientOptions {
  /** Base URL of the OTP Access server, e.g. `https://otp.example.com`. */
  url: string;
  /** An API key of the organization; its permissions decide what the client may do. */
  apiKey: string;
  /** Optional: the organization slug, checked against the key's organization. */
  space?: string;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Retries on 429 / 503 with backoff; `false` turns them off. */
  retry?: RetryOptions | false;
}

/**
 * A typed client for the OTP Access tRPC API, authenticated with an API key:
 *
 *   const client = createOtpAccessClient({ url, apiKey });
 *   const page = await client.otpUser.list.query({ storeId, page: 1, limit: 20 });
 */
export function createOtpAccessClient(options: OtpAccessClientOptions) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
  if (options.space) headers['x-space'] = options.space;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, '')}/api/trpc`,
        headers: () => headers,
        fetch:
          options.retry === false
            ? (options.fetch ?? globalThis.fetch)
            : retryingFetch(options.fetch ?? globalThis.fetch, options.retry),
      }),
    ],
  });
}

export type OtpAccessClient = ReturnType<typeof createOtpAccessClient>;

/** The product's error code (e.g. 3001 not found, 6001 validation) of a failed call, if any. */
export function errorCodeOf(error: unknown): number | undefined {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { appCode?: unknown } | undefined)?.appCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

export { TRPCClientError };
