import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP forwarder for fault tests: put it between a client and a server (PostgreSQL), then cut
 * the link the ways real outages do.
 *
 * - `refuse`: every open connection is reset and new ones are reset on accept, as when the
 *   server process is gone and its host answers with RST.
 * - `blackhole`: open connections are reset, new ones are accepted and never answered, as when
 *   the host itself vanished (packets dropped, nothing comes back) — the case only a client-side
 *   timeout ends.
 */
export type CutMode = 'refuse' | 'blackhole';

export interface TcpProxy {
  host: string;
  port: number;
  /** Connections accepted so far, and how many were forwarded to the target. */
  readonly stats: {
    accepted: number;
    forwarded: number;
    cutConnections: number;
    refused: number;
    held: number;
  };
  /** Drops every open connection and handles new ones by `mode` until `resume()`. */
  cut(mode?: CutMode): void;
  /** Forwards new connections again (held ones are dropped: their clients gave up long ago). */
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: CutMode | 'forward' = 'forward';
  const open = new Set<Socket>();
  const held = new Set<Socket>();
  const stats = { accepted: 0, forwarded: 0, cutConnections: 0, refused: 0, held: 0 };

  const track = (socket: Socket, into: Set<Socket>) => {
    into.add(socket);
    socket.on('close', () => into.delete(socket));
    // A reset is the point of this proxy; an unhandled 'error' would crash the test process.
    socket.on('error', () => {});
  };

  const server = createServer((client) => {
    stats.accepted++;
    if (mode === 'refuse') {
      stats.refused++;
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      stats.held++;
      track(client, held);
      return;
    }
    stats.forwarded++;
    const upstream = connect(target.port, target.host);
    track(client, open);
    track(upstream, open);
    client.pipe(upstream);
    upstream.pipe(client);
    const dropBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', dropBoth);
    upstream.on('close', dropBoth);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The proxy has no TCP address');

  const resetAll = (sockets: Set<Socket>) => {
    for (const socket of [...sockets]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
    sockets.clear();
  };

  return {
    host: '127.0.0.1',
    port: address.port,
    stats,
    cut(cutMode: CutMode = 'refuse') {
      mode = cutMode;
      // Each forwarded connection is two sockets.
      stats.cutConnections += Math.ceil(open.size / 2);
      resetAll(open);
    },
    resume() {
      mode = 'forward';
      resetAll(held);
    },
    async close() {
      resetAll(open);
      resetAll(held);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `connectionString` with its host and port replaced: the same database, reached through a proxy. */
export function throughProxy(connectionString: string, proxy: { host: string; port: number }): string {
  const url = new URL(connectionString);
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return url.toString();
}
