import type { IncomingMessage } from 'node:http';
import { CLIENT_IP_HEADER } from './trpc';

/**
 * What a reverse proxy says about the original request. Without a proxy we trust they are
 * whatever the client wrote, so they are removed before anything (cookies' Secure flag, the
 * same-origin check, Next.js) could read them.
 */
const FORWARDING_HEADERS = new Set([
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
]);

/**
 * Stamps the client address the API's per-IP limits key on onto a node:http request, replacing
 * any header of that name the client sent. Returns the address.
 *
 * Behind a trusted proxy (`trustProxy`) it is the last X-Forwarded-For entry: the address the
 * proxy itself saw and appended (nginx's `$proxy_add_x_forwarded_for`); earlier entries are
 * whatever the client claimed. Otherwise it is the socket's peer, and every forwarding header
 * (X-Forwarded-*, Forwarded) is dropped.
 *
 * Written to `rawHeaders`, not only `headers`: @hono/node-server builds the Fetch Request from
 * the raw header list, so a value set only on `headers` never reaches the handlers, while one the
 * client sent would.
 */
export function setClientIp(req: IncomingMessage, options: { trustProxy: boolean }): string {
  const forwarded = options.trustProxy
    ? req.headers['x-forwarded-for']?.toString().split(',').at(-1)?.trim()
    : undefined;
  const ip = forwarded || req.socket.remoteAddress || 'unknown';
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    const name = raw[i]!.toLowerCase();
    if (name === CLIENT_IP_HEADER || (!options.trustProxy && FORWARDING_HEADERS.has(name))) {
      raw.splice(i, 2);
      delete req.headers[name];
    }
  }
  raw.push(CLIENT_IP_HEADER, ip);
  req.headers[CLIENT_IP_HEADER] = ip;
  return ip;
}
