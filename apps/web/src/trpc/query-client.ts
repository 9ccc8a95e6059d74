import { MutationCache, QueryClient } from '@tanstack/react-query';
import { httpStatusOf } from '~/lib/errors';

/** Client errors (4xx) do not get better by asking again. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && status < 500) return false;
  return failureCount < 2;
}

export function makeQueryClient(options: { onMutationError?: (error: unknown) => void } = {}) {
  const server = typeof window === 'undefined';
  return new QueryClient({
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        // A mutation with its own onError shows the failure where it happened.
        if (!mutation.options.onError) options.onMutationError?.(error);
      },
    }),
    defaultOptions: {
      queries: {
        // Data the server prefetched stays fresh long enough not to be fetched again on hydration.
        staleTime: 30_000,
        retry: server ? false : shouldRetry,
      },
    },
  });
}
