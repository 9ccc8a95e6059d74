import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { reencryptAllSecrets } from '../services/otp-settings';
import { parseKeyringSpec } from '../services/secret-box';
import { conformantRoutes } from '../testing/conformance';
import { captureConsole } from '../testing/console';
import {
  callerFor,
  createTestOrganization,
  netgsmSettingBody,
  routeJson,
  sessionCookieFor,
  snapshotOrganization,
  type TestOrganization,
  testDb,
  testHandlers,
  twilioSettingBody,
} from '../testing/fixtures';
import { flipSecretBit } from '../testing/tamper';

const SECRETS = {
  authToken: 'twilio-secret-token-0123456789',
  netgsmPassword: 'netgsm-secret-pass',
  dataportPassword: 'dataport-secret-pass',
  smtpPassword: 'smtp-secret-pass',
};

let org: TestOrganization;
let sink: MailSink;
let cookie: string;
const consoleLines: string[] = [];
const handlers = conformantRoutes(
  testHandlers({
    onUnexpectedError: (error) => consoleLines.push(String(error)),
  }),
);

beforeAll(async () => {
  captureConsole(consoleLines);
  org = await createTestOrganization();
  sink = await startMailSink();
  cookie = await sessionCookieFor(org.members.OWNER.userId);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await sink.stop();
});

const responses: string[] = [];

async function call(method: string, path: string, body?: unknown, auth: 'cookie' | 'key' = 'cookie') {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth === 'cookie') {
    headers.set('cookie', cookie);
    headers.set('x-space', org.slug);
  } else {
    headers.set('authorization', `Bearer ${org.apiKey}`);
  }
  const response = await routeJson(handlers, method, path, headers, body);
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: JSON.parse(text) };
}

/** Saves `fields` as the organization's (not default) SMS setting of `provider`. */
const putSms = (provider: 'NETGSM' | 'DATAPORT', fields: Record<string, unknown>) =>
  call('PUT', `/api/otp/settings/sms/${provider.toLowerCase()}`, {
    isDefault: false,
    type: 'SMS',
    provider,
    ...fields,
  });

const smtpBody = (extra: Record<string, unknown> = {}) => ({
  isDefault: true,
  type: 'mail',
  provider: 'default',
  username: 'mailer',
  password: SECRETS.smtpPassword,
  smtpHost: '127.0.0.1',
  smtpPort: sink.port,
  transportStrategy: 'SMTP',
  fromAddress: 'otp@test.example',
  ...extra,
});

describe('OTP settings REST surface', () => {
  it('PUTs every provider and GETs them back, secrets masked and stored only as ciphertext', async () => {
    const twilio = await call('PUT', '/api/otp/settings/sms/twilio', {
      isDefault: true,
      type: 'SMS',
      provider: 'Twilio',
      accountSid: `AC${'a'.repeat(32)}`,
      authToken: SECRETS.authToken,
      twilioNumber: '+15005550006',
      createdBy: 'ignored',
      creationDate: '2000-01-01T00:00:00Z',
    });
    expect(twilio.status).toBe(200);
    expect(twilio.body).toMatchObject({
      type: 'SMS',
      provider: 'TWILIO',
      isDefault: true,
      accountSid: `AC${'a'.repeat(32)}`,
      twilioNumber: '+15005550006',
      authTokenSet: true,
      createdBy: expect.stringContaining(org.members.OWNER.email),
    });
    expect(twilio.body).not.toHaveProperty('authToken');
    expect(twilio.body.creationDate).not.toBe('2000-01-01T00:00:00.000Z');

    const netgsm = await call('PUT', '/api/otp/settings/sms/netgsm', {
      isDefault: false,
      type: 'sms',
      provider: 'netgsm',
      username: '8503020000',
      bayiCode: 'B1',
      password: SECRETS.netgsmPassword,
      header: 'OTPACCESS',
    });
    expect(netgsm.status).toBe(200);
    expect(netgsm.body).toMatchObject({
      provider: 'NETGSM',
      isDefault: false,
      passwordSet: true,
      header: 'OTPACCESS',
    });

    const dataport = await call('PUT', '/api/otp/settings/sms/dataport', {
      isDefault: false,
      type: 'SMS',
      provider: 'DATAPORT',
      originator: 'OTPACCESS',
      shortNumber: '3838',
      operator: '1',
      username: 'dp-user',
      accountNumber: '12345',
      password: SECRETS.dataportPassword,
    });
    expect(dataport.status).toBe(200);

    const smtp = await call('PUT', '/api/otp/settings/mail/default', smtpBody());
    expect(smtp.status).toBe(200);
    expect(smtp.body).toMatchObject({
      type: 'MAIL',
      provider: 'DEFAULT',
      smtpPort: sink.port,
      passwordSet: true,
    });

    const list = await call('GET', '/api/otp/settings');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { provider: string }) => s.provider).sort()).toEqual([
      'DATAPORT',
      'DEFAULT',
      'NETGSM',
      'TWILIO',
    ]);
    expect(list.body.find((s: { provider: string }) => s.provider === 'TWILIO')).toEqual(twilio.body);

    const rows = await testDb().deliverySetting.findMany({ where: { organizationId: org.id } });
    const stored = JSON.stringify(rows);
    for (const value of Object.values(SECRETS)) expect(stored).not.toContain(value);
    for (const row of rows) {
      for (const value of Object.values(row.secrets as Record<string, string>))
        expect(value).toMatch(/^v1\.test1\./);
    }
  });

  it('keeps a secret that a PUT leaves out, and merges other fields', async () => {
    const before = await testDb().deliverySetting.findFirstOrThrow({
      where: { organizationId: org.id, provider: 'NETGSM' },
    });
    const res = await putSms('NETGSM', { header: 'NEWHEADER' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ header: 'NEWHEADER', username: '8503020000', passwordSet: true });
    const after = await testDb().deliverySetting.findFirstOrThrow({ where: { id: before.id } });
    expect(after.secrets).toEqual(before.secrets);
  });

  it('clears a blank optional field but keeps a blank secret, and refuses a blank required field', async () => {
    const put = (fields: Record<string, unknown>) => putSms('NETGSM', fields);
    const password = SECRETS.netgsmPassword;
    expect((await put({ bayiCode: 'DEALER1', password })).body).toMatchObject({ bayiCode: 'DEALER1' });
    const before = await testDb().deliverySetting.findFirstOrThrow({
      where: { organizationId: org.id, provider: 'NETGSM' },
    });
    // The dealer code names the account the password is for: clearing it needs the password again.
    const refused = await put({ bayiCode: '' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toHaveProperty('password');
    const cleared = await put({ bayiCode: '', password });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ bayiCode: null, passwordSet: true });
    const after = await testDb().deliverySetting.findFirstOrThrow({ where: { id: before.id } });
    expect(after.config).not.toHaveProperty('bayiCode');
    // A blank secret beside a change that keeps the destination: the stored one stays.
    const kept = await put({ header: 'KEPTHDR' });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ header: 'KEPTHDR', passwordSet: true });
    const afterKept = await testDb().deliverySetting.findFirstOrThrow({ where: { id: before.id } });
    expect(afterKept.secrets).toEqual(after.secrets);
    // `header` is required: blank is refused, and the stored one stays.
    expect((await put({ header: '' })).status).toBe(400);
    const unchanged = await testDb().deliverySetting.findFirstOrThrow({ where: { id: before.id } });
    expect(unchanged.config).toMatchObject({ header: 'KEPTHDR' });
  });

  it('refuses bad input on every endpoint with a Spring-style error and changes nothing', async () => {
    const before = await snapshotOrganization(testDb(), org.id);
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/api/otp/settings/sms/twilio', { isDefault: true, type: 'MAIL', provider: 'TWILIO' }, 'type'],
      [
        'PUT',
        '/api/otp/settings/sms/twilio',
        { isDefault: true, type: 'SMS', provider: 'NETGSM' },
        'provider',
      ],
      ['PUT', '/api/otp/settings/sms/twilio', { type: 'SMS', provider: 'TWILIO' }, 'isDefault'],
      [
        'PUT',
        '/api/otp/settings/sms/twilio',
        { isDefault: true, type: 'SMS', provider: 'TWILIO', accountSid: 'nope' },
        'accountSid',
      ],
      [
        'PUT',
        '/api/otp/settings/sms/twilio',
        { isDefault: true, type: 'S'.repeat(51), provider: 'TWILIO' },
        'type',
      ],
      [
        'PUT',
        '/api/otp/settings/sms/netgsm',
        { isDefault: true, type: 'SMS', provider: 'NETGSM', header: 'x'.repeat(12) },
        'header',
      ],
      [
        'PUT',
        '/api/otp/settings/sms/dataport',
        { isDefault: true, type: 'SMS', provider: 'DATAPORT', password: 5 },
        'password',
      ],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ smtpPort: 70000 }), 'smtpPort'],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ smtpPort: 25.5 }), 'smtpPort'],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ username: 'u'.repeat(51) }), 'username'],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ password: 'p'.repeat(61) }), 'password'],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ smtpHost: 'h'.repeat(51) }), 'smtpHost'],
      [
        'PUT',
        '/api/otp/settings/mail/default',
        smtpBody({ transportStrategy: 'STARTTLS' }),
        'transportStrategy',
      ],
      ['PUT', '/api/otp/settings/mail/default', smtpBody({ organizationId: 'x' }), 'organizationId'],
      ['POST', '/api/otp/settings/test', { type: 'FAX' }, 'type'],
      ['POST', '/api/otp/settings/test', { type: 'MAIL', to: 'not-an-email' }, 'to'],
      ['POST', '/api/otp/settings/test', { type: 'SMS', to: '12345' }, 'to'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({ status: 400, error: 'Bad Request', path });
      expect(Object.keys(res.body.errors), `${path} ${JSON.stringify(body)}`).toContain(field);
      expect(typeof res.body.timestamp).toBe('string');
    }
    // A new setting must have what its provider needs.
    await testDb().deliverySetting.deleteMany({ where: { organizationId: org.id, provider: 'DATAPORT' } });
    const incomplete = await putSms('DATAPORT', { username: 'x' });
    expect(incomplete.status).toBe(400);
    expect(Object.keys(incomplete.body.errors).sort()).toEqual(['accountNumber', 'originator', 'password']);
    const malformed = await handlers.route(
      new Request('http://localhost/api/otp/settings/sms/twilio', {
        method: 'PUT',
        headers: { cookie, 'x-space': org.slug, 'content-type': 'application/json' },
        body: '{"isDefault": tru',
      }),
    )!;
    expect(malformed.status).toBe(400);
    expect((await call('GET', '/api/otp/settings/nothing')).status).toBe(404);
    const { deliverySettings: _before, ...restBefore } = before;
    const { deliverySettings: afterSettings, ...restAfter } = await snapshotOrganization(testDb(), org.id);
    expect(restAfter).toEqual(restBefore);
    expect(afterSettings.map((s) => s.id)).toEqual(
      _before.filter((s) => s.provider !== 'DATAPORT').map((s) => s.id),
    );
  });

  it('needs X-Space with a cookie session, and refuses members without the permission', async () => {
    const noSpace = await handlers.route(
      new Request('http://localhost/api/otp/settings', { headers: { cookie } }),
    )!;
    expect(noSpace.status).toBe(400);
    const viewer = await sessionCookieFor(org.members.VIEWER.userId);
    const put = await handlers.route(
      new Request('http://localhost/api/otp/settings/mail/default', {
        method: 'PUT',
        headers: { cookie: viewer, 'x-space': org.slug, 'content-type': 'application/json' },
        body: JSON.stringify(smtpBody()),
      }),
    )!;
    expect(put.status).toBe(403);
    const other = await createTestOrganization();
    const outsider = await handlers.route(
      new Request('http://localhost/api/otp/settings', {
        headers: { cookie: await sessionCookieFor(other.members.OWNER.userId), 'x-space': org.slug },
      }),
    )!;
    expect(outsider.status).toBe(403);
  });

  it('sends a real test message through the default provider to the signed-in admin', async () => {
    const res = await call('POST', '/api/otp/settings/test', {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      delivered: true,
      type: 'MAIL',
      attempts: [{ provider: 'DEFAULT', status: 'SENT' }],
    });
    expect(res.body.recipient).not.toContain(org.members.OWNER.email);
    const mail = await sink.waitFor((m) => m.to.includes(org.members.OWNER.email));
    expect(mail).toMatchObject({ from: 'otp@test.example', subject: 'OTP Access test message' });

    const withKey = await call(
      'POST',
      '/api/otp/settings/test',
      { type: 'mail', to: 'someone@test.example' },
      'key',
    );
    expect(withKey.body.delivered).toBe(true);
    await sink.waitFor((m) => m.to.includes('someone@test.example'));
    const needsTo = await call('POST', '/api/otp/settings/test', { type: 'MAIL' }, 'key');
    expect(needsTo.status).toBe(400);
  });

  it('answers what the provider said when the test send fails', async () => {
    const twilio = await startFakeProvider(() => ({
      status: 401,
      body: { code: 20003, message: 'Authenticate', status: 401 },
    }));
    try {
      const caller = callerFor(org.apiKey, {
        delivery: {
          timeoutMs: 2_000,
          baseUrls: { TWILIO: twilio.baseUrl, NETGSM: 'http://127.0.0.1:1', DATAPORT: 'http://127.0.0.1:1' },
        },
      });
      const result = await caller.otpSettings.test({ type: 'SMS', to: '+905321234567' });
      expect(result.delivered).toBe(false);
      expect(result.attempts[0]).toMatchObject({
        provider: 'TWILIO',
        status: 'FAILED',
        errorKind: 'BAD_CREDENTIALS',
      });
      expect(twilio.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from(`AC${'a'.repeat(32)}:${SECRETS.authToken}`).toString('base64')}`,
      );
    } finally {
      await twilio.close();
    }
  });

  it('never puts a secret into a response, an audit event or a log line', async () => {
    const audit = JSON.stringify(await testDb().auditEvent.findMany({ where: { organizationId: org.id } }));
    const logs = JSON.stringify(await testDb().deliveryLog.findMany({ where: { organizationId: org.id } }));
    for (const value of Object.values(SECRETS)) {
      expect(responses.join('\n')).not.toContain(value);
      expect(audit).not.toContain(value);
      expect(logs).not.toContain(value);
      expect(consoleLines.join('\n')).not.toContain(value);
    }
    expect(audit).toContain('secretsChanged');
  });
});

describe('limits on test sends', () => {
  it('answers 429 with Retry-After once an organization has used its test sends for the hour', async () => {
    const o = await createTestOrganization();
    const send = () =>
      handlers.route(
        new Request('http://localhost/api/otp/settings/test', {
          method: 'POST',
          headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'MAIL', to: 'limited@test.example' }),
        }),
      )!;
    // No provider configured: each try is a 400, and still counts.
    for (let i = 0; i < 30; i++) expect((await send()).status).toBe(400);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await limited.json()).toMatchObject({ status: 429, error: 'Too Many Requests' });
  });
});

describe('delivery: failover, logging, encryption keys', () => {
  it('falls over to the next provider of the type when the default fails, and logs both attempts', async () => {
    const o = await createTestOrganization();
    const owner = callerFor(o.apiKey);
    const down = await startFakeProvider(() => ({
      status: 503,
      body: '<html>upstream down</html>',
      contentType: 'text/html',
    }));
    const netgsm = await startFakeProvider(() => ({
      status: 200,
      body: { code: '00', jobid: 'job-42', description: 'queued' },
    }));
    try {
      await owner.otpSettings.upsertTwilio({
        ...twilioSettingBody(),
        isDefault: true,
        accountSid: `AC${'b'.repeat(32)}`,
      });
      await owner.otpSettings.upsertNetgsm(netgsmSettingBody());
      const caller = callerFor(o.apiKey, {
        delivery: { timeoutMs: 2_000, baseUrls: { TWILIO: down.baseUrl, NETGSM: netgsm.baseUrl } },
      });
      const result = await caller.otpSettings.test({ type: 'SMS', to: '+905321234567' });
      expect(result.delivered).toBe(true);
      expect(result.attempts.map((a) => [a.provider, a.status])).toEqual([
        ['TWILIO', 'FAILED'],
        ['NETGSM', 'SENT'],
      ]);
      expect(JSON.parse(netgsm.requests[0]!.body)).toMatchObject({ msgheader: 'H' });
      const logs = await caller.deliveryLog.list({ page: 1, limit: 10 });
      expect(logs.items.map((l) => [l.provider, l.status, l.purpose]).reverse()).toEqual([
        ['TWILIO', 'FAILED', 'TEST'],
        ['NETGSM', 'SENT', 'TEST'],
      ]);
      expect(logs.items[0], JSON.stringify(logs.items[0])).toMatchObject({
        providerMessageId: 'job-42',
        recipient: '+90********67',
      });
      expect(logs.items[1]!.error).toBeTruthy();
      expect((await caller.deliveryLog.list({ page: 1, limit: 10, status: 'FAILED' })).totalDocs).toBe(1);
    } finally {
      await Promise.all([down.close(), netgsm.close()]);
    }
  });

  it('keeps at most one default per type, enforced by the database', async () => {
    const o = await createTestOrganization();
    const owner = callerFor(o.apiKey);
    await owner.otpSettings.upsertTwilio({
      ...twilioSettingBody(),
      isDefault: true,
      accountSid: `AC${'c'.repeat(32)}`,
    });
    await owner.otpSettings.upsertNetgsm({ ...netgsmSettingBody(), isDefault: true });
    const settings = await owner.otpSettings.list();
    expect(settings.filter((s) => s.isDefault).map((s) => s.provider)).toEqual(['NETGSM']);
    await owner.otpSettings.setDefault({ type: 'SMS', provider: 'TWILIO' });
    expect((await owner.otpSettings.list()).filter((s) => s.isDefault).map((s) => s.provider)).toEqual([
      'TWILIO',
    ]);
    await expect(
      testDb().deliverySetting.updateMany({
        where: { organizationId: o.id, provider: 'NETGSM' },
        data: { defaultFor: 'SMS' },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await owner.otpSettings.remove({ type: 'SMS', provider: 'NETGSM' });
    await expect(owner.otpSettings.remove({ type: 'SMS', provider: 'NETGSM' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads data written under an old key after rotation, and re-encrypts everything under the new key', async () => {
    const o = await createTestOrganization();
    const oldRing = parseKeyringSpec(`old:${Buffer.alloc(32, 1).toString('base64')}`);
    const rotated = parseKeyringSpec(
      `new:${Buffer.alloc(32, 2).toString('base64')},old:${Buffer.alloc(32, 1).toString('base64')}`,
    );
    const newOnly = parseKeyringSpec(`new:${Buffer.alloc(32, 2).toString('base64')}`);
    const local = await startMailSink();
    try {
      await callerFor(o.apiKey, { keyring: oldRing }).otpSettings.upsertSmtp({
        isDefault: true,
        type: 'MAIL',
        provider: 'DEFAULT',
        username: 'u',
        password: 'rotate-me',
        smtpHost: '127.0.0.1',
        smtpPort: local.port,
        transportStrategy: 'SMTP',
        fromAddress: 'rot@test.example',
      });
      const sendWith = (keyring: typeof oldRing) =>
        callerFor(o.apiKey, { keyring }).otpSettings.test({ type: 'MAIL', to: 'rot@test.example' });
      expect((await sendWith(rotated)).delivered).toBe(true);
      expect((await sendWith(newOnly)).attempts[0]?.errorKind).toBe('SETTINGS_UNREADABLE');

      const moved = await reencryptAllSecrets(testDb(), rotated, { organizationId: o.id });
      expect(moved.values).toBeGreaterThanOrEqual(1);
      const row = await testDb().deliverySetting.findFirstOrThrow({ where: { organizationId: o.id } });
      expect((row.secrets as Record<string, string>).password).toMatch(/^v1\.new\./);
      expect((await sendWith(newOnly)).delivered).toBe(true);
      expect((await reencryptAllSecrets(testDb(), rotated, { organizationId: o.id })).values).toBe(0);
    } finally {
      await local.stop();
    }
  });

  it('fails loudly on tampered ciphertext', async () => {
    const o = await createTestOrganization();
    await callerFor(o.apiKey).otpSettings.upsertNetgsm({ ...netgsmSettingBody(), isDefault: true });
    const row = await testDb().deliverySetting.findFirstOrThrow({ where: { organizationId: o.id } });
    const value = (row.secrets as Record<string, string>).password!;
    const tampered = flipSecretBit(value, 'ciphertext');
    await testDb().deliverySetting.update({
      where: { id: row.id },
      data: { secrets: { password: tampered } },
    });
    const result = await callerFor(o.apiKey).otpSettings.test({ type: 'SMS', to: '+905321234567' });
    expect(result.attempts[0]).toMatchObject({ status: 'FAILED', errorKind: 'SETTINGS_UNREADABLE' });
    await expect(
      reencryptAllSecrets(
        testDb(),
        parseKeyringSpec(
          `new:${Buffer.alloc(32, 3).toString('base64')},test1:${Buffer.alloc(32, 7).toString('base64')}`,
        ),
        { organizationId: o.id },
      ),
    ).rejects.toThrow();
  });
});
