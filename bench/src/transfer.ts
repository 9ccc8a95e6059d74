/**
 * Load for builds: large bodies, where autocannon (made for many small requests) would measure
 * its own parser. Downloads: `connections` loops, each downloading the file again as soon as the
 * last one ended, for a fixed time; bytes are counted as they arrive, so a download still running
 * at the end of the window counts with what it received. Uploads: `connections` loops sending a
 * multipart body streamed from disk, each upload waited for in full.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';

export interface TransferResult {
  connections: number;
  seconds: number;
  bytes: number;
  /** MiB per second over the window. */
  mibPerSecond: number;
  /** Transfers that finished within the window. */
  completed: number;
  /** Median time of one whole transfer, ms (null when none finished within the window). */
  p50Ms: number | null;
  /** Failed requests (a non-2xx answer or a broken connection before the end). */
  errors: number;
  /** The server process's CPU time over the window, seconds (user + system). */
  serverCpuSeconds: number;
  /** Server CPU seconds per GiB moved. */
  cpuSecondsPerGiB: number;
  /** Peak resident memory of the server over the window, MB, and what it had just before. */
  rssBeforeMb: number;
  rssPeakMb: number;
  /** What the transfer answered, for uploads: the app's build ids to remove afterwards. */
  answers: string[];
}

const median = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** What the caller measures on the server around the window (CPU time and memory). */
export interface ServerMeter {
  cpuSeconds(): number;
  rssMb(): number;
  sampleRss(): () => number;
}

/** One window's pool of keep-alive connections, its end, and what its transfers add up to. */
interface TransferWindow {
  agent: http.Agent;
  started: number;
  deadline: number;
  bytes: number;
  errors: number;
  durations: number[];
  answers: string[];
}

/** Runs one window between readings of the server's CPU time and memory; `run` answers its seconds. */
async function metered(
  options: { meter: ServerMeter; connections: number; durationSeconds: number },
  run: (window: TransferWindow) => Promise<number>,
): Promise<TransferResult> {
  const { meter, connections } = options;
  const rssBeforeMb = Math.round(meter.rssMb());
  const stopRss = meter.sampleRss();
  const cpuBefore = meter.cpuSeconds();
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const started = performance.now();
  const window: TransferWindow = {
    agent,
    started,
    deadline: started + options.durationSeconds * 1000,
    bytes: 0,
    errors: 0,
    durations: [],
    answers: [],
  };
  const seconds = await run(window);
  agent.destroy();
  const { bytes, durations, errors, answers } = window;
  const serverCpuSeconds = meter.cpuSeconds() - cpuBefore;
  const rssPeakMb = stopRss();
  const gib = bytes / 2 ** 30;
  return {
    connections,
    seconds: Math.round(seconds * 100) / 100,
    bytes,
    mibPerSecond: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
    completed: durations.length,
    p50Ms: durations.length ? Math.round(median(durations)) : null,
    errors,
    serverCpuSeconds: Math.round(serverCpuSeconds * 100) / 100,
    cpuSecondsPerGiB: gib > 0 ? Math.round((serverCpuSeconds / gib) * 100) / 100 : Number.NaN,
    rssBeforeMb,
    rssPeakMb,
    answers,
  };
}

/** Each of `connections` runs `one` again as soon as the last ended, while the window lasts. */
async function loopUntilDeadline(
  window: TransferWindow,
  connections: number,
  one: (connection: number) => Promise<void>,
) {
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      while (performance.now() < window.deadline) await one(connection);
    }),
  );
}

/**
 * `connections` concurrent download loops of `url + path` for `durationSeconds`. `headers(i)` gives
 * connection i its own headers (each loop is one OTP user with a session of its own).
 */
export function runDownloads(options: {
  url: string;
  path: string;
  headers: (connection: number) => Record<string, string>;
  connections: number;
  durationSeconds: number;
  meter: ServerMeter;
}): Promise<TransferResult> {
  return metered(options, async (window) => {
    const open = new Set<http.ClientRequest>();
    const timer = setTimeout(() => {
      for (const request of open) request.destroy();
    }, options.durationSeconds * 1000);
    const one = (connection: number) =>
      new Promise<void>((resolve) => {
        const began = performance.now();
        const request = http.get(
          `${options.url}${options.path}`,
          { agent: window.agent, headers: options.headers(connection) },
          (response) => {
            if (response.statusCode !== 200) {
              window.errors++;
              response.resume();
              response.on('end', resolve);
              response.on('error', () => resolve());
              return;
            }
            const expected = Number(response.headers['content-length']);
            let received = 0;
            response.on('data', (chunk: Buffer) => {
              received += chunk.length;
              if (performance.now() <= window.deadline) window.bytes += chunk.length;
            });
            response.on('end', () => {
              if (received === expected) window.durations.push(performance.now() - began);
              else window.errors++;
              resolve();
            });
            // Cut at the end of the window: what arrived counts, the download is not an error.
            response.on('error', () => resolve());
            response.on('aborted', () => resolve());
          },
        );
        open.add(request);
        request.on('close', () => {
          open.delete(request);
          resolve();
        });
        request.on('error', () => {
          if (performance.now() < window.deadline) window.errors++;
          resolve();
        });
      });
    await loopUntilDeadline(window, options.connections, one);
    clearTimeout(timer);
    return options.durationSeconds;
  });
}

/** The multipart request `curl -F file=@<file> [-F name=value]` sends, streamed from disk. */
export function multipartUpload(file: string, fileName: string, fields: Record<string, string> = {}) {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(file).size;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + size + tail.length,
    fileBytes: size,
    body: () =>
      Readable.from(
        (async function* () {
          yield head;
          yield* createReadStream(file, { highWaterMark: 256 * 1024 });
          yield tail;
        })(),
      ),
  };
}

/** POSTs a multipart upload and reads the whole answer; rejects when the connection fails. */
export function postUpload(
  url: string,
  upload: ReturnType<typeof multipartUpload>,
  headers: Record<string, string>,
  agent?: http.Agent,
): Promise<{ statusCode: number | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': upload.contentType, 'content-length': String(upload.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ statusCode: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    upload.body().pipe(request);
  });
}

/**
 * `connections` upload loops of `file` to `url + path` for about `durationSeconds`: a new upload
 * starts while the window lasts, and every started upload is waited for, so the throughput is the
 * bytes of whole uploads over the time they took. `answer` picks what to keep of a 200's JSON.
 */
export function runUploads(options: {
  url: string;
  path: string;
  headers: Record<string, string>;
  file: string;
  connections: number;
  durationSeconds: number;
  meter: ServerMeter;
  answer: (json: unknown) => string | undefined;
}): Promise<TransferResult> {
  return metered(options, async (window) => {
    const one = async () => {
      const upload = multipartUpload(options.file, path.basename(options.file));
      const began = performance.now();
      let answer: { statusCode: number | undefined; text: string };
      try {
        answer = await postUpload(`${options.url}${options.path}`, upload, options.headers, window.agent);
      } catch {
        window.errors++;
        return;
      }
      if (answer.statusCode !== 200) {
        window.errors++;
        return;
      }
      window.bytes += upload.fileBytes;
      window.durations.push(performance.now() - began);
      try {
        const kept = options.answer(JSON.parse(answer.text));
        if (kept) window.answers.push(kept);
      } catch {
        // Not JSON: nothing to keep.
      }
    };
    await loopUntilDeadline(window, options.connections, one);
    return (performance.now() - window.started) / 1000;
  });
}
