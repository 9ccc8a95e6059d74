import { Agent, request as httpRequest } from 'node:http';
import type { LoadResult, RequestFactory } from './load';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Sends one request of the factory's and reads its answer to the end: the status (null when the
 * connection failed) and when the answer was in.
 */
function sendOne(
  target: URL,
  agent: Agent,
  next: ReturnType<RequestFactory>,
): Promise<{ status: number | null; at: number }> {
  return new Promise((resolve) => {
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
        res.on('end', () => resolve({ status: res.statusCode ?? 500, at: performance.now() }));
      },
    );
    req.on('error', () => resolve({ status: null, at: performance.now() }));
    req.end(next.body);
  });
}

/**
 * An open-loop load at a fixed rate, requests spread evenly over time. autocannon's own rate
 * option sends each second's requests in a burst at the start of the second, which measures a
 * burst at full speed, not a steady half load. Latency counts from when a request was due, so a
 * server that falls behind is charged for the wait (no coordinated omission). The first
 * `warmupSeconds` run at the same rate but are not counted: they absorb what the pause before the
 * run left behind (a freshly vacuumed and checkpointed database, idle connections), so the figures
 * are those of the steady load.
 */
export async function runPaced(options: {
  url: string;
  rate: number;
  durationSeconds: number;
  warmupSeconds?: number;
  connections: number;
  request: RequestFactory;
  /** Called when the first counted request is due (the warm-up is over). */
  onCounting?: () => void;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 0));
  const total = warmup + Math.round(options.rate * options.durationSeconds);
  const interval = 1000 / options.rate;
  const begun = performance.now();
  const started = begun + warmup * interval;
  const pending: Promise<void>[] = [];

  const send = async (due: number, counted: boolean) => {
    // Sent up to a millisecond early (below timer resolution): count from the send then.
    const from = Math.max(due, performance.now());
    const { status, at } = await sendOne(target, agent, options.request());
    if (!counted) return;
    if (status === null || status >= 300) errors++;
    // A broken connection is an error without a latency.
    if (status !== null) latencies.push(at - from);
  };

  for (let i = 0; i < total; i++) {
    const due = begun + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else await new Promise((resolve) => setImmediate(resolve));
    if (i === warmup) options.onCounting?.();
    pending.push(send(due, i >= warmup));
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

/**
 * Closed loop on one keep-alive connection: the next request leaves when the previous answer is
 * in. Latency with the resolution of `performance.now()` (autocannon's histogram counts whole
 * milliseconds, too coarse for a sub-millisecond p50 and for a ratio of two of them).
 */
export async function runSingle(options: {
  url: string;
  durationSeconds: number;
  request: RequestFactory;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + options.durationSeconds * 1000;
  while (performance.now() < end) {
    const next = options.request();
    const from = performance.now();
    const { status, at } = await sendOne(target, agent, next);
    latencies.push(at - from);
    if (status === null || status >= 300) errors++;
  }
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    connections: 1,
    offeredRate: null,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50: Math.round(percentile(latencies, 50) * 100) / 100,
    p99: Math.round(percentile(latencies, 99) * 100) / 100,
    requests: latencies.length,
    errors,
  };
}
