import { ReadStream, read } from 'node:fs';
import { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { AnswerHeaders } from './http';

/**
 * The API's `Request -> Response` handlers on node:http, with one exception to the web streams
 * they answer with: a response made by `streamedResponse` is written from its Node stream.
 *
 * Why: a build is hundreds of MB, and a file read stream allocates a new buffer per 64 KiB chunk.
 * That memory lives outside the JavaScript heap, and V8 answers its growth with full garbage
 * collections, each of which walks the whole heap; in the web server's process (the pages' heap is
 * about 100 MB) that made downloads cost several times the CPU of a bare file server. Written here,
 * a file is read into four buffers reused for the whole download, each refilled only once the
 * socket is done with it, so a download allocates nothing per chunk.
 */
export function createNodeListener(
  route: (request: Request, answer?: AnswerHeaders) => Promise<Response> | undefined,
) {
  return getRequestListener(async (request, env) => {
    const outgoing = env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
    const response = await (route(request, outgoing) ?? new Response(null, { status: 404 }));
    const body = nodeBodies.get(response);
    if (!body || !outgoing) return response;
    await send(response, body, outgoing);
    // The adapter's own marker: it writes nothing more for this answer.
    return RESPONSE_ALREADY_SENT;
  });
}

const nodeBodies = new WeakMap<Response, Readable>();

/**
 * A response streaming `body`. Callers on web streams (tests, other runtimes) read it as one; the
 * web stream is only made when they do, so `createNodeListener` can take the Node stream unread.
 */
export function streamedResponse(body: Readable, init: ResponseInit): Response {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const web = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= (Readable.toWeb(body) as ReadableStream<Uint8Array>).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason);
        else body.destroy();
      },
    },
    // Nothing is read before a consumer asks.
    { highWaterMark: 0 },
  );
  const response = new Response(web, init);
  nodeBodies.set(response, body);
  return response;
}

async function send(response: Response, body: Readable, out: ServerResponse) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  out.writeHead(response.status, headers);
  try {
    if (body instanceof ReadStream) await sendFile(body as FileStream, out);
    else await pipeline(body, out);
  } catch (error) {
    // The client went away or the source failed mid-answer: the status is sent, so all that is
    // left is to cut the connection (a short body the client can tell from a whole one).
    body.destroy();
    out.destroy(error instanceof Error ? error : undefined);
  }
}

const CHUNK_BYTES = 256 * 1024;
const BUFFERS = 4;

/** What an fs read stream keeps of its file (Node's own fields, not in its type declarations). */
type FileStream = ReadStream & { fd: number | null; start?: number; end?: number };

/** Reads the file behind `stream` (its own descriptor and byte range) into reused buffers. */
async function sendFile(stream: FileStream, out: ServerResponse) {
  try {
    if (stream.pending)
      await new Promise<void>((resolve, reject) =>
        stream.once('ready', () => resolve()).once('error', reject),
      );
    const fd = stream.fd as number;
    const end = stream.end ?? Number.POSITIVE_INFINITY; // inclusive, as fs streams count it
    let position = stream.start ?? 0;
    const free = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafeSlow(CHUNK_BYTES));
    // The buffers bound what the socket holds (1 MiB): a slow client makes the loop wait for one.
    let wake: (() => void) | undefined;
    const signal = () => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    // A closed socket calls back no more writes: the waiting loop must wake up to notice.
    out.once('close', signal);
    while (position <= end) {
      if (out.destroyed) throw new Error('The client closed the connection');
      const buffer = free.pop();
      if (!buffer) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const length = Math.min(CHUNK_BYTES, end - position + 1);
      const bytesRead = await new Promise<number>((resolve, reject) =>
        read(fd, buffer, 0, length, position, (error, count) => (error ? reject(error) : resolve(count))),
      );
      if (bytesRead === 0) {
        free.push(buffer);
        break;
      }
      position += bytesRead;
      // The socket holds the buffer until this callback: only then may it be filled again.
      out.write(buffer.subarray(0, bytesRead), () => {
        free.push(buffer);
        signal();
      });
    }
    out.off('close', signal);
    await new Promise<void>((resolve) => out.end(resolve));
  } finally {
    stream.destroy();
  }
}
