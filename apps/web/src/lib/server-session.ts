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
