/**
 * The browser side of the admin session. Cookies are HttpOnly: the page never sees a token, it
 * only asks the server to rotate (`/refresh`) or end (`/logout`) the session.
 */

/** Bumped after every successful refresh, so a request that failed with an older token just retries. */
let generation = 0;
let refreshing: Promise<boolean> | null = null;
let leaving = false;
/** When the access token runs out (epoch ms), as the server told the page; null: unknown. */
let accessExpiresAt: number | null = null;
let accessTtlMs: number | null = null;
/** Renew this long before the expiry, so a call in flight does not reach the API just after it. */
const EXPIRY_MARGIN_MS = 5_000;

/** The server-rendered page's word on the access token (its cookie is HttpOnly). */
export function noteAccessToken(timing: { expiresAt: number; ttlMs: number | null }): void {
  accessExpiresAt = timing.expiresAt;
  accessTtlMs = timing.ttlMs;
}

/**
 * Whether the access token has run out (or is about to): the next call renews the session first,
 * instead of being refused with a 401 that the browser logs as an error.
 */
export function accessTokenStale(now = Date.now()): boolean {
  return accessExpiresAt !== null && now >= accessExpiresAt - EXPIRY_MARGIN_MS;
}

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
      if (response.ok) {
        generation += 1;
        accessExpiresAt = accessTtlMs === null ? null : Date.now() + accessTtlMs;
      }
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
