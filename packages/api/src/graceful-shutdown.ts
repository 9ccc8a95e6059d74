import type { Server } from 'node:http';

/**
 * Stops a node:http server the way a deploy needs: no new connections, idle keep-alive sockets
 * closed at once, requests in flight allowed to finish (for at most `graceMs`), then `cleanup`
 * (database pools, embedded services). Resolves when all of that is done.
 */
export async function closeGracefully(
  server: Server,
  options: { graceMs: number; cleanup?: () => Promise<void> },
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Keep-alive sockets that finish a response later must not hold the server open.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const grace = setTimeout(() => server.closeAllConnections(), options.graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(grace);
  }
  await options.cleanup?.();
}
