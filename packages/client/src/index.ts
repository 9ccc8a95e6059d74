import type { AppRouter } from '@otp-access/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
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

export type Build = inferRouterOutputs<AppRouter>['build']['upload'];

/** Why an upload failed: the REST surface's error code (6002 too large, 3001 not found, …). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Uploads a build the way `curl -F file=@…` does (tRPC carries JSON, so builds go to the REST
 * route). Pass a `Blob` that reads lazily (Node: `fs.openAsBlob(path)`) and the file is streamed,
 * not loaded into memory.
 */
export async function uploadBuild(
  options: Pick<OtpAccessClientOptions, 'url' | 'apiKey' | 'fetch'> & {
    /** The organization slug. */
    space: string;
    storeId: string;
    publishedApplicationId: string;
    file: Blob;
    fileName: string;
    /** Also make it the published build. */
    publish?: boolean;
  },
): Promise<Build> {
  const form = new FormData();
  if (options.publish !== undefined) form.set('publish', String(options.publish));
  form.set('file', options.file, options.fileName);
  const url =
    `${options.url.replace(/\/+$/, '')}/v1/organizations/${encodeURIComponent(options.space)}` +
    `/stores/${options.storeId}/published-applications/${options.publishedApplicationId}/builds`;
  const response = await (options.fetch ?? globalThis.fetch)(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.apiKey}` },
    body: form,
  });
  const body = (await response.json().catch(() => null)) as {
    status?: boolean;
    data?: Build;
    error?: { code?: number; message?: string };
  } | null;
  if (!response.ok || !body?.status || !body.data) {
    throw new UploadError(
      body?.error?.message ?? `Upload failed (${response.status})`,
      response.status,
      body?.error?.code,
    );
  }
  return body.data;
}

/** The product's error code (e.g. 3001 not found, 6001 validation) of a failed call, if any. */
export function errorCodeOf(error: unknown): number | undefined {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { appCode?: unknown } | undefined)?.appCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

export { TRPCClientError };
