import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createHttpHandlers, type MailSink, startMailSink } from '@otp-access/api';
// The fixtures any test that calls the API takes, as the API's own provider-fault test does.
import {
  callerFor,
  createTestOrganization,
  sinkMailSetting,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testDelivery,
  testKeyring,
  testLimits,
  testSession,
} from '@otp-access/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliveryFlow, createRestClient, settingsFlow } from '../examples/openapi/flows';
import { generateSchemaTypes, SCHEMA_FILE } from '../examples/openapi/generate';

/**
 * The second example: a client generated from the OpenAPI document with openapi-typescript and
 * openapi-fetch (examples/openapi). Its types are what the document says today, and its flows run
 * against a real server.
 */
let server: Server;
let url: string;
let org: TestOrganization;
let sink: MailSink;

beforeAll(async () => {
  const handlers = createHttpHandlers({
    db: testDb(),
    session: testSession,
    keyring: testKeyring,
    limits: testLimits(),
    // The test's mail sink is on loopback, which tenant settings reach only when allowed.
    delivery: testDelivery(),
  });
  server = createServer(
    getRequestListener((request) => handlers.route(request) ?? new Response(null, { status: 404 })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  org = await createTestOrganization();
  sink = await startMailSink();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sink.stop();
});

describe('a client generated from the OpenAPI document', () => {
  it('is generated from the current document (regenerate: pnpm --filter @otp-access/client openapi:generate)', async () => {
    expect(await generateSchemaTypes()).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('runs the Applivery flow with an API key', async () => {
    const client = createRestClient(url, { authorization: `Bearer ${org.apiKey}` });
    const result = await appliveryFlow(client, org.slug, 'generated-client@example.com');
    expect(result).toMatchObject({
      store: 'Test Store',
      application: 'Test App 1 1.0.0',
      created: { email: 'generated-client@example.com', allowedDownloadsNum: 3, storeId: org.storeId },
      conflictEmails: ['generated-client@example.com'],
      allowance: -1,
      fieldErrors: { allowedDownloadsNum: expect.any(String) },
      deleted: true,
      afterDelete: 404,
    });
  });

  it('runs the settings flow with an admin session and X-Space', async () => {
    await callerFor(org.apiKey).otpSettings.upsertSmtp({
      ...sinkMailSetting(sink.port, 'otp@test.example'),
      password: 'kept-secret',
    });
    const owner = org.members.OWNER;
    const result = await settingsFlow(url, {
      username: owner.email,
      password: TEST_PASSWORD,
      space: org.slug,
    });
    expect(result).toEqual({
      spaces: [`${org.slug} (OWNER)`],
      settings: ['MAIL/DEFAULT (default)'],
      mailHost: '127.0.0.1',
      passwordKept: true,
      delivered: true,
      recipient: expect.any(String),
      attempts: ['DEFAULT: SENT'],
    });
    await sink.waitFor((mail) => mail.to.includes(owner.email));
  });
});
