import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { retryingFetch } from './retry-fetch';

async function serverAnswering(statuses: number[], headers: Record<string, string> = {}) {
  let calls = 0;
  const server = createServer((_req, res) => {
    const status = statuses[Math.min(calls, statuses.length - 1)]!;
    calls++;
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('retryingFetch', () => {
  it('tries again on 429 and 503 until the server answers', async () => {
    const server = await serverAnswering([429, 503, 200]);
    const response = await retryingFetch(fetch, { baseDelayMs: 5 })(server.url);
    expect(response.status).toBe(200);
    expect(server.calls()).toBe(3);
    await server.close();
  });

  it('gives up after the configured retries and returns the last answer', async () => {
    const server = await serverAnswering([503], { 'retry-after': '0' });
    const response = await retryingFetch(fetch, { retries: 2, baseDelayMs: 5 })(server.url);
    expect(response.status).toBe(503);
    expect(server.calls()).toBe(3);
    await server.close();
  });

  it('does not retry other failures', async () => {
    const server = await serverAnswering([400, 200]);
    expect((await retryingFetch(fetch, { baseDelayMs: 5 })(server.url)).status).toBe(400);
    expect(server.calls()).toBe(1);
    await server.close();
  });
});
