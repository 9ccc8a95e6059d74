import { Agent, request as httpRequest } from 'node:http';
import type { LoadResult, RequestFactory } from './load';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * An open-loop load at a fixed rate, requests spread evenly over time. autocannon's own rate
 * option sends each second's requests in a burst at the start of the second, which measures a
 * burst at full speed, not a steady half load. Latency counts from when a request was due, so a
 * server that falls behind is charged for the wait (no coordinated omission).
 */
export async function runPaced(options: {
  url: string;
  rate: number;
  durationSeconds: number;
  connections: number;
  request: RequestFactory;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(options.rate * options.durationSeconds);
  const interval = 1000 / options.rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];

  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const next = options.request();
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: next.method,
          path: next.path,
          agent,
          headers: { ...next.headers, ...(next.body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) errors++;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(next.body);
    });

  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else await new Promise((resolve) => setImmediate(resolve));
    pending.push(send(due));
  }
  await Promise.all(pending);
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    connections: options.connections,
    offeredRate: options.rate,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    requests: latencies.length,
    errors,
  };
}
