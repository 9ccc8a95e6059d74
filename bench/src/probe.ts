/**
 * Loaded into a server under test with `--import` (after tsx), so the app's code stays as it is:
 * measures what the process itself goes through, from inside it but outside the app.
 *
 * - SIGUSR2 opens a window: event-loop delay (`monitorEventLoopDelay`), GC pauses
 *   (PerformanceObserver 'gc') and the waits for a pooled database connection start counting
 *   afresh, and the CPU profiler starts when the harness left a file
 *   `<BENCH_PROBE_DIR>/profile-next` (taken once). The next SIGUSR2 closes the window and writes
 *   `window-<n>.json` (and `window-<n>.cpuprofile`) there, which the harness reads.
 * - BENCH_SQL_TRACE=<file>: every statement the process sends through `pg` is appended there as
 *   one JSON line, to show which SQL the app runs for one request (`pnpm --filter @otp-access/bench
 *   run trace-sql`); the bare reference servers copy those statements.
 */
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import {
  constants,
  createHistogram,
  type IntervalHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
  type RecordableHistogram,
} from 'node:perf_hooks';
import pg from 'pg';

const probeDir = process.env.BENCH_PROBE_DIR;
const traceFile = process.env.BENCH_SQL_TRACE;

if (traceFile) {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function traced(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (text) {
      appendFileSync(
        traceFile,
        `${JSON.stringify({ at: Date.now(), name: typeof first === 'object' ? (first.name ?? null) : null, text })}\n`,
      );
    }
    return original.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/**
 * How long a server's requests wait for a database connection, and hold one: every
 * `pg.Pool#connect` of the process (in the app, the pool Prisma and the SQL statements share, and
 * the limits' pool), from the call to the connection in hand, whether it found every connection
 * busy, and until its release. Counted only in an open window.
 */
interface PoolWaits {
  histogram: RecordableHistogram;
  /** From a connection in hand to its release: what a request keeps from the others. */
  held: RecordableHistogram;
  heldTotalMs: number;
  acquisitions: number;
  queued: number;
}
let poolWaits: PoolWaits | undefined;

/** Histograms record positive integers: microseconds, at least 1. */
const microseconds = (ms: number) => Math.max(1, Math.round(ms * 1000));

type Connect = (this: pg.Pool, ...args: unknown[]) => unknown;
const connect = pg.Pool.prototype.connect as Connect;
pg.Pool.prototype.connect = function timedConnect(this: pg.Pool, ...args: unknown[]) {
  const waits = poolWaits;
  if (!waits) return connect.apply(this, args);
  const asked = performance.now();
  const max = (this as pg.Pool & { options: { max: number } }).options.max;
  if (this.idleCount === 0 && this.totalCount >= max) waits.queued++;
  const acquired = (client?: unknown) => {
    const at = performance.now();
    waits.acquisitions++;
    waits.histogram.record(microseconds(at - asked));
    // The pool gives each checkout its own `release`; timing it is timing this checkout.
    const checkout = client as { release?: (...args: unknown[]) => unknown } | undefined;
    const release = checkout?.release;
    if (!checkout || typeof release !== 'function') return;
    checkout.release = function timedRelease(this: unknown, ...releaseArgs: unknown[]) {
      const heldMs = performance.now() - at;
      waits.held.record(microseconds(heldMs));
      waits.heldTotalMs += heldMs;
      return release.apply(this, releaseArgs);
    };
  };
  const [callback] = args;
  if (typeof callback === 'function') {
    return connect.call(this, (error: unknown, client: unknown, ...rest: unknown[]) => {
      acquired(error ? undefined : client);
      (callback as (...result: unknown[]) => void)(error, client, ...rest);
    });
  }
  return (connect.apply(this, args) as Promise<unknown>).then(
    (client) => {
      acquired(client);
      return client;
    },
    (error: unknown) => {
      acquired();
      throw error;
    },
  );
} as typeof pg.Pool.prototype.connect;

const gcKinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

interface Window {
  index: number;
  startedAt: number;
  histogram: IntervalHistogram;
  gc: { count: number; totalMs: number; longestMs: number; byKind: Record<string, number> };
  observer: PerformanceObserver;
  session: Session | undefined;
  rssPeakMb: number;
  poolWaits: PoolWaits;
  rssTimer: NodeJS.Timeout;
}

/** The histogram records the time between its timer's runs: the delay is what exceeds this. */
const RESOLUTION_MS = 10;

let windowCount = 0;
let open: Window | undefined;

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );

async function start(): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const gc: Window['gc'] = { count: 0, totalMs: 0, longestMs: 0, byKind: {} };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKinds[(entry.detail as { kind?: number } | undefined)?.kind ?? -1] ?? 'other';
      gc.count++;
      gc.totalMs += entry.duration;
      gc.longestMs = Math.max(gc.longestMs, entry.duration);
      gc.byKind[kind] = (gc.byKind[kind] ?? 0) + 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let session: Session | undefined;
  const profileRequest = path.join(probeDir!, 'profile-next');
  if (existsSync(profileRequest)) {
    rmSync(profileRequest);
    session = new Session();
    session.connect();
    await post(session, 'Profiler.enable');
    // 1 ms: fine enough for a 10 s window, cheap enough not to move the figures it explains.
    await post(session, 'Profiler.setSamplingInterval', { interval: 1000 });
    await post(session, 'Profiler.start');
  }
  const window: Window = {
    index: ++windowCount,
    startedAt: Date.now(),
    histogram,
    gc,
    observer,
    session,
    rssPeakMb: process.memoryUsage.rss() / 2 ** 20,
    poolWaits: {
      histogram: createHistogram(),
      held: createHistogram(),
      heldTotalMs: 0,
      acquisitions: 0,
      queued: 0,
    },
    rssTimer: setInterval(() => {
      window.rssPeakMb = Math.max(window.rssPeakMb, process.memoryUsage.rss() / 2 ** 20);
    }, 100),
  };
  window.rssTimer.unref();
  poolWaits = window.poolWaits;
  open = window;
}

async function stop(window: Window): Promise<void> {
  window.histogram.disable();
  window.observer.disconnect();
  poolWaits = undefined;
  clearInterval(window.rssTimer);
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
  const delay = (ns: number) => Math.max(0, ms(ns - RESOLUTION_MS * 1e6));
  const base = path.join(probeDir!, `window-${window.index}`);
  let profileFile: string | null = null;
  if (window.session) {
    const { profile: cpuProfile } = await post<{ profile: unknown }>(window.session, 'Profiler.stop');
    window.session.disconnect();
    profileFile = `${base}.cpuprofile`;
    writeFileSync(profileFile, JSON.stringify(cpuProfile));
  }
  const h = window.histogram;
  const seconds = (Date.now() - window.startedAt) / 1000;
  const waits = window.poolWaits;
  writeFileSync(
    `${base}.json`,
    JSON.stringify({
      seconds,
      eventLoopDelayMs: {
        p50: delay(h.percentile(50)),
        p99: delay(h.percentile(99)),
        max: delay(h.max),
        mean: delay(h.mean),
      },
      gc: {
        count: window.gc.count,
        totalMs: Math.round(window.gc.totalMs * 100) / 100,
        longestMs: Math.round(window.gc.longestMs * 100) / 100,
        byKind: window.gc.byKind,
      },
      poolWait: {
        acquisitions: waits.acquisitions,
        queued: waits.queued,
        p50Ms: ms(waits.histogram.percentile(50) * 1000),
        p99Ms: ms(waits.histogram.percentile(99) * 1000),
        maxMs: ms(waits.histogram.max * 1000),
        heldP50Ms: ms(waits.held.percentile(50) * 1000),
        heldP99Ms: ms(waits.held.percentile(99) * 1000),
        // Little's law: connections in use on average over the window.
        busyConnections: Math.round((waits.heldTotalMs / 1000 / seconds) * 100) / 100,
      },
      rssPeakMb: Math.round(window.rssPeakMb),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      profile: profileFile,
    }),
  );
}

if (probeDir) {
  mkdirSync(probeDir, { recursive: true });
  let busy = Promise.resolve();
  process.on('SIGUSR2', () => {
    busy = busy
      .then(async () => {
        if (open) {
          const window = open;
          open = undefined;
          await stop(window);
        } else {
          await start();
        }
      })
      .catch((error: unknown) => console.error('bench probe:', error));
  });
}
