import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFilesOfStore, deleteOrganizationBuilds } from '../../services/builds/catalog';
import { createLocalBuildStorage } from '../../services/builds/storage';
import {
  filesUnder,
  makeApk,
  makeIpa,
  makeZip,
  multipartRequest,
  sha256,
  tempDir,
} from '../../testing/builds';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  snapshotOrganization,
  storeSessionCookieFor,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../../testing/fixtures';

const MAX_BYTES = 64 * 1024;
let dir: string;
let handlers: TestHandlers;
let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  dir = await tempDir('builds');
  handlers = testHandlers({
    storage: createLocalBuildStorage(dir),
    buildMaxBytes: MAX_BYTES,
  });
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (o: TestOrganization, storeId = o.storeId) =>
  `http://localhost/v1/organizations/${o.slug}/stores/${storeId}/published-applications`;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function call(request: Request) {
  const response = await handlers.route(request)!;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read many response shapes; expectations check them
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

const upload = (
  o: TestOrganization,
  appId: string,
  bytes: Uint8Array,
  name = 'app.bin',
  key = o.apiKey,
  fields = {},
) => call(multipartRequest(`${base(o)}/${appId}/builds`, { name, bytes }, { headers: auth(key), fields }));

function download(storeId: string, appId: string, cookie: string, range?: string) {
  return handlers.route(
    new Request(`http://localhost/api/store/${storeId}/apps/${appId}/download`, {
      headers: { cookie, ...(range ? { range } : {}) },
    }),
  )!;
}

async function newOtpUser(o: TestOrganization, appId: string, email: string, allowedDownloadsNum = 3) {
  await callerFor(o.apiKey).otpUser.create({
    storeId: o.storeId,
    data: { email, publishedApplicationId: appId, allowedDownloadsNum },
  });
  const row = await testDb().otpUser.findFirstOrThrow({
    where: { storeId: o.storeId, email },
    select: { id: true },
  });
  return { id: row.id, cookie: await storeSessionCookieFor(o.storeId, email) };
}

const randomBytesOf = (size: number) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7919 + 13) % 251;
  return bytes;
};

describe('publishing a build', () => {
  it('creates an application, uploads with an API key, publishes, and an OTP user downloads the same bytes', async () => {
    const created = await call(
      new Request(base(org), {
        method: 'POST',
        headers: { ...auth(org.apiKey), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Field App' }),
      }),
    );
    expect(created.status).toBe(200);
    const appId = created.body.data.id as string;
    expect(created.body.data).toMatchObject({ name: 'Field App', publishedBuildId: null });

    const bytes = randomBytesOf(40_000);
    const uploaded = await upload(org, appId, bytes, 'field-app.zip');
    expect(uploaded.status).toBe(200);
    const build = uploaded.body.data;
    expect(build).toMatchObject({
      size: 40_000,
      sha256: sha256(bytes),
      fileName: 'field-app.zip',
      kind: 'FILE',
      published: false,
    });
    expect(build.metadataNote).toMatch(/Not an APK or IPA file/);
    expect(await filesUnder(dir)).toContain(path.join(org.id, 'builds', build.id));

    const user = await newOtpUser(org, appId, 'field@users.example');
    const before = await download(org.storeId, appId, user.cookie);
    expect(before.status).toBe(404); // nothing published yet

    const published = await call(
      new Request(`${base(org)}/${appId}/published-build`, {
        method: 'PUT',
        headers: { ...auth(org.apiKey), 'content-type': 'application/json' },
        body: JSON.stringify({ buildId: build.id }),
      }),
    );
    expect(published.status).toBe(200);
    expect(published.body.data.publishedBuildId).toBe(build.id);

    const listed = await call(new Request(`${base(org)}/${appId}/builds`, { headers: auth(org.apiKey) }));
    expect(listed.body.data.items).toEqual([expect.objectContaining({ id: build.id, published: true })]);

    const response = await download(org.storeId, appId, user.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-length')).toBe('40000');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="field-app.zip"; filename*=UTF-8''field-app.zip`,
    );
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));

    const audit = await testDb().auditEvent.findMany({
      where: {
        organizationId: org.id,
        action: { in: ['publishedApplication.create', 'build.upload', 'build.publish'] },
      },
      select: { action: true, targetId: true },
    });
    expect(audit.map((event) => event.action).sort()).toEqual([
      'build.publish',
      'build.upload',
      'publishedApplication.create',
    ]);
  });

  it('reads bundle id, version and build number from an IPA, and publishes on upload when asked', async () => {
    const ipa = await makeIpa({ bundleId: 'com.example.field', version: '2.3.4', build: '77' });
    const uploaded = await upload(org, org.otherPublishedApplicationId, ipa, 'Field.ipa', org.apiKey, {
      publish: 'true',
    });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({
      kind: 'IPA',
      bundleId: 'com.example.field',
      version: '2.3.4',
      buildNumber: '77',
      metadataNote: null,
      published: true,
    });
    const app = await testDb().publishedApplication.findUniqueOrThrow({
      where: { id: org.otherPublishedApplicationId },
      select: { publishedBuildId: true, version: true },
    });
    expect(app).toEqual({ publishedBuildId: uploaded.body.data.id, version: '2.3.4' });
  });

  // The same checks as the IPA upload above, for an APK: each kind reads on its own.
  it('reads package, version name and version code from an APK', async () => {
    const apk = await makeApk({ packageName: 'com.example.field', versionName: '3.1.0', versionCode: 310 });
    const uploaded = await upload(org, org.publishedApplicationId, apk, 'field-release.apk');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({
      kind: 'APK',
      bundleId: 'com.example.field',
      version: '3.1.0',
      buildNumber: '310',
      contentType: 'application/vnd.android.package-archive',
      metadataNote: null,
      published: false,
    });
  });

  it('keeps an APK whose manifest cannot be read as a plain build, saying so', async () => {
    const broken = await makeZip({ 'AndroidManifest.xml': 'not binary xml' });
    const uploaded = await upload(org, org.publishedApplicationId, broken, 'broken.apk');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({ kind: 'FILE', bundleId: null, size: broken.length });
    expect(uploaded.body.data.metadataNote).toBe(
      'This APK could not be read: stored as a plain file, without version or bundle id',
    );
  });

  it('keeps a file named .apk that is no APK as a plain build, with a note that says so', async () => {
    const uploaded = await upload(
      org,
      org.publishedApplicationId,
      new TextEncoder().encode('not a zip'),
      'fake.apk',
    );
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({ kind: 'FILE', bundleId: null, version: null });
    expect(uploaded.body.data.metadataNote).toBe(
      'Not an APK or IPA file: stored as a plain file, without version or bundle id',
    );
  });

  it('refuses a build over the size limit with 413, storing nothing', async () => {
    const before = await filesUnder(dir);
    const rows = await testDb().build.count({ where: { organizationId: org.id } });
    const tooBig = await upload(org, org.publishedApplicationId, randomBytesOf(MAX_BYTES + 1), 'big.bin');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({
      status: false,
      error: {
        code: 6002,
        message: 'The build is larger than the limit of 65536 bytes',
        data: { file: `At most ${MAX_BYTES} bytes`, maxBytes: MAX_BYTES },
      },
    });
    expect(await filesUnder(dir)).toEqual(before);
    expect(await testDb().build.count({ where: { organizationId: org.id } })).toBe(rows);
  });

  it('leaves no row and no file when the upload is cut off halfway', async () => {
    const before = await filesUnder(dir);
    const rows = await testDb().build.count({ where: { organizationId: org.id } });
    const boundary = 'cutoffboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.apk"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(head));
        if (sent < 4) {
          controller.enqueue(randomBytesOf(8_000));
          sent++;
          return;
        }
        controller.error(new Error('client went away'));
      },
    });
    const response = await call(
      new Request(`${base(org)}/${org.publishedApplicationId}/builds`, {
        method: 'POST',
        headers: { ...auth(org.apiKey), 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.data).toEqual({
      file: 'The upload was cut off or is not valid multipart/form-data',
    });
    expect(await filesUnder(dir)).toEqual(before);
    expect(await testDb().build.count({ where: { organizationId: org.id } })).toBe(rows);
  });

  it('asks for a file when the form has none, and for multipart when the body is JSON', async () => {
    const noFile = await call(
      (() => {
        const form = new FormData();
        form.set('publish', 'true');
        return new Request(`${base(org)}/${org.publishedApplicationId}/builds`, {
          method: 'POST',
          body: form,
          headers: auth(org.apiKey),
        });
      })(),
    );
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.data).toEqual({ file: 'Attach the build in a form field named "file"' });
    const json = await call(
      new Request(`${base(org)}/${org.publishedApplicationId}/builds`, {
        method: 'POST',
        headers: { ...auth(org.apiKey), 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(json.status).toBe(400);
    expect(json.body.error.data.file).toMatch(/multipart\/form-data/);
  });
});

describe('downloading a build', () => {
  let appId: string;
  const bytes = randomBytesOf(10_000);
  beforeAll(async () => {
    const created = await callerFor(org.apiKey).publishedApplication.create({
      storeId: org.storeId,
      data: { name: 'Ranged' },
    });
    appId = created.id;
    const uploaded = await upload(org, appId, bytes, 'ranged.bin', org.apiKey, { publish: 'true' });
    expect(uploaded.status).toBe(200);
  });

  it('serves a Range as 206, and counts a resumed download once', async () => {
    const user = await newOtpUser(org, appId, 'ranged@users.example', 5);
    const first = await download(org.storeId, appId, user.cookie, 'bytes=0-3999');
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe('bytes 0-3999/10000');
    expect(first.headers.get('content-length')).toBe('4000');
    const head = new Uint8Array(await first.arrayBuffer());
    const rest = await download(org.storeId, appId, user.cookie, 'bytes=4000-');
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe('bytes 4000-9999/10000');
    const tail = new Uint8Array(await rest.arrayBuffer());
    expect(sha256(new Uint8Array([...head, ...tail]))).toBe(sha256(bytes));

    const row = await testDb().otpUser.findUniqueOrThrow({
      where: { id: user.id },
      select: { downloadsCount: true },
    });
    expect(row.downloadsCount).toBe(1n);
    expect(await testDb().downloadEvent.count({ where: { otpUserId: user.id } })).toBe(1);
  });

  it('counts a ranged request past byte 0 when the user never started this build', async () => {
    const user = await newOtpUser(org, appId, 'skipper@users.example', 1);
    const response = await download(org.storeId, appId, user.cookie, 'bytes=5000-');
    expect(response.status).toBe(206);
    await response.arrayBuffer();
    const again = await download(org.storeId, appId, user.cookie, 'bytes=0-');
    expect(again.status).toBe(403); // the one download was spent by the first request
    const row = await testDb().otpUser.findUniqueOrThrow({
      where: { id: user.id },
      select: { downloadsCount: true },
    });
    expect(row.downloadsCount).toBe(1n);
  });

  it('answers an unsatisfiable range with 416 and counts nothing', async () => {
    const user = await newOtpUser(org, appId, 'past-end@users.example', 2);
    const response = await download(org.storeId, appId, user.cookie, 'bytes=20000-');
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */10000');
    const row = await testDb().otpUser.findUniqueOrThrow({
      where: { id: user.id },
      select: { downloadsCount: true },
    });
    expect(row.downloadsCount).toBe(0n);
  });

  it('never moves lastDownloadDate backwards when an earlier download commits last', async () => {
    const user = await newOtpUser(org, appId, 'clock@users.example', -1);
    const late = new Date('2030-01-01T00:00:10Z');
    const early = new Date('2030-01-01T00:00:00Z');
    const at = (now: Date) =>
      testHandlers({
        storage: createLocalBuildStorage(dir),
        now: () => now,
      });
    const cookie = await storeSessionCookieFor(org.storeId, 'clock@users.example', early);
    for (const now of [late, early]) {
      const response = await at(now).route(
        new Request(`http://localhost/api/store/${org.storeId}/apps/${appId}/download`, {
          headers: { cookie },
        }),
      )!;
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const row = await testDb().otpUser.findUniqueOrThrow({
      where: { id: user.id },
      select: { lastDownloadDate: true },
    });
    expect(row.lastDownloadDate).toEqual(late);
  });
});

describe('who may publish', () => {
  it('refuses a viewer and a key without mad.publications.manage, changing nothing', async () => {
    const limited = await org.createApiKey(['mad.store.otpUsers.list', 'mad.store.otpUsers.create']);
    const before = await snapshotOrganization(testDb(), org.id);
    const builds = await testDb().build.count({ where: { organizationId: org.id } });
    const refused = await upload(org, org.publishedApplicationId, randomBytesOf(100), 'x.bin', limited);
    expect(refused.status).toBe(403);
    const create = await call(
      new Request(base(org), {
        method: 'POST',
        headers: { ...auth(limited), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Nope' }),
      }),
    );
    expect(create.status).toBe(403);
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    await expect(
      viewer.publishedApplication.create({ storeId: org.storeId, data: { name: 'Nope' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [buildId] = (
      await testDb().build.findMany({ where: { organizationId: org.id }, select: { id: true }, take: 1 })
    ).map((b) => b.id);
    await expect(
      viewer.build.publish({
        storeId: org.storeId,
        publishedApplicationId: org.publishedApplicationId,
        data: { buildId: buildId! },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A viewer may read the builds.
    await expect(
      viewer.build.list({ storeId: org.storeId, publishedApplicationId: org.publishedApplicationId }),
    ).resolves.toMatchObject({ totalDocs: expect.any(Number) });
    expect(await snapshotOrganization(testDb(), org.id)).toEqual(before);
    expect(await testDb().build.count({ where: { organizationId: org.id } })).toBe(builds);
  });

  it("answers 404 for another organization's store, application and build, changing nothing", async () => {
    const theirBuild = await testDb().build.findFirstOrThrow({
      where: { organizationId: other.id },
      select: { id: true, publishedApplicationId: true },
    });
    const before = await snapshotOrganization(testDb(), other.id);
    const theirApp = await testDb().publishedApplication.findUniqueOrThrow({
      where: { id: other.publishedApplicationId },
      select: { publishedBuildId: true },
    });
    const mine = callerFor(org.apiKey);
    // Their store under my slug; their application under my store; their build under my application.
    for (const attempt of [
      () => mine.publishedApplication.create({ storeId: other.storeId, data: { name: 'Intruder' } }),
      () => mine.build.list({ storeId: org.storeId, publishedApplicationId: other.publishedApplicationId }),
      () => mine.build.list({ storeId: other.storeId, publishedApplicationId: other.publishedApplicationId }),
      () =>
        mine.build.publish({
          storeId: org.storeId,
          publishedApplicationId: org.publishedApplicationId,
          data: { buildId: theirBuild.id },
        }),
      () =>
        mine.build.publish({
          storeId: other.storeId,
          publishedApplicationId: other.publishedApplicationId,
          data: { buildId: theirBuild.id },
        }),
      () =>
        mine.build.delete({
          storeId: other.storeId,
          publishedApplicationId: other.publishedApplicationId,
          buildId: theirBuild.id,
        }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    const intoTheirApp = await upload(org, other.publishedApplicationId, randomBytesOf(100), 'x.bin');
    expect(intoTheirApp.status).toBe(404);
    const intoTheirStore = await call(
      multipartRequest(
        `${base(org, other.storeId)}/${other.publishedApplicationId}/builds`,
        { name: 'x', bytes: randomBytesOf(10) },
        { headers: auth(org.apiKey) },
      ),
    );
    expect(intoTheirStore.status).toBe(404);
    // Their slug with my key: 404 as well.
    const theirSlug = await call(
      multipartRequest(
        `${base(other)}/${other.publishedApplicationId}/builds`,
        { name: 'x', bytes: randomBytesOf(10) },
        { headers: auth(org.apiKey) },
      ),
    );
    expect(theirSlug.status).toBe(404);
    expect(await snapshotOrganization(testDb(), other.id)).toEqual(before);
    expect(
      await testDb().publishedApplication.findUniqueOrThrow({
        where: { id: other.publishedApplicationId },
        select: { publishedBuildId: true },
      }),
    ).toEqual(theirApp);
    expect(await testDb().build.count({ where: { id: theirBuild.id } })).toBe(1);
  });

  it('deletes a build that is not published, refuses the published one, and removes an organization’s files', async () => {
    const o = await createTestOrganization();
    const kept = await upload(o, o.publishedApplicationId, randomBytesOf(300), 'kept.bin', o.apiKey, {
      publish: 'true',
    });
    const dropped = await upload(o, o.publishedApplicationId, randomBytesOf(200), 'dropped.bin');
    const caller = callerFor(o.apiKey);
    const ref = { storeId: o.storeId, publishedApplicationId: o.publishedApplicationId };
    await expect(caller.build.delete({ ...ref, buildId: kept.body.data.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // No storage in this context: the deletion needs it, so use the REST surface.
    const deleted = await call(
      new Request(`${base(o)}/${o.publishedApplicationId}/builds/${dropped.body.data.id}`, {
        method: 'DELETE',
        headers: auth(o.apiKey),
      }),
    );
    expect(deleted.body).toEqual({ status: true, data: { delete: true } });
    expect(await filesUnder(path.join(dir, o.id))).toEqual([path.join('builds', kept.body.data.id)]);
    // A store's files, for deleting a store (its rows go by cascade).
    const storeFiles = await buildFilesOfStore(testDb(), { organizationId: o.id, storeId: o.storeId });
    expect(storeFiles).toEqual([`${o.id}/builds/${kept.body.data.id}`]);
    expect(await buildFilesOfStore(testDb(), { organizationId: other.id, storeId: o.storeId })).toEqual([]);
    await deleteOrganizationBuilds(createLocalBuildStorage(dir), o.id);
    expect(await filesUnder(path.join(dir, o.id))).toEqual([]);
    expect((await filesUnder(dir)).some((file) => file.startsWith(o.id))).toBe(false);
  });
});
