/**
 * The browser side of the admin session. Cookies are HttpOnly: the page never sees a token, it
 * only asks the server to rotate (`/refresh`) or end (`/logout`) the session.
 */

/** Bumped after every successful refresh, so a request that failed with an older token just retries. */
let generation = 0;
let refreshing: Promise<boolean> | null = null;
let leaving = false;

export function sessionGeneration(): number {
  return generation;
}

/**
 * Rotates the session once, however many requests ask at the same time: a refresh token may be
 * used only once, and presenting it twice would end the session.
 */
export function renewSession(seenGeneration: number): Promise<boolean> {
  if (seenGeneration !== generation) return Promise.resolve(true);
  refreshing ??= fetch('/refresh', { method: 'POST', credentials: 'same-origin' })
    .then((response) => {
      if (response.ok) generation += 1;
      return response.ok;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Ends the session on the server (revokes it, clears the cookies) and leaves for `to`. */
export async function signOut(to = '/sign-in'): Promise<void> {
  leaving = true;
  await fetch('/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
  window.location.assign(to);
}

/** The session cannot be renewed: back to sign-in, then back here. */
export function sessionExpired(): void {
  if (leaving) return;
  const here = `${window.location.pathname}${window.location.search}`;
  void signOut(`/sign-in?expired=1&next=${encodeURIComponent(here)}`);
}
