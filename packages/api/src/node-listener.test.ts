import { rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeListener } from './node-listener';
import { createLocalBuildStorage } from './services/builds/storage';
import { multipartRequest, sha256, tempDir } from './testing/builds';
import {
  callerFor,
  createTestOrganization,
  storeSessionCookieFor,
  type TestOrganization,
  testHandlers,
} from './testing/fixtures';

/*
 * On node:http a stored build is written from reused buffers instead of the handlers' web stream
 * (see node-listener.ts). What a client receives must not change: the same bytes, whole or by
 * range, the same headers, and a client that goes away mid-download costs the server nothing.
 */

const SIZE = 3 * 1024 * 1024 + 12_345; // several 256 KiB chunks and a short last one
const bytes = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i++) bytes[i] = (i * 7919 + 13) % 251;

// The per-file state of a test that stores builds, as in router/build/build.test.ts.
let dir: string;
let server: Server;
let baseUrl: string;
let org: TestOrganization;
let cookie: string;
let downloadPath: string;

beforeAll(async () => {
  dir = await tempDir('node-listener');
  const handlers = testHandlers({ storage: createLocalBuildStorage(dir) });
  server = createServer(createNodeListener(handlers.route));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  org = await createTestOrganization();
  const uploaded = await fetch(
    multipartRequest(
      `${baseUrl}/v1/organizations/${org.slug}/stores/${org.storeId}/published-applications/${org.publishedApplicationId}/builds`,
      { name: 'big.bin', bytes },
      { headers: { authorization: `Bearer ${org.apiKey}` }, fields: { publish: 'true' } },
    ),
  );
  expect(uploaded.status).toBe(200);
  const email = 'streams@node-listener.example';
  await callerFor(org.apiKey).otpUser.create({
    storeId: org.storeId,
    data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: -1 },
  });
  cookie = await storeSessionCookieFor(org.storeId, email);
  downloadPath = `/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const download = (range?: string) =>
  fetch(`${baseUrl}${downloadPath}`, { headers: { cookie, ...(range ? { range } : {}) } });

describe('API answers on node:http', () => {
  it('carry the request id once, and a JSON answer its type, caching and length', async () => {
    const response = await fetch(`${baseUrl}/v1/organizations/${org.slug}/stores`, {
      headers: { authorization: `Bearer ${org.apiKey}`, 'x-request-id': 'trace-node-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-node-1');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(JSON.parse(body)).toMatchObject({ status: true });
  });

  it("answer a tRPC call with tRPC's headers and a new request id", async () => {
    const response = await fetch(`${baseUrl}/api/trpc/store.list?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('vary')).toBe('trpc-accept, accept');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('builds served on node:http', () => {
  it('sends the whole build, byte for byte, with its length and ETag', async () => {
    const response = await download();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    expect(response.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('sends exactly the range asked for, across chunk boundaries', async () => {
    const start = 256 * 1024 - 7;
    const end = 2 * 256 * 1024 + 100;
    const response = await download(`bytes=${start}-${end}`);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(body.length).toBe(end - start + 1);
    expect(sha256(body)).toBe(sha256(bytes.subarray(start, end + 1)));

    const tail = await download('bytes=-10');
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(SIZE - 10));
  });

  it('serves the next client after one that went away mid-download', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${baseUrl}${downloadPath}`, { headers: { cookie } }, (response) => {
        expect(response.statusCode).toBe(200);
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      request.end();
    });
    const again = await download();
    expect(sha256(new Uint8Array(await again.arrayBuffer()))).toBe(sha256(bytes));
  });
});
