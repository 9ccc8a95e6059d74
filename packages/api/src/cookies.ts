import { parseCookie, stringifySetCookie } from 'cookie';
import {
  ACCESS_COOKIE,
  type IssuedSession,
  REFRESH_COOKIE,
  type SessionConfig,
  SPACE_COOKIE,
} from './services/session';
import { STORE_SESSION_COOKIE, STORE_SESSION_SECONDS } from './services/store-access';

/**
 * The HTTP side of sessions: reading the cookies a request carries and writing the ones an answer
 * sets. Services issue and check tokens; only this layer (the procedures' context and the
 * procedures that sign in or out) knows they travel in cookies.
 */

/** Whether cookies get `Secure`: decided per request from how it arrived (see `createTRPCContext`). */
export interface CookieContext {
  secure: boolean;
}

export function readCookies(headers: Headers): Record<string, string | undefined> {
  const header = headers.get('cookie');
  return header ? parseCookie(header) : {};
}

export function sessionCookies(
  config: SessionConfig,
  session: IssuedSession,
  { secure }: CookieContext,
): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  return [
    stringifySetCookie({
      ...base,
      name: ACCESS_COOKIE,
      value: session.accessToken,
      maxAge: config.accessTokenTtlSeconds,
    }),
    stringifySetCookie({
      ...base,
      name: REFRESH_COOKIE,
      value: session.refreshToken,
      maxAge: config.refreshTokenTtlSeconds,
    }),
  ];
}

export function clearedSessionCookies({ secure }: CookieContext): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: 0 };
  return [ACCESS_COOKIE, REFRESH_COOKIE, SPACE_COOKIE].map((name) =>
    stringifySetCookie({ ...base, name, value: '' }),
  );
}

export function spaceCookie(slug: string, { secure }: CookieContext): string {
  return stringifySetCookie({
    name: SPACE_COOKIE,
    value: slug,
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}

/** The OTP user's store session cookie; `null` clears it (sign-out). */
export function storeSessionCookie(token: string | null, { secure }: CookieContext): string {
  return stringifySetCookie({
    name: STORE_SESSION_COOKIE,
    value: token ?? '',
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: token ? STORE_SESSION_SECONDS : 0,
  });
}

/**
 * Cookies ride along on requests another site makes the browser send, so state changes under a
 * cookie session must come from our own pages: Fetch Metadata when the browser sends it, else
 * the Origin's host against the Host the request was made to. Non-browser clients send neither.
 */
export function isCrossSiteRequest(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.get('origin');
  if (!origin) return false;
  if (origin === 'null') return true;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
