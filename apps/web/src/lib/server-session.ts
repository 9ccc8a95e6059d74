import 'server-only';
import { cookies } from 'next/headers';

/** The API's session cookies (HttpOnly; the browser's scripts never read them). */
const SESSION_COOKIES = ['ins_access_token', 'ins_refresh_token'];

/**
 * Whether the request carries a session at all. An expired access token with a live refresh
 * token still counts: the browser renews it on its first call.
 */
export async function hasSessionCookies(): Promise<boolean> {
  const jar = await cookies();
  return SESSION_COOKIES.some((name) => jar.has(name));
}

/** When the access token runs out, as the page's scripts need to know (they cannot read it). */
export interface AccessTokenTiming {
  /** Epoch ms; 0 when the browser sent none (its cookie expired): renew before the first call. */
  expiresAt: number;
  /** The token's lifetime, so the next one's expiry can be told after a renewal; null if unknown. */
  ttlMs: number | null;
}

/**
 * The access token's `exp` and `iat`, read without verifying it: only the page's timing depends
 * on them (renewing before a call instead of after a 401); the API verifies every call.
 */
export async function accessTokenTiming(): Promise<AccessTokenTiming> {
  const token = (await cookies()).get('ins_access_token')?.value;
  if (!token) return { expiresAt: 0, ttlMs: null };
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
      iat?: unknown;
    };
    if (typeof payload.exp !== 'number') return { expiresAt: Number.MAX_SAFE_INTEGER, ttlMs: null };
    const ttlMs = typeof payload.iat === 'number' ? (payload.exp - payload.iat) * 1000 : null;
    return { expiresAt: payload.exp * 1000, ttlMs };
  } catch {
    // Not a token we can read: let the API answer it (a 401 then renews the session).
    return { expiresAt: Number.MAX_SAFE_INTEGER, ttlMs: null };
  }
}
