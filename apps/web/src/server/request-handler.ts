import type { IncomingMessage, ServerResponse } from 'node:http';
import { isApiPath, setClientIp } from '@otp-access/api';
import { applySecurityHeaders } from './security-headers';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * What the server does with every request before it is answered (security headers, the client
 * address), then who answers it: API paths go straight to the framework-free handlers, every
 * other path is a page. The bench's API-alone server uses the same function with no pages.
 */
export function createRequestHandler(options: {
  dev: boolean;
  trustProxy: boolean;
  handleApi: Handler;
  handlePage: Handler;
}) {
  const { dev, trustProxy, handleApi, handlePage } = options;
  return (req: IncomingMessage, res: ServerResponse) => {
    applySecurityHeaders(req, res, { dev, trustProxy });
    // Limits key on the client address: ours to set, whatever the client sent.
    setClientIp(req, { trustProxy });
    const pathname = (req.url ?? '/').split('?')[0]!;
    // Browsers ask for /favicon.ico on their own, whatever the page names; the app's icon is an SVG.
    if (pathname === '/favicon.ico') {
      res.writeHead(308, { location: '/icon.svg' }).end();
      return;
    }
    if (isApiPath(pathname)) void handleApi(req, res);
    else void handlePage(req, res);
  };
}
