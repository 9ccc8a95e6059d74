import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Local stand-ins for provider APIs, for tests: each records the requests it receives so a test
 * can assert the exact wire format, and answers what the test scripts.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedReply {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body: unknown;
  contentType?: string;
}

export interface FakeProvider {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeProvider(
  reply: (request: RecordedRequest) => ScriptedReply,
): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const { status, body, contentType } = reply(request);
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': contentType ?? 'application/json; charset=utf-8' });
      res.end(text);
    });
  });
  return { baseUrl: await listen(server), requests, close: () => closeServer(server) };
}

/** Accepts requests and never answers them. */
export async function startSilentServer(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = createServer(() => {});
  return { baseUrl: await listen(server), close: () => closeServer(server) };
}

/** A URL on which nothing listens: the port was just bound and released. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
