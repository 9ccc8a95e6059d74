import type { IncomingMessage } from 'node:http';
import { CLIENT_IP_HEADER } from './trpc';

/**
 * Stamps the client address the API's per-IP limits key on onto a node:http request, replacing
 * any header of that name the client sent. Returns the address.
 *
 * Behind a trusted proxy (`trustProxy`) it is the last X-Forwarded-For entry: the address the
 * proxy itself saw and appended (nginx's `$proxy_add_x_forwarded_for`); earlier entries are
 * whatever the client claimed. Otherwise it is the socket's peer.
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
    if (raw[i]!.toLowerCase() === CLIENT_IP_HEADER) raw.splice(i, 2);
  }
  raw.push(CLIENT_IP_HEADER, ip);
  req.headers[CLIENT_IP_HEADER] = ip;
  return ip;
}
