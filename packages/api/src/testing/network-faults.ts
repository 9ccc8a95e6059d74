import { expect, it } from 'vitest';
import { closedPortUrl, startSilentServer } from '../delivery/fake-provider-server';

/**
 * The network faults every SMS provider client reports the same way: a server that never answers
 * is a TIMEOUT, a closed port is UNREACHABLE. `send` sends one message to `baseUrl`.
 */
export function itReportsNetworkFaults(
  send: (options: { baseUrl: string; timeoutMs?: number }) => Promise<unknown>,
): void {
  it('times out on a server that never answers', async () => {
    const silent = await startSilentServer();
    try {
      await expect(send({ baseUrl: silent.baseUrl, timeoutMs: 200 })).rejects.toMatchObject({
        kind: 'TIMEOUT',
      });
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const baseUrl = await closedPortUrl();

    await expect(send({ baseUrl })).rejects.toMatchObject({ kind: 'UNREACHABLE' });
  });
}
