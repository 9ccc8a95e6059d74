import { createDb } from '@otp-access/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MailSink, startMailSink } from '../../delivery/mail-sink';
import { createLimits } from '../../services/limits';
import { captureConsole } from '../../testing/console';
import {
  callerFor,
  createTestOrganization,
  mailCodesTo,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../../testing/fixtures';
import { CLIENT_IP_HEADER } from '../../trpc';

let sink: MailSink;
let org: TestOrganization;
const consoleLines: string[] = [];
const handlers = testHandlers();

beforeAll(async () => {
  captureConsole(consoleLines);
  sink = await startMailSink();
  org = await createTestOrganization();
  await mailCodesTo(org.apiKey, sink.port, 'store@test.example');
});

afterAll(async () => {
  vi.restoreAllMocks();
  await sink.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

let ipCounter = 0;
/** Each test speaks from its own address so the per-IP limits of one do not touch another. */
const freshIp = () => `198.51.100.${++ipCounter}`;

interface Client {
  ip: string;
  cookie?: string;
}

async function trpc(h: typeof handlers, client: Client, path: string, input?: unknown) {
  const isQuery = path === 'storeAccess.apps';
  const headers: Record<string, string> = {
    [CLIENT_IP_HEADER]: client.ip,
    'content-type': 'application/json',
  };
  if (client.cookie) headers.cookie = client.cookie;
  const url = `http://localhost/api/trpc/${path}${isQuery ? '' : ''}`;
  const response = await h.route(
    new Request(url, {
      method: isQuery ? 'GET' : 'POST',
      headers,
      ...(isQuery ? {} : { body: JSON.stringify(input) }),
    }),
  )!;
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('ota_store_session='));
  if (setCookie) client.cookie = setCookie.split(';')[0]!;
  return {
    status: response.status,
    body: (await response.json()) as {
      result?: { data: unknown };
      error?: { message: string; data: { appCode: number } };
    },
  };
}

async function newUser(email: string, allowedDownloadsNum: number, o = org) {
  await callerFor(o.apiKey).otpUser.create({
    storeId: o.storeId,
    data: { email, publishedApplicationId: o.publishedApplicationId, allowedDownloadsNum },
  });
}

const codeIn = (text: string) => /\b(\d{6,10})\b/.exec(text)?.[1];

/** Asks for a store code for `email` from a fresh address; the code, from the mail that came. */
async function newCodeFor(email: string): Promise<string> {
  await trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', { storeId: org.storeId, email });
  return codeIn((await sink.waitFor((m) => m.to.includes(email))).text)!;
}

async function signIn(email: string, client: Client) {
  const requested = await trpc(handlers, client, 'storeAccess.requestCode', { storeId: org.storeId, email });
  expect(requested.status).toBe(200);
  const mail = await sink.waitFor((m) => m.to.includes(email) && !usedMails.has(m.id));
  usedMails.add(mail.id);
  const code = codeIn(mail.text)!;
  const verified = await trpc(handlers, client, 'storeAccess.verifyCode', {
    storeId: org.storeId,
    email,
    code,
  });
  expect(verified.status).toBe(200);
  return code;
}
const usedMails = new Set<string>();

async function download(
  client: Client,
  publishedApplicationId = org.publishedApplicationId,
  extraHeaders: Record<string, string> = {},
) {
  const response = await handlers.route(
    new Request(`http://localhost/api/store/${org.storeId}/apps/${publishedApplicationId}/download`, {
      headers: { cookie: client.cookie ?? '', [CLIENT_IP_HEADER]: client.ip, ...extraHeaders },
    }),
  )!;
  return {
    status: response.status,
    body: new Uint8Array(await response.arrayBuffer()),
    headers: response.headers,
  };
}

describe('store sign-in and downloads', () => {
  it('mails a code, signs in with it, and downloads until the allowance is used up', async () => {
    await newUser('three@store.example', 3);
    const client: Client = { ip: freshIp() };
    await signIn('three@store.example', client);

    const apps = await trpc(handlers, client, 'storeAccess.apps');
    expect(apps.body.result?.data).toMatchObject({
      email: 'three@store.example',
      apps: [
        { publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: 3, remainingDownloads: 3 },
      ],
    });
    const user = await testDb().otpUser.findFirstOrThrow({
      where: { storeId: org.storeId, email: 'three@store.example' },
    });
    expect(user.lastLoginDate).toBeInstanceOf(Date);

    // A link on another site cannot spend the allowance.
    expect(
      (await download(client, org.publishedApplicationId, { 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    expect((await testDb().otpUser.findFirstOrThrow({ where: { id: user.id } })).downloadsCount).toBe(0n);

    for (let i = 0; i < 3; i++) {
      const res = await download(client, org.publishedApplicationId, { 'sec-fetch-site': 'same-origin' });
      expect(res.status).toBe(200);
      expect([...res.body]).toEqual([1, 2, 3]);
      expect(res.headers.get('content-disposition')).toContain('attachment; filename="app.apk"');
    }
    const refused = await download(client);
    expect(refused.status).toBe(403);
    const refusedBody = JSON.parse(new TextDecoder().decode(refused.body));
    expect(refusedBody.message).toMatch(/No downloads left/);
    const after = await testDb().otpUser.findFirstOrThrow({ where: { id: user.id } });
    expect(after.downloadsCount).toBe(3n);
    expect(after.lastDownloadDate).toBeInstanceOf(Date);
    expect(await testDb().downloadEvent.count({ where: { otpUserId: user.id } })).toBe(3);
    const history = await callerFor(org.apiKey).otpUser.downloads({
      storeId: org.storeId,
      otpUserId: user.id,
      page: 1,
      limit: 10,
    });
    expect(history.totalDocs).toBe(3);
    expect(history.items).toHaveLength(3);
    expect(history.items[0]!.at).toBe(after.lastDownloadDate!.toISOString());
  });

  it('never refuses -1 and always refuses 0', async () => {
    await newUser('unlimited@store.example', -1);
    await newUser('none@store.example', 0);
    const unlimited: Client = { ip: freshIp() };
    await signIn('unlimited@store.example', unlimited);
    for (let i = 0; i < 12; i++) expect((await download(unlimited)).status).toBe(200);
    const none: Client = { ip: freshIp() };
    await signIn('none@store.example', none);
    expect((await download(none)).status).toBe(403);
    // Not an OTP user of that published application: not found.
    expect((await download(none, org.otherPublishedApplicationId)).status).toBe(404);
    expect((await download({ ip: freshIp() })).status).toBe(401);
  });

  it('treats any negative allowance as unlimited, as -1', async () => {
    await newUser('negative@store.example', -9007199254740991);
    const client: Client = { ip: freshIp() };
    await signIn('negative@store.example', client);
    for (let i = 0; i < 3; i++) expect((await download(client)).status).toBe(200);
  });

  it('names the store on its sign-in page, and 404s an unknown one', async () => {
    const caller = callerFor(null);
    expect(await caller.storeAccess.store({ storeId: org.storeId })).toEqual({
      id: org.storeId,
      name: 'Test Store',
      description: '',
      organizationName: expect.stringMatching(/^Test /),
      signedIn: false,
    });
    await expect(caller.storeAccess.store({ storeId: 'f'.repeat(24) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('tells the store page whether this browser is signed in to that store', async () => {
    await newUser('signed-in@store.example', 1);
    const client: Client = { ip: freshIp() };
    const signedIn = async (c: Client, storeId = org.storeId) => {
      const input = encodeURIComponent(JSON.stringify({ storeId }));
      const response = await handlers.route(
        new Request(`http://localhost/api/trpc/storeAccess.store?input=${input}`, {
          headers: { [CLIENT_IP_HEADER]: c.ip, ...(c.cookie ? { cookie: c.cookie } : {}) },
        }),
      )!;
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { data: { signedIn: boolean } } }).result.data.signedIn;
    };
    expect(await signedIn(client)).toBe(false);
    await signIn('signed-in@store.example', client);
    expect(await signedIn(client)).toBe(true);
    // Signed in to this store only; a forged cookie is no session.
    const other = await createTestOrganization();
    expect(await signedIn(client, other.storeId)).toBe(false);
    expect(await signedIn({ ip: client.ip, cookie: 'ota_store_session=forged' })).toBe(false);
  });

  it('answers known and unknown emails identically', async () => {
    await newUser('known@store.example', 1);
    const known = await trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
      storeId: org.storeId,
      email: 'known@store.example',
    });
    const unknown = await trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
      storeId: org.storeId,
      email: 'nobody@store.example',
    });
    expect(unknown).toEqual(known);
    const wrongKnown = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'known@store.example',
      code: '000000',
    });
    const wrongUnknown = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'nobody@store.example',
      code: '000000',
    });
    expect(wrongUnknown.status).toBe(401);
    expect(wrongUnknown).toEqual(wrongKnown);
    await sink.waitFor((m) => m.to.includes('known@store.example'));
    expect(sink.messages().some((m) => m.to.includes('nobody@store.example'))).toBe(false);
  });

  it('never stores, logs or records a code in clear', async () => {
    await newUser('secretive@store.example', 1);
    const code = await signIn('secretive@store.example', { ip: freshIp() });
    const codes = JSON.stringify(await testDb().otpCode.findMany({}));
    const logs = JSON.stringify(await testDb().deliveryLog.findMany({ where: { organizationId: org.id } }));
    const audit = JSON.stringify(await testDb().auditEvent.findMany({ where: { organizationId: org.id } }));
    for (const text of [codes, logs, audit, consoleLines.join('\n')]) expect(text).not.toContain(code);
    expect(logs).toContain('STORE_LOGIN');
    expect(logs).not.toContain('secretive@store.example');
  });

  it('lets exactly one of 20 parallel verifications of one code through', async () => {
    await newUser('race@store.example', 1);
    const code = await newCodeFor('race@store.example');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
          storeId: org.storeId,
          email: 'race@store.example',
          code,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(19);
  });

  it('counts 50 parallel downloads against an allowance of 10 exactly', async () => {
    await newUser('burst@store.example', 10);
    const client: Client = { ip: freshIp() };
    await signIn('burst@store.example', client);
    const results = await Promise.all(Array.from({ length: 50 }, () => download(client)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 403)).toHaveLength(40);
    const user = await testDb().otpUser.findFirstOrThrow({
      where: { storeId: org.storeId, email: 'burst@store.example' },
    });
    expect(user.downloadsCount).toBe(10n);
    expect(await testDb().downloadEvent.count({ where: { otpUserId: user.id } })).toBe(10);
  });
});

describe('code rules (fake clock)', () => {
  it('expires a code after 10 minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2032-03-01T10:00:00Z'));
    await newUser('expiry@store.example', 1);
    const code = await newCodeFor('expiry@store.example');
    vi.setSystemTime(new Date('2032-03-01T10:10:00.001Z'));
    const late = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'expiry@store.example',
      code,
    });
    expect(late.status).toBe(401);

    vi.setSystemTime(new Date('2032-03-01T11:00:00Z'));
    await trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
      storeId: org.storeId,
      email: 'expiry@store.example',
    });
    const second = codeIn(
      (await sink.waitFor((m) => m.to.includes('expiry@store.example') && !m.text.includes(code))).text,
    )!;
    vi.setSystemTime(new Date('2032-03-01T11:09:59Z'));
    const inTime = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'expiry@store.example',
      code: second,
    });
    expect(inTime.status).toBe(200);
  });

  it('holds a 60 s resend cooldown, for known and unknown emails alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2032-04-01T10:00:00Z'));
    await newUser('cooldown@store.example', 1);
    for (const email of ['cooldown@store.example', 'cooldown-unknown@store.example']) {
      const ask = () =>
        trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', { storeId: org.storeId, email });
      vi.setSystemTime(new Date('2032-04-01T10:00:00Z'));
      expect((await ask()).status).toBe(200);
      vi.setSystemTime(new Date('2032-04-01T10:00:59Z'));
      const early = await ask();
      expect(early.status).toBe(429);
      expect(early.body.error?.data.appCode).toBe(7001);
      vi.setSystemTime(new Date('2032-04-01T10:01:01Z'));
      expect((await ask()).status).toBe(200);
    }
  });

  it('kills a code after five wrong tries: the sixth fails even with the right code', async () => {
    await newUser('tries@store.example', 1);
    const code = await newCodeFor('tries@store.example');
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) {
      const res = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
        storeId: org.storeId,
        email: 'tries@store.example',
        code: wrong,
      });
      expect(res.status).toBe(401);
    }
    const sixth = await trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'tries@store.example',
      code,
    });
    expect(sixth.status).toBe(401);
  });

  it('a new code makes older ones stop working', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2032-05-01T10:00:00Z'));
    await newUser('replaced@store.example', 1);
    const ask = () =>
      trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
        storeId: org.storeId,
        email: 'replaced@store.example',
      });
    await ask();
    const first = codeIn((await sink.waitFor((m) => m.to.includes('replaced@store.example'))).text)!;
    vi.setSystemTime(new Date('2032-05-01T10:01:01Z'));
    await ask();
    const second = codeIn(
      (await sink.waitFor((m) => m.to.includes('replaced@store.example') && codeIn(m.text) !== first)).text,
    )!;
    const verify = (code: string) =>
      trpc(handlers, { ip: freshIp() }, 'storeAccess.verifyCode', {
        storeId: org.storeId,
        email: 'replaced@store.example',
        code,
      });
    expect((await verify(first)).status).toBe(401);
    expect((await verify(second)).status).toBe(200);
  });

  it('uses the organization’s code length, lifetime and mail template', async () => {
    const custom = await createTestOrganization();
    await testDb().organization.update({
      where: { id: custom.id },
      data: {
        otpCodeLength: 8,
        otpCodeTtlSeconds: 120,
        otpMailSubject: 'Code for {{organization}}',
        otpMailTemplate: 'Use {{code}} within {{minutes}} minutes.',
      },
    });
    await mailCodesTo(custom.apiKey, sink.port, 'custom@test.example');
    await newUser('custom@store.example', 1, custom);
    const res = await trpc(handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
      storeId: custom.storeId,
      email: 'custom@store.example',
    });
    expect(res.body.result?.data).toEqual({ status: 'sent', expiresInSeconds: 120 });
    const mail = await sink.waitFor((m) => m.to.includes('custom@store.example'));
    expect(mail.text.trim()).toMatch(/^Use \d{8} within 2 minutes\.$/);
    expect(mail.subject).toBe(`Code for Test ${custom.slug.slice(5)}`);
  });
});

describe('limits across app instances', () => {
  it('holds when two instances share one database', async () => {
    const connectionString = process.env.DATABASE_URL!;
    const instances = [0, 1].map(() => {
      const db = createDb({ connectionString, max: 2 });
      const limits = createLimits({ kind: 'postgres', connectionString });
      return {
        db,
        limits,
        handlers: testHandlers({
          db,
          limits,
        }),
      };
    });
    try {
      await newUser('twice@store.example', 1);
      const ask = (i: number) =>
        trpc(instances[i]!.handlers, { ip: freshIp() }, 'storeAccess.requestCode', {
          storeId: org.storeId,
          email: 'twice@store.example',
        });
      expect((await ask(0)).status).toBe(200);
      expect((await ask(1)).status).toBe(429);
      expect((await ask(0)).status).toBe(429);
      // And the per-IP limit: 30 requests from one address, spread over both instances.
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) {
        const res = await trpc(instances[i % 2]!.handlers, { ip }, 'storeAccess.requestCode', {
          storeId: org.storeId,
          email: `ip-${i}@store.example`,
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      expect(statuses.slice(30)).toEqual([429, 429]);
    } finally {
      for (const instance of instances) {
        await instance.limits.close();
        await instance.db.$disconnect();
      }
    }
  });
});
