import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { createLocalBuildStorage } from '../services/builds/storage';
import { makeIpa, multipartRequest, tempDir } from '../testing/builds';
import { assertConformant } from '../testing/conformance';
// Much the same fixtures as openapi.test.ts: both walk every documented operation.
import {
  callerAsUser,
  createTestOrganization,
  netgsmSettingBody,
  sessionCookieFor,
  sinkMailSetting,
  storeSessionCookieFor,
  TEST_PASSWORD,
  type TestOrganization,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { buildOpenApiDocument } from './openapi';

/**
 * An outside tool reads the document and checks the server against it: Stoplight Prism as a
 * validating proxy in front of a real server, through the flows of both APIs, the sign-in and the
 * download. Prism reports every request or response that breaks the document in the
 * `sl-violations` header (and, with `--errors`, answers a request violation itself): the flows
 * below send valid requests only, so any violation, or a status the document does not list,
 * fails.
 *
 * Binary bodies: Prism validates a multipart/form-data upload part by part, but it reads every
 * request body as UTF-8 text before forwarding it (stoplightio/prism#1321, #2349), so a binary
 * build (an IPA is a zip) reaches the server altered. Uploads through Prism are therefore text
 * files; the IPA goes straight to the server and its answer is checked against the same document.
 */
const document = buildOpenApiDocument();
const documented = (method: string, pathname: string, status: number) => {
  const match = Object.entries(document.paths).find(([template]) =>
    new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
  );
  const operation = (match?.[1] as Record<string, { responses: Record<string, unknown> }> | undefined)?.[
    method.toLowerCase()
  ];
  return operation?.responses[String(status)] !== undefined;
};

let server: Server;
let prism: ChildProcess;
let prismUrl: string;
let upstream: string;
let prismLog = '';
let workDir: string;
let sink: MailSink;
let org: TestOrganization;
/** Small, so the 413 of an oversized upload is cheap to reach. */
const BUILD_MAX_BYTES = 50_000;

async function freePort(): Promise<number> {
  if (process.env.PRISM_PORT) return Number(process.env.PRISM_PORT);
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  sink = await startMailSink();
  org = await createTestOrganization();
  const handlers = testHandlers({
    // The test's mail sink is on loopback (allowed here), and the operator's mail for admin codes.
    delivery: testDelivery({
      operatorMail: {
        smtpHost: sink.host,
        smtpPort: sink.port,
        transportStrategy: 'SMTP',
        fromAddress: 'operator@test.example',
      },
    }),
    storage: createLocalBuildStorage(await tempDir('prism-builds')),
    buildMaxBytes: BUILD_MAX_BYTES,
  });
  server = createServer(
    getRequestListener((request) => handlers.route(request) ?? new Response(null, { status: 404 })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  workDir = mkdtempSync(path.join(tmpdir(), 'otp-prism-'));
  const file = path.join(workDir, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const port = await freePort();
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
    'dist/index.js',
  );
  prism = spawn(
    process.execPath,
    [cli, 'proxy', file, upstream, '--errors', '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  prism.stdout!.on('data', (chunk) => {
    prismLog += chunk;
  });
  prism.stderr!.on('data', (chunk) => {
    prismLog += chunk;
  });
  prismUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (prism.exitCode !== null) throw new Error(`Prism exited:\n${prismLog}`);
    const up = await fetch(`${prismUrl}/api/health`).catch(() => undefined);
    if (up?.ok) break;
    if (Date.now() > deadline) throw new Error(`Prism did not start:\n${prismLog}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 60_000);

afterAll(async () => {
  prism?.kill();
  await new Promise((resolve) => server?.close(resolve));
  await sink?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface Seen {
  status: number;
  body: unknown;
  headers: Headers;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document, then read field by field.
type Body = any;

/** One request through Prism: it must pass, and its answer must be what the document says. */
async function through(
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: unknown; form?: FormData } = {},
): Promise<Seen & { body: Body }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${prismUrl}${pathAndQuery}`, {
    method,
    headers,
    // A FormData body: fetch writes the multipart/form-data content type with its boundary.
    ...(options.form ? { body: options.form } : {}),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const where = `${method} ${pathAndQuery} → ${response.status}`;
  expect(response.headers.get('sl-violations'), `${where}: Prism found violations`).toBeNull();
  expect(documented(method, pathAndQuery.split('?')[0]!, response.status), `${where} is documented`).toBe(
    true,
  );
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, body, headers: response.headers };
}

describe('the server behind Prism (validating proxy)', () => {
  it('Applivery-compatible API: stores, applications, OTP users, and its errors', async () => {
    const key = { authorization: `Bearer ${org.apiKey}` };
    const v1 = `/v1/organizations/${org.slug}`;
    const users = `${v1}/stores/${org.storeId}/otp-users`;
    expect((await through('GET', `${v1}/stores?page=1&limit=10`, { headers: key })).status).toBe(200);
    expect(
      (await through('GET', `${v1}/stores/${org.storeId}/published-applications`, { headers: key })).status,
    ).toBe(200);
    const body = {
      email: ['prism-a@example.com', 'prism-b@example.com'],
      publishedApplicationId: org.publishedApplicationId,
    };
    const created = await through('POST', users, { headers: key, body });
    expect(created.status).toBe(200);
    const id = created.body.data[0].id as string;
    expect((await through('POST', users, { headers: key, body })).status).toBe(409);
    expect(
      (await through('GET', `${users}?sort=email:desc&email=prism&limit=5`, { headers: key })).body.data
        .totalDocs,
    ).toBe(2);
    expect((await through('GET', `${users}/${id}`, { headers: key })).status).toBe(200);
    expect(
      (await through('PUT', `${users}/${id}`, { headers: key, body: { allowedDownloadsNum: -1 } })).body.data
        .allowedDownloadsNum,
    ).toBe(-1);
    expect((await through('GET', `${users}/${'f'.repeat(24)}`, { headers: key })).status).toBe(404);
    // A valid request the key is not allowed to make.
    const readOnly = { authorization: `Bearer ${await org.createApiKey(['mad.store.otpUsers.list'])}` };
    expect((await through('DELETE', `${users}/${id}`, { headers: readOnly })).status).toBe(403);
    expect((await through('DELETE', `${users}/${id}`, { headers: key })).body).toEqual({
      status: true,
      data: { delete: true },
    });
    // Another organization's slug is 404, never 403.
    expect((await through('GET', `/v1/organizations/nobody-here/stores`, { headers: key })).status).toBe(404);
  });

  it('OTP settings: every provider, the list, a test send; X-Space is a header the server checks', async () => {
    const session = { cookie: await sessionCookieFor(org.members.OWNER.userId), 'x-space': org.slug };
    const put = (provider: string, body: Record<string, unknown>) =>
      through('PUT', `/api/otp/settings/${provider}`, { headers: session, body });
    expect((await put('mail/default', sinkMailSetting(sink.port, 'otp@test.example'))).status).toBe(200);
    expect(
      (
        await put('sms/twilio', {
          isDefault: true,
          type: 'SMS',
          provider: 'TWILIO',
          accountSid: `AC${'ab'.repeat(16)}`,
          authToken: 'token',
          twilioNumber: '+15005550006',
        })
      ).body.authTokenSet,
    ).toBe(true);
    expect(
      (
        await put('sms/netgsm', {
          isDefault: false,
          type: 'SMS',
          provider: 'NETGSM',
          username: 'u',
          header: 'H',
        })
      ).status,
    ).toBe(400); // a new setting needs every field of its provider
    expect((await put('sms/netgsm', { ...netgsmSettingBody(), bayiCode: 'b' })).status).toBe(200);
    expect(
      (
        await put('sms/dataport', {
          isDefault: false,
          type: 'SMS',
          provider: 'DATAPORT',
          originator: 'DEMO',
          shortNumber: '3434',
          operator: 'TT',
          username: 'u',
          accountNumber: '1',
          password: 'p',
        })
      ).status,
    ).toBe(200);
    expect((await through('GET', '/api/otp/settings', { headers: session })).body).toHaveLength(4);
    const sent = await through('POST', '/api/otp/settings/test', {
      headers: session,
      body: { type: 'MAIL', to: 'prism@test.example' },
    });
    expect(sent.body.delivered).toBe(true);
    // The document lets a request without X-Space through; the server answers it 400.
    expect((await through('GET', '/api/otp/settings', { headers: { cookie: session.cookie } })).status).toBe(
      400,
    );
    // The same API with an API key instead of the session.
    expect(
      (await through('GET', '/api/otp/settings', { headers: { authorization: `Bearer ${org.apiKey}` } }))
        .status,
    ).toBe(200);
  });

  it('admin sign-in: login, refresh, logout, and two-factor validate', async () => {
    const admin = org.members.ADMIN;
    expect(
      (await through('POST', '/login', { body: { username: admin.email, password: 'wrong password' } }))
        .status,
    ).toBe(401);
    const login = await through('POST', '/login', {
      body: { username: admin.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(200);
    // Prism joins the two Set-Cookie headers into one; the cookies are all there.
    const cookies = [
      ...(login.headers.get('set-cookie') ?? '').matchAll(/(ins_access_token|ins_refresh_token)=([^;,\s]+)/g),
    ].map(([cookie]) => cookie);
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['ins_access_token', 'ins_refresh_token']);
    const refreshed = await through('POST', '/refresh', { headers: { cookie: cookies.join('; ') } });
    expect(refreshed.status).toBe(200);
    const rotated = [
      ...(refreshed.headers.get('set-cookie') ?? '').matchAll(
        /(ins_access_token|ins_refresh_token)=([^;,\s]+)/g,
      ),
    ].map(([cookie]) => cookie);
    expect((await through('POST', '/logout', { headers: { cookie: rotated.join('; ') } })).body).toEqual({
      status: 'ok',
    });

    const viewer = org.members.VIEWER;
    await (await callerAsUser(viewer.userId, org.slug)).auth.setTwoFactor({ otpType: 'MAIL' });
    // Codes for admins go through the space's default mail setting: the test above pointed it at the sink.
    const asked = await through('POST', '/login', {
      body: { username: viewer.email, password: TEST_PASSWORD },
    });
    expect(asked.body).toMatchObject({ otp_required: true, otp_type: 'MAIL' });
    const code = /\b(\d{6})\b/.exec((await sink.waitFor((m) => m.to.includes(viewer.email))).text)![1]!;
    expect(
      (await through('POST', '/validate', { body: { username: viewer.email, otp_code: code } })).status,
    ).toBe(200);
    expect(
      (await through('POST', '/validate', { body: { username: viewer.email, otp_code: code } })).status,
    ).toBe(401);
  });

  it('stores: create, rename, delete', async () => {
    const key = { authorization: `Bearer ${org.apiKey}` };
    const stores = `/v1/organizations/${org.slug}/stores`;
    const created = await through('POST', stores, {
      headers: key,
      body: { name: 'Prism Store', description: 'Made through the proxy' },
    });
    expect(created.body.data).toMatchObject({ name: 'Prism Store', description: 'Made through the proxy' });
    const one = `${stores}/${created.body.data.id}`;
    expect(
      (await through('PUT', one, { headers: key, body: { name: 'Prism Store 2' } })).body.data,
    ).toMatchObject({ name: 'Prism Store 2', description: 'Made through the proxy' });
    expect((await through('DELETE', one, { headers: key })).body.data).toEqual({ delete: true });
    expect((await through('DELETE', one, { headers: key })).status).toBe(404);
  });

  it('publishing: an application, a multipart upload, the published build, and its download with and without Range', async () => {
    const key = { authorization: `Bearer ${org.apiKey}` };
    const v1 = `/v1/organizations/${org.slug}`;
    const apps = `${v1}/stores/${org.storeId}/published-applications`;
    const app = await through('POST', apps, { headers: key, body: { name: 'Prism App' } });
    expect(app.status).toBe(200);
    const builds = `${apps}/${app.body.data.id}/builds`;

    const form = (text: string, name: string, fields: Record<string, string> = {}) => {
      const body = new FormData();
      for (const [field, value] of Object.entries(fields)) body.set(field, value);
      body.set('file', new Blob([text], { type: 'application/octet-stream' }), name);
      return body;
    };
    // Through Prism: a text build (Prism checks the parts: `file` given, `publish` in its enum).
    const notes = await through('POST', builds, {
      headers: key,
      form: form('release notes\n', 'notes.txt', { publish: 'false' }),
    });
    expect(notes.body.data).toMatchObject({ kind: 'FILE', size: 14, published: false });
    const tooLarge = await through('POST', builds, {
      headers: key,
      form: form('0'.repeat(BUILD_MAX_BYTES + 1), 'big.txt'),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 6002, data: { maxBytes: BUILD_MAX_BYTES } });

    // Straight to the server (Prism would re-encode its bytes), answer checked against the document.
    const ipa = await makeIpa({ bundleId: 'com.example.prism', version: '3.1.4', build: '15' });
    const ipaRequest = multipartRequest(
      `${upstream}${builds}`,
      { name: 'Prism.ipa', bytes: ipa },
      { headers: key },
    );
    const ipaResponse = await fetch(ipaRequest.clone());
    await assertConformant(ipaRequest, ipaResponse.clone());
    const uploaded = { body: (await ipaResponse.json()) as Body };
    expect(uploaded.body.data).toMatchObject({ kind: 'IPA', version: '3.1.4', size: ipa.length });
    expect((await through('GET', `${builds}?page=1&limit=10`, { headers: key })).body.data.totalDocs).toBe(2);
    const publish = (buildId: string) =>
      through('PUT', `${apps}/${app.body.data.id}/published-build`, { headers: key, body: { buildId } });
    const ipaId = uploaded.body.data.id as string;
    expect((await publish(ipaId)).body.data).toMatchObject({ publishedBuildId: ipaId, version: '3.1.4' });
    expect((await through('DELETE', `${builds}/${ipaId}`, { headers: key })).status).toBe(409);
    // The text build is what OTP users download here: its bytes come back through Prism intact.
    expect((await publish(notes.body.data.id)).body.data.publishedBuildId).toBe(notes.body.data.id);
    expect((await through('DELETE', `${builds}/${ipaId}`, { headers: key })).body.data).toEqual({
      delete: true,
    });

    // An OTP user of the application downloads it: whole, then a range, then past the end.
    await through('POST', `${v1}/stores/${org.storeId}/otp-users`, {
      headers: key,
      body: { email: 'prism-app@example.com', publishedApplicationId: app.body.data.id },
    });
    const store = { cookie: await storeSessionCookieFor(org.storeId, 'prism-app@example.com') };
    const download = `/api/store/${org.storeId}/apps/${app.body.data.id}/download`;
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const whole = await through('GET', download, { headers: store });
    expect(whole.status).toBe(200);
    expect(text(whole.body)).toBe('release notes\n');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('etag')).toBe(`"${notes.body.data.sha256}"`);
    expect(whole.headers.get('content-disposition')).toContain('filename="notes.txt"');
    const part = await through('GET', download, { headers: { ...store, range: 'bytes=8-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 8-13/14');
    expect(text(part.body)).toBe('notes\n');
    const past = await through('GET', download, { headers: { ...store, range: 'bytes=14-' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */14');
  });

  it('store download, health, readiness and the document itself', async () => {
    const key = { authorization: `Bearer ${org.apiKey}` };
    await through('POST', `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`, {
      headers: key,
      body: {
        email: 'prism-dl@example.com',
        publishedApplicationId: org.publishedApplicationId,
        allowedDownloadsNum: 1,
      },
    });
    const store = { cookie: await storeSessionCookieFor(org.storeId, 'prism-dl@example.com') };
    const download = `/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
    const first = await through('GET', download, { headers: { ...store, range: 'bytes=0-' } });
    expect([200, 206]).toContain(first.status);
    expect(first.body).toEqual(new Uint8Array([1, 2, 3]));
    expect((await through('GET', download, { headers: store })).status).toBe(403); // allowance spent
    expect((await through('GET', '/api/health')).body).toEqual({ status: 'ok' });
    expect((await through('GET', '/api/ready')).body).toMatchObject({ ready: true });
    expect((await through('GET', '/api/openapi.json')).body).toMatchObject({ openapi: '3.1.0' });
  });
});
