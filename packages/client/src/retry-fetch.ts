export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries?: number;
  /** First wait in ms; doubles each time, with jitter (default 200). */
  baseDelayMs?: number;
  /** Upper bound of one wait, including a server's Retry-After (default 10 s). */
  maxDelayMs?: number;
}

const RETRY_STATUSES = new Set([429, 503]);

/** Seconds (or an HTTP date) of a Retry-After header, in ms. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A fetch that tries again when the server is rate-limiting (429) or briefly unavailable (503),
 * waiting with exponential backoff and jitter, or as long as the server's Retry-After says.
 */
export function retryingFetch(base: typeof fetch, options: RetryOptions = {}): typeof fetch {
  const retries = options.retries ?? 3;
  const baseDelay = options.baseDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 10_000;
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await base(input, init);
      if (!RETRY_STATUSES.has(response.status) || attempt >= retries) return response;
      const backoff = baseDelay * 2 ** attempt * (0.5 + Math.random() / 2);
      const wait = Math.min(maxDelay, retryAfterMs(response) ?? backoff);
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
}
