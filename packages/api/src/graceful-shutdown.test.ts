import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('graceful shutdown', () => {
  it('finishes every request in flight when SIGTERM arrives, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing/slow-server.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    const port = Number(chunk.toString().trim());
    expect(port).toBeGreaterThan(0);

    // 40 requests under way (each takes 300 ms), then SIGTERM while they are in flight.
    const requests = Array.from({ length: 40 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/r${i}`).then(async (response) => ({
        status: response.status,
        body: await response.text(),
      })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');

    const results = await Promise.all(requests);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body)).toEqual(Array.from({ length: 40 }, (_, i) => `done /r${i}`));
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    // And it no longer accepts connections.
    await expect(fetch(`http://127.0.0.1:${port}/late`)).rejects.toThrow();
  });
});
