import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isApiPath } from '@otp-access/api';
import { NONCE_HEADER } from '../lib/csp-nonce';

export interface SecurityHeaderOptions {
  /** `next dev` evaluates code and talks to its HMR socket; production never does. */
  dev: boolean;
  /** Behind a reverse proxy we trust (TRUST_PROXY): its X-Forwarded-Proto says whether it was https. */
  trustProxy: boolean;
}

/*
 * Pages: scripts run only with this response's nonce ('strict-dynamic' lets those scripts load
 * the chunks they need), so an injected inline script or <script src> never runs. Next reads the
 * nonce from the request's Content-Security-Policy header and stamps it on its own scripts; the
 * root layout passes it to Mantine's color-scheme script. A nonce must differ on every response,
 * so pages render per request (the root layout reads the request headers).
 * style-src keeps 'unsafe-inline': Mantine and Scalar write style attributes and <style>
 * elements at run time, and styles cannot run code.
 */
function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
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
  if (isApiPath(pathname)) {
    res.setHeader('Content-Security-Policy', API_POLICY);
  } else {
    const nonce = randomBytes(16).toString('base64');
    const policy = pagePolicy(nonce, options.dev);
    res.setHeader('Content-Security-Policy', policy);
    // For Next (which takes the nonce from the request's CSP) and the root layout; whatever
    // the client sent under these names is replaced.
    setRequestHeader(req, 'content-security-policy', policy);
    setRequestHeader(req, NONCE_HEADER, nonce);
  }
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

function setRequestHeader(req: IncomingMessage, name: string, value: string) {
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === name) raw.splice(i, 2);
  raw.push(name, value);
  req.headers[name] = value;
}

function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  if (!trustProxy) return false;
  return req.headers['x-forwarded-proto']?.toString().split(',')[0]?.trim().toLowerCase() === 'https';
}
