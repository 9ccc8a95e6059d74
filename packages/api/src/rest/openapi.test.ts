import { readFile, writeFile } from 'node:fs/promises';
import { apiKeyPrefix } from '@otp-access/db';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { createLocalBuildStorage } from '../services/builds/storage';
import { makeIpa, multipartRequest, tempDir } from '../testing/builds';
import { compileDocumentSchema, conformantRoutes, errorsText } from '../testing/conformance';
import {
  callerAsUser,
  createTestOrganization,
  sessionCookieFor,
  sinkMailSetting,
  storeSessionCookieFor,
  TEST_PASSWORD,
  type TestOrganization,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { appliveryRoutes } from './applivery';
import { buildOpenApiDocument, OPERATIONS, permissionOf, type RecordedExamples } from './openapi';
import { SESSION_PATHS } from './session';
import { settingsRoutes } from './settings';

/**
 * The document against the server: every route is in it and every operation is answered; real
 * answers match it; and the examples it shows (`openapi.examples.json`) are real answers, compared
 * with what the server answers now (ids, dates and timings aside). `OPENAPI_RECORD=1` re-records
 * them after a deliberate change.
 */
const EXAMPLES_FILE = new URL('./openapi.examples.json', import.meta.url);
const RECORD = process.env.OPENAPI_RECORD === '1';

const document = buildOpenApiDocument();
/** Small enough that an upload reaches the 413 cheaply. */
const BUILD_MAX_BYTES = 20_000;
/** The test's mail sink is on loopback (allowed here); it is also the operator's mail, once started. */
const delivery = testDelivery();
const handlers = conformantRoutes(
  testHandlers({
    delivery,
    storage: createLocalBuildStorage(await tempDir('openapi-builds')),
    buildMaxBytes: BUILD_MAX_BYTES,
  }),
);

type Operation = {
  operationId: string;
  'x-permission'?: string;
  requestBody?: { content: Record<string, { schema: object; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: object; example?: unknown }> }>;
};
const paths = document.paths as Record<string, Record<string, Operation>>;
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const operations = Object.entries(paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    template,
    method: method.toUpperCase(),
    pattern: new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    operation,
  })),
);
const operationAt = (method: string, pathname: string) =>
  operations.find((o) => o.method === method && o.pattern.test(pathname));

let sink: MailSink;
let org: TestOrganization;
beforeAll(async () => {
  sink = await startMailSink();
  delivery.operatorMail = {
    smtpHost: sink.host,
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'operator@test.example',
  };
  org = await createTestOrganization();
});
afterAll(async () => {
  await sink.stop();
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served at /api/openapi.json', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const served = await handlers.route(new Request('http://localhost/api/openapi.json'))!;
    expect(await served.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('describes every route the server answers, and the server answers every operation it describes', async () => {
    const described = (method: string, path: string) => operationAt(method, path)?.template;
    for (const route of appliveryRoutes)
      expect(described(route.method, openApiPath(route.path)), route.path).toBe(openApiPath(route.path));
    for (const route of settingsRoutes)
      expect(described(route.method, route.path), route.path).toBe(route.path);
    for (const path of SESSION_PATHS) expect(described('POST', path), path).toBe(path);
    for (const path of ['/api/health', '/api/ready', '/api/openapi.json'])
      expect(described('GET', path), path).toBe(path);
    expect(described('GET', '/api/store/{storeId}/apps/{publishedApplicationId}/download')).toBeDefined();

    // The other way round: each documented operation reaches a handler that knows the route.
    for (const { template, method } of operations) {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'organizationSlug' ? org.slug : 'f'.repeat(24),
      );
      const response = await handlers.route(new Request(`http://localhost${path}`, { method }));
      expect(response, `${method} ${template} is routed`).toBeDefined();
      const body = response!.headers.get('content-type')?.includes('json') ? await response!.json() : {};
      expect(String(body.error?.code ?? body.message), `${method} ${template}`).not.toMatch(
        /^(1002|Route not found)$/,
      );
    }
  });

  it('names every operation and states the permission its procedure checks', () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
    for (const entry of OPERATIONS) {
      const operation = paths[entry.path]![entry.method]!;
      expect(operation['x-permission']).toBe(entry.procedure ? permissionOf(entry.procedure) : undefined);
      if (entry.surface === 'applivery' || entry.surface === 'settings')
        expect(operation['x-permission'], entry.operationId).toMatch(/^(mad|otp)\./);
    }
    // Named shapes are referenced, not repeated.
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    for (const name of ['OtpUser', 'DeliverySetting', 'SpringError', 'ValidationError', 'ConflictError'])
      expect(schemas[name], name).toBeDefined();
    expect(JSON.stringify(paths)).not.toContain('"allowedDownloadsNum":{');
  });

  it('shows real answers as its examples, and the server still answers them', async () => {
    const live: RecordedExamples = {};
    const replacements: [string, string][] = [
      [org.slug, 'demo'],
      ['Test Store', 'Demo Store'],
      ['Test App', 'Demo App'],
      [`Test ${org.slug.slice(5)}`, 'Demo Inc.'],
      // The key's shown prefix (in `createdBy`) differs from run to run.
      [apiKeyPrefix(org.apiKey), 'oa_DEMOkey'],
      ...Object.values(org.members).map((m): [string, string] => [
        m.email,
        `${m.role.toLowerCase()}@demo.example`,
      ]),
    ];
    const scrub = (value: unknown) =>
      JSON.parse(JSON.stringify(value), (key, inner) => {
        if (key === 'smtpPort' && inner === sink.port) return 2525;
        if (key === 'otp_code') return '123456';
        if (typeof inner !== 'string') return inner;
        return replacements.reduce((text, [from, to]) => text.split(from).join(to), inner);
      });

    /** Sends a request; checks it matches its operation; records the first answer of each status. */
    async function call(
      operationId: string,
      method: string,
      path: string,
      options: {
        headers?: Record<string, string>;
        body?: unknown;
        record?: boolean;
        /** The body breaks the document's own request schema (and the server refuses it too). */
        invalid?: boolean;
      } = {},
    ) {
      const found = operationAt(method, path.split('?')[0]!);
      expect(found?.operation.operationId, `${method} ${path}`).toBe(operationId);
      const headers = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.body !== undefined) {
        const schema = found!.operation.requestBody!.content['application/json']!.schema;
        const validate = compileDocumentSchema(schema);
        expect(validate(options.body), `${operationId} request: ${errorsText(validate)}`).toBe(
          !options.invalid,
        );
      }
      const response = await handlers.route(
        new Request(`http://localhost${path}`, {
          method,
          headers,
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        }),
      )!;
      const json = response.headers.get('content-type')?.includes('json')
        ? await response.clone().json()
        : undefined;
      if (options.record !== false && json !== undefined && operationId !== 'operations.openapi') {
        live[operationId] ??= { responses: {} };
        const entry = live[operationId]!;
        if (options.body !== undefined && response.status < 300) entry.request ??= scrub(options.body);
        entry.responses[String(response.status)] ??= scrub(json);
      }
      return { status: response.status, body: json, response };
    }

    /** A build upload (multipart/form-data), checked and recorded like `call`. */
    async function upload(path: string, file: { name: string; bytes: Uint8Array }, fields = {}) {
      const found = operationAt('POST', path);
      expect(found?.operation.operationId, `POST ${path}`).toBe('builds.upload');
      expect(Object.keys(found!.operation.requestBody!.content)).toEqual(['multipart/form-data']);
      const response = await handlers.route(
        multipartRequest(`http://localhost${path}`, file, { headers: key, fields }),
      )!;
      const json = await response.clone().json();
      live['builds.upload'] ??= { responses: {} };
      live['builds.upload']!.responses[String(response.status)] ??= scrub(json);
      return { status: response.status, body: json };
    }

    const key = { authorization: `Bearer ${org.apiKey}` };
    const v1 = `/v1/organizations/${org.slug}`;
    const users = `${v1}/stores/${org.storeId}/otp-users`;

    // Applivery-compatible API.
    expect((await call('stores.list', 'GET', `${v1}/stores?page=1&limit=20`, { headers: key })).status).toBe(
      200,
    );
    expect(
      (
        await call(
          'publishedApplications.list',
          'GET',
          `${v1}/stores/${org.storeId}/published-applications`,
          { headers: key },
        )
      ).status,
    ).toBe(200);
    const createBody = {
      email: ['ann@example.com', 'ben@example.com'],
      publishedApplicationId: org.publishedApplicationId,
      allowedDownloadsNum: 5,
    };
    const created = await call('otpUsers.create', 'POST', users, { headers: key, body: createBody });
    expect(created.status).toBe(200);
    const [ann, ben] = created.body.data as { id: string }[];
    expect(
      (
        await call('otpUsers.create', 'POST', users, {
          headers: key,
          body: { ...createBody, email: 'ben@example.com' },
        })
      ).body.error.data,
    ).toEqual({ emails: ['ben@example.com'] });
    expect(
      (
        await call('otpUsers.list', 'GET', `${users}?page=1&limit=20&sort=email:asc&email=example.com`, {
          headers: key,
        })
      ).body.data.totalDocs,
    ).toBe(2);
    expect((await call('otpUsers.list', 'GET', users)).status).toBe(401);
    expect((await call('otpUsers.get', 'GET', `${users}/${ann!.id}`, { headers: key })).status).toBe(200);
    expect((await call('otpUsers.get', 'GET', `${users}/${'f'.repeat(24)}`, { headers: key })).status).toBe(
      404,
    );
    expect(
      (
        await call('otpUsers.update', 'PUT', `${users}/${ann!.id}`, {
          headers: key,
          body: { allowedDownloadsNum: 7 },
        })
      ).body.data.allowedDownloadsNum,
    ).toBe(7);
    expect(
      (
        await call('otpUsers.update', 'PUT', `${users}/${ann!.id}`, {
          headers: key,
          body: { allowedDownloadsNum: 1.5 },
          invalid: true,
        })
      ).status,
    ).toBe(400);
    const listOnly = { authorization: `Bearer ${await org.createApiKey(['mad.store.otpUsers.list'])}` };
    expect(
      (await call('otpUsers.delete', 'DELETE', `${users}/${ben!.id}`, { headers: listOnly })).status,
    ).toBe(403);
    expect((await call('otpUsers.delete', 'DELETE', `${users}/${ben!.id}`, { headers: key })).status).toBe(
      200,
    );

    // Stores: create, rename, delete.
    const newStore = await call('stores.create', 'POST', `${v1}/stores`, {
      headers: key,
      body: { name: 'Field Store', description: 'Builds for the field team' },
    });
    expect(newStore.body.data).toMatchObject({
      name: 'Field Store',
      description: 'Builds for the field team',
    });
    expect(
      (
        await call('stores.create', 'POST', `${v1}/stores`, {
          headers: key,
          body: { name: '' },
          invalid: true,
        })
      ).status,
    ).toBe(400);
    const newStorePath = `${v1}/stores/${newStore.body.data.id}`;
    expect(
      (
        await call('stores.update', 'PUT', newStorePath, {
          headers: key,
          body: { description: 'Builds for the field and sales teams' },
        })
      ).body.data,
    ).toMatchObject({ name: 'Field Store', description: 'Builds for the field and sales teams' });
    expect((await call('stores.delete', 'DELETE', newStorePath, { headers: listOnly })).status).toBe(403);
    expect((await call('stores.delete', 'DELETE', newStorePath, { headers: key })).body.data).toEqual({
      delete: true,
    });
    expect((await call('stores.delete', 'DELETE', newStorePath, { headers: key })).status).toBe(404);

    // Publishing: an application, builds uploaded as multipart/form-data, the published build.
    const apps = `${v1}/stores/${org.storeId}/published-applications`;
    const createdApp = await call('publishedApplications.create', 'POST', apps, {
      headers: key,
      body: { name: 'Field App', version: '1.0.0' },
    });
    expect(createdApp.body.data).toMatchObject({ name: 'Field App', publishedBuildId: null });
    expect(
      (
        await call('publishedApplications.create', 'POST', apps, {
          headers: key,
          body: { name: ' ' },
        })
      ).status,
    ).toBe(400);
    const builds = `${apps}/${createdApp.body.data.id}/builds`;
    const ipa = await makeIpa({ bundleId: 'com.example.field', version: '1.2.3', build: '42' });
    const uploaded = await upload(builds, { name: 'Field.ipa', bytes: ipa });
    expect(uploaded.body.data).toMatchObject({
      kind: 'IPA',
      bundleId: 'com.example.field',
      version: '1.2.3',
      buildNumber: '42',
      size: ipa.length,
      published: false,
    });
    const tooLarge = await upload(builds, { name: 'Big.apk', bytes: new Uint8Array(BUILD_MAX_BYTES + 1) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 6002, data: { maxBytes: BUILD_MAX_BYTES } });
    expect(
      (await upload(builds, { name: 'Field.ipa', bytes: ipa }, { publish: 'maybe' })).body.error.data,
    ).toEqual({ publish: 'Must be "true" or "false"' });
    expect(
      (await call('builds.list', 'GET', `${builds}?page=1&limit=20`, { headers: key })).body.data.totalDocs,
    ).toBe(1);
    const buildId = uploaded.body.data.id as string;
    expect(
      (
        await call('builds.publish', 'PUT', `${apps}/${createdApp.body.data.id}/published-build`, {
          headers: key,
          body: { buildId },
        })
      ).body.data,
    ).toMatchObject({ publishedBuildId: buildId, version: '1.2.3' });
    expect((await call('builds.delete', 'DELETE', `${builds}/${buildId}`, { headers: key })).status).toBe(
      409,
    );
    const plain = await upload(builds, {
      name: 'notes.txt',
      bytes: new TextEncoder().encode('release notes'),
    });
    expect(plain.body.data).toMatchObject({ kind: 'FILE', published: false });
    expect(
      (await call('builds.delete', 'DELETE', `${builds}/${plain.body.data.id}`, { headers: key })).body.data,
    ).toEqual({ delete: true });

    // Its OTP user downloads the published build: whole, a range, and a range past the end.
    expect(
      (
        await call('otpUsers.create', 'POST', users, {
          headers: key,
          body: { email: 'cara@example.com', publishedApplicationId: createdApp.body.data.id },
        })
      ).status,
    ).toBe(200);
    const cara = { cookie: await storeSessionCookieFor(org.storeId, 'cara@example.com') };
    const fieldDownload = `/api/store/${org.storeId}/apps/${createdApp.body.data.id}/download`;
    const whole = await call('storeApps.download', 'GET', fieldDownload, { headers: cara });
    expect(whole.status).toBe(200);
    expect(whole.response.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.response.headers.get('etag')).toBe(`"${uploaded.body.data.sha256}"`);
    expect(whole.response.headers.get('content-disposition')).toContain('filename="Field.ipa"');
    expect(Buffer.from(await whole.response.arrayBuffer())).toEqual(ipa);
    const part = await call('storeApps.download', 'GET', fieldDownload, {
      headers: { ...cara, range: 'bytes=10-19' },
    });
    expect(part.status).toBe(206);
    expect(part.response.headers.get('content-range')).toBe(`bytes 10-19/${ipa.length}`);
    expect(Buffer.from(await part.response.arrayBuffer())).toEqual(ipa.subarray(10, 20));
    const past = await call('storeApps.download', 'GET', fieldDownload, {
      headers: { ...cara, range: `bytes=${ipa.length}-` },
    });
    expect(past.status).toBe(416);
    expect(past.response.headers.get('content-range')).toBe(`bytes */${ipa.length}`);

    // OTP settings controller, with an admin session.
    const session = { cookie: await sessionCookieFor(org.members.OWNER.userId), 'x-space': org.slug };
    // One PUT per provider below, as a client walks the settings document.
    const mail = {
      ...sinkMailSetting(sink.port, 'otp@demo.example'),
      username: 'otp',
      password: 'app-password',
    };
    expect(
      (
        await call('otpSettings.putMail', 'PUT', '/api/otp/settings/mail/default', {
          headers: session,
          body: mail,
        })
      ).status,
    ).toBe(200);
    const twilio = {
      isDefault: true,
      type: 'SMS',
      provider: 'TWILIO',
      accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      authToken: 'twilio-auth-token',
      twilioNumber: '+15005550006',
    };
    expect(
      (
        await call('otpSettings.putTwilio', 'PUT', '/api/otp/settings/sms/twilio', {
          headers: session,
          body: twilio,
        })
      ).status,
    ).toBe(200);
    const netgsm = {
      isDefault: false,
      type: 'SMS',
      provider: 'NETGSM',
      username: 'netgsm-user',
      bayiCode: '1234',
      password: 'netgsm-password',
      header: 'DEMO',
    };
    expect(
      (
        await call('otpSettings.putNetgsm', 'PUT', '/api/otp/settings/sms/netgsm', {
          headers: session,
          body: netgsm,
        })
      ).status,
    ).toBe(200);
    const dataport = {
      isDefault: false,
      type: 'SMS',
      provider: 'DATAPORT',
      originator: 'DEMO',
      shortNumber: '3434',
      operator: 'TT',
      username: 'dataport-user',
      accountNumber: '100200',
      password: 'dataport-password',
    };
    // A new setting must end up with every field its provider needs.
    expect(
      (
        await call('otpSettings.putDataport', 'PUT', '/api/otp/settings/sms/dataport', {
          headers: session,
          body: { isDefault: false, type: 'SMS', provider: 'DATAPORT' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('otpSettings.putDataport', 'PUT', '/api/otp/settings/sms/dataport', {
          headers: session,
          body: dataport,
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('otpSettings.list', 'GET', '/api/otp/settings', { headers: session })).body,
    ).toHaveLength(4);
    expect(
      (await call('otpSettings.list', 'GET', '/api/otp/settings', { headers: { cookie: session.cookie } }))
        .status,
    ).toBe(400);
    const sent = await call('otpSettings.test', 'POST', '/api/otp/settings/test', {
      headers: session,
      body: { type: 'MAIL', to: 'ann@example.com' },
    });
    expect(sent.body.delivered).toBe(true);
    await sink.waitFor((m) => m.to.includes('ann@example.com'));

    // Sign-in: password, then two-factor, refresh by cookie and by body, logout.
    const admin = org.members.ADMIN;
    const signedIn = await call('session.login', 'POST', '/login', {
      body: { username: admin.email, password: TEST_PASSWORD },
    });
    expect(signedIn.status).toBe(200);
    const cookies = signedIn.response.headers.getSetCookie().map((c) => c.split(';')[0]!);
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['ins_access_token', 'ins_refresh_token']);
    expect(
      (await call('session.login', 'POST', '/login', { body: { username: admin.email, password: 'wrong' } }))
        .status,
    ).toBe(401);
    const rotated = await call('session.refresh', 'POST', '/refresh', {
      headers: { cookie: cookies.join('; ') },
    });
    expect(rotated.status).toBe(200);
    const refreshToken = rotated.response.headers
      .getSetCookie()
      .find((c) => c.startsWith('ins_refresh_token='))!
      .split(';')[0]!
      .slice('ins_refresh_token='.length);
    replacements.push([refreshToken, 'the value of the ins_refresh_token cookie']);
    expect(
      (await call('session.refresh', 'POST', '/refresh', { body: { refresh_token: refreshToken } })).status,
    ).toBe(200);
    expect(
      (await call('session.refresh', 'POST', '/refresh', { body: { refresh_token: refreshToken } })).status,
    ).toBe(401);
    expect(
      (await call('session.logout', 'POST', '/logout', { headers: { cookie: cookies.join('; ') } })).status,
    ).toBe(200);

    await (await callerAsUser(org.members.VIEWER.userId, org.slug)).auth.setTwoFactor({ otpType: 'MAIL' });
    const viewer = org.members.VIEWER;
    expect(
      (
        await call('session.login', 'POST', '/login', {
          body: { username: viewer.email, password: TEST_PASSWORD },
        })
      ).body,
    ).toMatchObject({ otp_required: true });
    const code = /\b(\d{6})\b/.exec((await sink.waitFor((m) => m.to.includes(viewer.email))).text)![1]!;
    expect(
      (
        await call('session.validate', 'POST', '/validate', {
          body: { username: viewer.email, otp_code: code },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('session.validate', 'POST', '/validate', {
          body: { username: viewer.email, otp_code: code },
        })
      ).status,
    ).toBe(401);

    // Store download, as the OTP user signed in to the store.
    const store = { cookie: await storeSessionCookieFor(org.storeId, 'ann@example.com') };
    const download = `/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
    const artifact = await call('storeApps.download', 'GET', download, {
      headers: { ...store, range: 'bytes=0-' },
    });
    expect([200, 206]).toContain(artifact.status);
    expect(new Uint8Array(await artifact.response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(
      (
        await call('storeApps.download', 'GET', `/api/store/${org.storeId}/apps/${'f'.repeat(24)}/download`, {
          headers: store,
        })
      ).status,
    ).toBe(404);
    expect((await call('storeApps.download', 'GET', download)).status).toBe(401);

    // Operations.
    expect((await call('operations.health', 'GET', '/api/health')).status).toBe(200);
    expect((await call('operations.ready', 'GET', '/api/ready')).status).toBe(200);
    expect((await call('operations.openapi', 'GET', '/api/openapi.json')).status).toBe(200);

    // Every operation shows a real answer, and a real request where it takes a JSON body.
    for (const { operation } of operations) {
      const jsonSuccess = Object.entries(operation.responses).find(
        ([status, response]) => status.startsWith('2') && response.content?.['application/json'],
      );
      if (jsonSuccess && operation.operationId !== 'operations.openapi')
        expect(live[operation.operationId]?.responses[jsonSuccess[0]], operation.operationId).toBeDefined();
      if (operation.requestBody?.content['application/json'])
        expect(live[operation.operationId]?.request, `${operation.operationId} request`).toBeDefined();
    }

    if (RECORD) {
      await writeFile(EXAMPLES_FILE, `${JSON.stringify(live, null, 2)}\n`);
      return;
    }
    const committed = JSON.parse(await readFile(EXAMPLES_FILE, 'utf8')) as RecordedExamples;
    expect(normalize(live), 'openapi.examples.json is stale: re-record it with OPENAPI_RECORD=1').toEqual(
      normalize(committed),
    );
  });
});

/** Ids, dates and timings differ from run to run; the rest of an answer must not. */
function normalize(value: unknown): unknown {
  // A test IPA's zip entries carry the time they were written, so its hash changes every run.
  const VOLATILE = new Set([
    'durationMs',
    'providerMessageId',
    'providerResponse',
    'retryAfterSeconds',
    'sha256',
  ]);
  return JSON.parse(JSON.stringify(value), (key, inner) => {
    if (VOLATILE.has(key)) return '<volatile>';
    if (typeof inner !== 'string') return inner;
    return inner
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})/g, '<date>')
      .replace(/[a-fA-F0-9]{24}/g, '<id>');
  });
}
