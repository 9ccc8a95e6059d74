import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHttpHandlers } from '../http';
import { createLocalBuildStorage } from '../services/builds/storage';
import { makeIpa, multipartRequest, tempDir } from '../testing/builds';
import {
  createTestOrganization,
  sessionCookieFor,
  type TestOrganization,
  testDb,
  testKeyring,
  testLimits,
  testSession,
} from '../testing/fixtures';
import { appliveryRoutes } from './applivery';
import { buildOpenApiDocument } from './openapi';
import { SESSION_PATHS } from './session';
import { settingsRoutes } from './settings';

const document = buildOpenApiDocument();
const handlers = createHttpHandlers({
  db: testDb(),
  session: testSession,
  keyring: testKeyring,
  limits: testLimits(),
  storage: createLocalBuildStorage(await tempDir('openapi-builds')),
  buildMaxBytes: 10_000,
});
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', true);
ajv.addFormat('email', true);

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
function operationOf(method: string, templatePath: string): Operation {
  const item = (document.paths as Record<string, Record<string, Operation>>)[templatePath];
  const operation = item?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${templatePath} is not in the document`);
  return operation;
}

/** Asserts that a real response matches what the document says for its status. */
async function conforms(method: string, templatePath: string, response: Response) {
  const described = operationOf(method, templatePath).responses[String(response.status)];
  expect(described, `${method} ${templatePath} → ${response.status} is documented`).toBeDefined();
  const schema = described!.content?.['application/json']?.schema;
  const body = await response.json();
  if (!schema) return;
  const validate = ajv.compile(schema);
  expect(
    validate(body),
    `${method} ${templatePath} → ${response.status}: ${ajv.errorsText(validate.errors)}`,
  ).toBe(true);
}

let org: TestOrganization;
beforeAll(async () => {
  org = await createTestOrganization();
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served at /api/openapi.json', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const served = await handlers.route(new Request('http://localhost/api/openapi.json'))!;
    expect(await served.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('covers every REST route', () => {
    for (const route of appliveryRoutes)
      expect(() => operationOf(route.method, openApiPath(route.path))).not.toThrow();
    for (const route of settingsRoutes) expect(() => operationOf(route.method, route.path)).not.toThrow();
    for (const path of SESSION_PATHS) expect(() => operationOf('POST', path)).not.toThrow();
  });

  it('describes what the API really answers, successes and errors', async () => {
    const key = { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' };
    const users = `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`;
    const usersTemplate = '/v1/organizations/{organizationSlug}/stores/{storeId}/otp-users';
    const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = key) =>
      handlers.route(
        new Request(`http://localhost${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      )!;

    await conforms(
      'GET',
      '/v1/organizations/{organizationSlug}/stores',
      await send('GET', `/v1/organizations/${org.slug}/stores`),
    );
    await conforms(
      'GET',
      '/v1/organizations/{organizationSlug}/stores/{storeId}/published-applications',
      await send('GET', `/v1/organizations/${org.slug}/stores/${org.storeId}/published-applications`),
    );
    const created = await send('POST', users, {
      email: ['doc-a@example.com', 'doc-b@example.com'],
      publishedApplicationId: org.publishedApplicationId,
    });
    const createdBody = (await created.clone().json()) as { data: { id: string }[] };
    await conforms('POST', usersTemplate, created);
    const id = createdBody.data[0]!.id;
    await conforms('GET', usersTemplate, await send('GET', `${users}?sort=email:asc&email=doc`));
    await conforms('GET', `${usersTemplate}/{otpUserId}`, await send('GET', `${users}/${id}`));
    await conforms(
      'PUT',
      `${usersTemplate}/{otpUserId}`,
      await send('PUT', `${users}/${id}`, { allowedDownloadsNum: 7 }),
    );
    await conforms('DELETE', `${usersTemplate}/{otpUserId}`, await send('DELETE', `${users}/${id}`));
    // Errors: validation, not found, no token, conflict.
    await conforms(
      'PUT',
      `${usersTemplate}/{otpUserId}`,
      await send('PUT', `${users}/${id}`, { allowedDownloadsNum: 1.5 }),
    );
    await conforms('GET', `${usersTemplate}/{otpUserId}`, await send('GET', `${users}/${id}`));
    await conforms('GET', usersTemplate, await send('GET', users, undefined, {}));
    await conforms(
      'POST',
      usersTemplate,
      await send('POST', users, {
        email: 'doc-b@example.com',
        publishedApplicationId: org.publishedApplicationId,
      }),
    );

    // Publishing: create an application, upload (multipart), list, publish; errors too.
    const apps = '/v1/organizations/{organizationSlug}/stores/{storeId}/published-applications';
    const appsPath = `/v1/organizations/${org.slug}/stores/${org.storeId}/published-applications`;
    const createdApp = await send('POST', appsPath, { name: 'Doc App' });
    const appId = ((await createdApp.clone().json()) as { data: { id: string } }).data.id;
    await conforms('POST', apps, createdApp);
    await conforms('POST', apps, await send('POST', appsPath, { name: '' }));
    const upload = (bytes: Uint8Array) =>
      handlers.route(
        multipartRequest(
          `http://localhost${appsPath}/${appId}/builds`,
          { name: 'Doc.ipa', bytes },
          {
            headers: { authorization: `Bearer ${org.apiKey}` },
          },
        ),
      )!;
    const uploaded = await upload(
      await makeIpa({ bundleId: 'com.example.doc', version: '1.2.3', build: '4' }),
    );
    const buildId = ((await uploaded.clone().json()) as { data: { id: string } }).data.id;
    await conforms('POST', `${apps}/{publishedApplicationId}/builds`, uploaded);
    await conforms('POST', `${apps}/{publishedApplicationId}/builds`, await upload(new Uint8Array(20_000)));
    await conforms(
      'GET',
      `${apps}/{publishedApplicationId}/builds`,
      await send('GET', `${appsPath}/${appId}/builds`),
    );
    await conforms(
      'PUT',
      `${apps}/{publishedApplicationId}/published-build`,
      await send('PUT', `${appsPath}/${appId}/published-build`, { buildId }),
    );
    await conforms(
      'DELETE',
      `${apps}/{publishedApplicationId}/builds/{buildId}`,
      await send('DELETE', `${appsPath}/${appId}/builds/${buildId}`),
    );

    const session = {
      cookie: await sessionCookieFor(org.members.OWNER.userId),
      'x-space': org.slug,
      'content-type': 'application/json',
    };
    const smtp = {
      isDefault: true,
      type: 'MAIL',
      provider: 'DEFAULT',
      smtpHost: '127.0.0.1',
      smtpPort: 1,
      transportStrategy: 'SMTP',
      fromAddress: 'doc@test.example',
      password: 'p',
    };
    await conforms(
      'PUT',
      '/api/otp/settings/mail/default',
      await send('PUT', '/api/otp/settings/mail/default', smtp, session),
    );
    await conforms(
      'PUT',
      '/api/otp/settings/sms/netgsm',
      await send(
        'PUT',
        '/api/otp/settings/sms/netgsm',
        { isDefault: false, type: 'SMS', provider: 'NETGSM', username: 'u', password: 'p', header: 'H' },
        session,
      ),
    );
    await conforms('GET', '/api/otp/settings', await send('GET', '/api/otp/settings', undefined, session));
    await conforms(
      'POST',
      '/api/otp/settings/test',
      await send('POST', '/api/otp/settings/test', { type: 'MAIL', to: 'doc@test.example' }, session),
    );
    await conforms(
      'PUT',
      '/api/otp/settings/sms/twilio',
      await send(
        'PUT',
        '/api/otp/settings/sms/twilio',
        { isDefault: true, type: 'MAIL', provider: 'TWILIO' },
        session,
      ),
    );
    await conforms(
      'GET',
      '/api/otp/settings',
      await send('GET', '/api/otp/settings', undefined, { cookie: session.cookie }),
    );

    await conforms(
      'POST',
      '/login',
      await send(
        'POST',
        '/login',
        { username: org.members.ADMIN.email, password: 'nope' },
        { 'content-type': 'application/json' },
      ),
    );
    await conforms(
      'POST',
      '/refresh',
      await send('POST', '/refresh', {}, { 'content-type': 'application/json' }),
    );
    await conforms(
      'POST',
      '/logout',
      await send('POST', '/logout', {}, { 'content-type': 'application/json' }),
    );
  });
});
