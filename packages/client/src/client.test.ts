import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createHttpHandlers } from '@otp-access/api';
import { createTestOrganization, type TestOrganization, testDb, testSession } from '@otp-access/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtpAccessClient, errorCodeOf } from './index';

let server: Server;
let url: string;
let org: TestOrganization;

beforeAll(async () => {
  const handlers = createHttpHandlers({ db: testDb(), session: testSession });
  server = createServer(
    getRequestListener((request) => handlers.route(request) ?? new Response(null, { status: 404 })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  org = await createTestOrganization();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('createOtpAccessClient over HTTP', () => {
  it('manages OTP users with typed calls', async () => {
    const client = createOtpAccessClient({ url, apiKey: org.apiKey });
    const created = await client.otpUser.create.mutate({
      storeId: org.storeId,
      data: {
        email: ['client-a@example.com', 'client-b@example.com'],
        publishedApplicationId: org.publishedApplicationId,
      },
    });
    expect(created.map((u) => u.email)).toEqual(['client-a@example.com', 'client-b@example.com']);
    const id = created[0]!.id;

    const updated = await client.otpUser.update.mutate({
      storeId: org.storeId,
      otpUserId: id,
      data: { allowedDownloadsNum: 7 },
    });
    expect(updated.allowedDownloadsNum).toBe(7);
    expect(
      (await client.otpUser.byId.query({ storeId: org.storeId, otpUserId: id })).allowedDownloadsNum,
    ).toBe(7);

    const page = await client.otpUser.list.query({
      storeId: org.storeId,
      page: 1,
      limit: 10,
      sort: 'email:desc',
    });
    expect(page.items.map((u) => u.email)).toEqual(['client-b@example.com', 'client-a@example.com']);

    expect(await client.otpUser.delete.mutate({ storeId: org.storeId, otpUserId: id })).toEqual({
      delete: true,
    });
    const stores = await client.store.list.query({ page: 1, limit: 10 });
    expect(stores.items.map((s) => s.id)).toEqual([org.storeId]);
  });

  it('manages stores and the code policy with typed calls', async () => {
    const client = createOtpAccessClient({ url, apiKey: org.apiKey });
    const store = await client.store.create.mutate({
      data: { name: 'Client store', description: 'By the client' },
    });
    expect(store).toMatchObject({
      name: 'Client store',
      description: 'By the client',
      organizationId: org.id,
    });
    const renamed = await client.store.update.mutate({ storeId: store.id, data: { name: 'Client store 2' } });
    expect(renamed.name).toBe('Client store 2');
    expect(await client.store.delete.mutate({ storeId: store.id })).toEqual({ delete: true });

    const settings = await client.organization.updateOtpPolicy.mutate({
      codeLength: 7,
      codeTtlMinutes: 4,
      mailSubject: null,
      mailBody: 'Code {{code}}',
      smsText: null,
    });
    expect(settings.policy).toMatchObject({ codeLength: 7, codeTtlMinutes: 4, mailBody: 'Code {{code}}' });
    expect((await client.organization.previewMessages.query()).mail.text).toBe('Code 1234567');
  });

  it('surfaces the error model: codes, statuses and failing fields', async () => {
    const client = createOtpAccessClient({ url, apiKey: org.apiKey });
    const notFound = await client.otpUser.byId
      .query({ storeId: org.storeId, otpUserId: 'f'.repeat(24) })
      .catch((e) => e);
    expect(errorCodeOf(notFound)).toBe(3001);
    expect(notFound.data.httpStatus).toBe(404);

    const invalid = await client.otpUser.update
      .mutate({ storeId: org.storeId, otpUserId: 'f'.repeat(24), data: { allowedDownloadsNum: 1.5 } })
      .catch((e) => e);
    expect(errorCodeOf(invalid)).toBe(6001);
    expect(invalid.data.fields).toHaveProperty(['data.allowedDownloadsNum']);

    const anonymous = createOtpAccessClient({ url, apiKey: 'oa_wrong' });
    expect(errorCodeOf(await anonymous.store.list.query({ page: 1, limit: 1 }).catch((e) => e))).toBe(4004);
  });
});
