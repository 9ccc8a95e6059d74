import type { AppRouter } from '@otp-access/api';
import type { TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { httpStatusOf } from '~/lib/errors';
import { accessTokenStale, renewSession, sessionExpired, sessionGeneration } from './session';

/**
 * Access tokens live a few minutes. A call made once the token has run out (as far as the page
 * knows) renews the session through `/refresh` first. A call refused with 401 anyway (token
 * expired, missing or invalid) renews the session once and is sent again; when the session cannot
 * be renewed, the user goes back to sign-in.
 */
export function sessionLink(): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const seen = sessionGeneration();
        let retried = false;
        let closed = false;
        let subscription: { unsubscribe(): void } | null = null;
        const attempt = () => {
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || closed || httpStatusOf(error) !== 401) {
                observer.error(error);
                return;
              }
              retried = true;
              void renewSession(seen).then((renewed) => {
                if (closed) return;
                if (renewed) {
                  attempt();
                } else {
                  sessionExpired();
                  observer.error(error);
                }
              });
            },
          });
        };
        if (accessTokenStale()) {
          // Renewed first; if that fails the call goes out anyway and its 401 takes the path above.
          void renewSession(seen).then(() => {
            if (!closed) attempt();
          });
        } else {
          attempt();
        }
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}
