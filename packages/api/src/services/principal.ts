import type { Db } from '@otp-access/db';
import { parseCookie } from 'cookie';
import { AppError, ErrorCode } from '../errors';
import { type ApiKeyPrincipal, authenticateApiKey } from './api-key-auth';
import type { ApiKeyCache } from './api-key-cache';
import { ACCESS_COOKIE, authenticateSession, type SessionConfig, type UserPrincipal } from './session';

export type Principal = ApiKeyPrincipal | UserPrincipal;

export function readCookies(headers: Headers): Record<string, string | undefined> {
  const header = headers.get('cookie');
  return header ? parseCookie(header) : {};
}

/** Bearer API key first (scripts), else the admin session cookie (the web UI). */
export async function resolvePrincipal(
  db: Db,
  session: SessionConfig,
  headers: Headers,
  now: Date,
  apiKeyCache?: ApiKeyCache,
): Promise<Principal> {
  const authorization = headers.get('authorization');
  if (authorization?.trim()) return authenticateApiKey(db, authorization, now, apiKeyCache);
  const accessToken = readCookies(headers)[ACCESS_COOKIE];
  if (accessToken) return authenticateSession(db, session, accessToken, now);
  throw new AppError(ErrorCode.NO_AUTH_TOKEN);
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
