import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStorageFromEnv } from '../../env';
import { filesUnder, multipartRequest, sha256, tempDir } from '../../testing/builds';
import {
  callerFor,
  createTestOrganization,
  storeSessionCookieFor,
  testHandlers,
} from '../../testing/fixtures';
import { startS3 } from '../../testing/s3';
import { deleteOrganizationBuilds } from './catalog';
import {
  type BuildStorage,
  buildStorageKey,
  createLocalBuildStorage,
  isMissingObject,
  removeStaleUploads,
} from './storage';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

let s3: Awaited<ReturnType<typeof startS3>>;
let localDir: string;
beforeAll(async () => {
  s3 = await startS3();
  localDir = await tempDir('local-storage');
});
afterAll(async () => {
  await s3?.stop();
});

const drivers: [string, () => BuildStorage][] = [
  ['local directory', () => createLocalBuildStorage(localDir)],
  ['S3 (s3rver)', () => s3.storage],
];

describe.each(drivers)('build storage: %s', (_name, storage) => {
  const orgId = 'a'.repeat(24);
  const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 256));

  it('stores a file, reads it whole and by range, and removes an organization’s prefix', async () => {
    const file = path.join(await tempDir('put'), 'build.part');
    await writeFile(file, bytes);
    const key = buildStorageKey(orgId, 'b'.repeat(24));
    await storage().putFile(key, file, 'application/octet-stream');
    expect(await filesUnder(path.dirname(file))).toEqual([]); // the local file was handed over
    expect(sha256(await readAll(await storage().read(key)))).toBe(sha256(bytes));
    expect(await readAll(await storage().read(key, { start: 1000, end: 1999 }))).toEqual(
      bytes.subarray(1000, 2000),
    );
    await deleteOrganizationBuilds(storage(), orgId);
    await expect(storage().read(key)).rejects.toSatisfy(isMissingObject);
  });

  it('refuses a key that is not one of ours', async () => {
    await expect(storage().read('../etc/passwd')).rejects.toThrow(/Invalid storage key/);
  });
});

describe('build storage from the environment', () => {
  it('is a directory under DATA_DIR by default, S3 when asked, and says what S3 is missing', () => {
    const local = buildStorageFromEnv({ DATA_DIR: '/srv/otp' });
    expect(local.storage.kind).toBe('local');
    expect(local.storage.incomingDir).toBe(path.join('/srv/otp', 'builds', '.incoming'));
    expect(local.buildMaxBytes).toBe(2 * 1024 ** 3);
    const s3 = buildStorageFromEnv({
      BUILD_STORAGE: 's3',
      S3_BUCKET: 'builds',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
      BUILD_MAX_BYTES: '1048576',
    });
    expect(s3.storage.kind).toBe('s3');
    expect(s3.buildMaxBytes).toBe(1_048_576);
    expect(() => buildStorageFromEnv({ BUILD_STORAGE: 's3' })).toThrow('BUILD_STORAGE=s3 needs S3_BUCKET.');
    expect(() => buildStorageFromEnv({ BUILD_MAX_BYTES: 'lots' })).toThrow(/BUILD_MAX_BYTES/);
  });
});

describe('uploads left behind by a dead process', () => {
  it('are removed after a day; recent ones (maybe in flight elsewhere) are kept', async () => {
    const storage = createLocalBuildStorage(await tempDir('stale'));
    await mkdir(storage.incomingDir, { recursive: true });
    const old = path.join(storage.incomingDir, 'old.part');
    const recent = path.join(storage.incomingDir, 'recent.part');
    await writeFile(old, 'x');
    await writeFile(recent, 'y');
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 2 * 24 * 60 * 60 * 1000);
    await utimes(old, twoDaysAgo, twoDaysAgo);
    expect(await removeStaleUploads(storage, now)).toBe(1);
    expect(await filesUnder(storage.incomingDir)).toEqual(['recent.part']);
  });
});

describe('publishing on S3 storage', () => {
  it('uploads a build to the bucket and an OTP user downloads it, whole and by range', async () => {
    const org = await createTestOrganization();
    const handlers = testHandlers({
      storage: s3.storage,
    });
    const bytes = new Uint8Array(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));
    const base = `http://localhost/v1/organizations/${org.slug}/stores/${org.storeId}/published-applications/${org.publishedApplicationId}`;
    const uploaded = await handlers.route(
      multipartRequest(
        `${base}/builds`,
        { name: 'ci-build.apk', bytes },
        { headers: { authorization: `Bearer ${org.apiKey}` }, fields: { publish: 'true' } },
      ),
    )!;
    const body = (await uploaded.json()) as { data: { id: string; sha256: string; published: boolean } };
    expect(uploaded.status).toBe(200);
    expect(body.data).toMatchObject({ sha256: sha256(bytes), published: true });
    expect(await filesUnder(s3.incoming)).toEqual([]);

    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: {
        email: 's3@users.example',
        publishedApplicationId: org.publishedApplicationId,
        allowedDownloadsNum: 1,
      },
    });
    const cookie = await storeSessionCookieFor(org.storeId, 's3@users.example');
    const url = `http://localhost/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
    const whole = await handlers.route(new Request(url, { headers: { cookie } }))!;
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('300000');
    expect(whole.headers.get('content-type')).toBe('application/vnd.android.package-archive');
    expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(bytes));
    // The allowance (1) is spent; resuming the same build is still allowed, and not counted.
    const resumed = await handlers.route(new Request(url, { headers: { cookie, range: 'bytes=299000-' } }))!;
    expect(resumed.status).toBe(206);
    expect(new Uint8Array(await resumed.arrayBuffer())).toEqual(bytes.subarray(299_000));
    const fresh = await handlers.route(new Request(url, { headers: { cookie } }))!;
    expect(fresh.status).toBe(403);

    await deleteOrganizationBuilds(s3.storage, org.id);
    const gone = await handlers.route(
      new Request(url, { headers: { cookie: await storeSessionCookieFor(org.storeId, 's3@users.example') } }),
    )!;
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { message: string }).message).toBe(
      'The file of this build is missing from storage',
    );
  });
});
