import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { createHttpHandlers, createLocalBuildStorage } from '@otp-access/api';
import { createTestOrganization, type TestOrganization, testDb, testSession } from '@otp-access/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtpAccessClient, errorCodeOf, UploadError, uploadBuild } from './index';

let server: Server;
let url: string;
let org: TestOrganization;
let storageDir: string;

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), 'otp-access-client-'));
  const handlers = createHttpHandlers({
    db: testDb(),
    session: testSession,
    storage: createLocalBuildStorage(storageDir),
    buildMaxBytes: 100_000,
  });
  server = createServer(
    getRequestListener((request) => handlers.route(request) ?? new Response(null, { status: 404 })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  org = await createTestOrganization();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(storageDir, { recursive: true, force: true });
});

describe('uploadBuild', () => {
  it('uploads a file from disk, publishes it, and the typed client sees it', async () => {
    const bytes = randomBytes(50_000);
    const file = path.join(storageDir, 'app.apk');
    await writeFile(file, bytes);
    const build = await uploadBuild({
      url,
      apiKey: org.apiKey,
      space: org.slug,
      storeId: org.storeId,
      publishedApplicationId: org.publishedApplicationId,
      file: await openAsBlob(file),
      fileName: 'app.apk',
      publish: true,
    });
    expect(build).toMatchObject({
      size: 50_000,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      published: true,
    });
    const client = createOtpAccessClient({ url, apiKey: org.apiKey });
    const page = await client.build.list.query({
      storeId: org.storeId,
      publishedApplicationId: org.publishedApplicationId,
    });
    expect(page.items[0]).toMatchObject({ id: build.id, published: true });
  });

  it('throws an UploadError with the code when the build is too large', async () => {
    const failure = await uploadBuild({
      url,
      apiKey: org.apiKey,
      space: org.slug,
      storeId: org.storeId,
      publishedApplicationId: org.publishedApplicationId,
      file: new Blob([new Uint8Array(200_000)]),
      fileName: 'big.bin',
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UploadError);
    expect(failure).toMatchObject({ status: 413, code: 6002 });
  });
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
