import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isApiPath } from '@otp-access/api';

export interface SecurityHeaderOptions {
  /** `next dev` evaluates code and talks to its HMR socket; production never does. */
  dev: boolean;
  /** Behind a reverse proxy we trust (TRUST_PROXY): its X-Forwarded-Proto says whether it was https. */
  trustProxy: boolean;
}

/*
 * Pages: script-src needs 'unsafe-inline'. The App Router streams its payload as inline scripts
 * (`self.__next_f.push`) and Mantine's ColorSchemeScript is inline; a nonce instead would force
 * every page into dynamic rendering (Next only stamps nonces at request time, prerendered pages
 * have none) and would have to be threaded through Mantine and Scalar. The pages render no
 * user-supplied HTML, and everything else is locked to this origin: no foreign scripts, no
 * plugins, no <base> or form-action hijacking, no framing, and connect-src 'self' leaves
 * injected code no way to send data elsewhere. style-src needs 'unsafe-inline' regardless of
 * nonces: Mantine and Scalar write style attributes and <style> elements at run time.
 */
function pagePolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Built once: the header is set on every response. */
const PAGE_POLICY = pagePolicy(false);
const DEV_PAGE_POLICY = pagePolicy(true);

/** API answers are data (JSON, downloads): a browser that renders one anyway may run nothing. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'display-capture=()',
  'browsing-topics=()',
].join(', ');

/**
 * Hardening headers for every response, set before a handler (API or Next) runs so both keep
 * them. Strict-Transport-Security only when the browser reached us over https (our own TLS, or a
 * trusted proxy's X-Forwarded-Proto): sent over plain http it would be ignored at best, and on a
 * plain-http install (localhost, an internal network) it must never pin https.
 */
export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  options: SecurityHeaderOptions,
): void {
  const pathname = (req.url ?? '/').split('?')[0]!;
  res.setHeader(
    'Content-Security-Policy',
    isApiPath(pathname) ? API_POLICY : options.dev ? DEV_PAGE_POLICY : PAGE_POLICY,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Not `no-referrer`: for POSTs that policy makes browsers send `Origin: null`, which the
  // same-origin (CSRF) checks would refuse.
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  if (isHttps(req, options.trustProxy)) {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
}

function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  if (!trustProxy) return false;
  return req.headers['x-forwarded-proto']?.toString().split(',')[0]?.trim().toLowerCase() === 'https';
}
