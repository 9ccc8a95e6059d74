import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { createHttpHandlers } from '../http';
import { conformantRoutes } from '../testing/conformance';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testDelivery,
  testKeyring,
  testLimits,
  testSession,
} from '../testing/fixtures';

let sink: MailSink;
let org: TestOrganization;
const handlers = conformantRoutes(
  createHttpHandlers({
    db: testDb(),
    session: testSession,
    keyring: testKeyring,
    limits: testLimits(),
    delivery: testDelivery(),
  }),
);

beforeAll(async () => {
  sink = await startMailSink();
  org = await createTestOrganization();
  await callerFor(org.apiKey).otpSettings.upsertSmtp({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: '127.0.0.1',
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'admin-codes@test.example',
  });
});

afterAll(async () => {
  await sink.stop();
});

async function post(path: string, body: unknown) {
  const response = await handlers.route(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )!;
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookies: response.headers.getSetCookie(),
  };
}

describe('admin two-factor sign-in', () => {
  it('answers otp_required, mails a code, and /validate completes the sign-in once', async () => {
    const admin = org.members.ADMIN;
    const me = await callerAsUser(admin.userId, org.slug);
    expect(await me.auth.setTwoFactor({ otpType: 'MAIL' })).toEqual({ otpType: 'MAIL', phone: null });

    const login = await post('/login', { username: admin.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ otp_required: true, otp_type: 'MAIL', username: admin.email });
    expect(login.cookies).toEqual([]);

    const mail = await sink.waitFor((m) => m.to.includes(admin.email));
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const wrong = await post('/validate', {
      username: admin.email,
      otp_code: code === '123456' ? '654321' : '123456',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Invalid or expired code');

    const ok = await post('/validate', { username: admin.email, otp_code: code });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ 'expire-seconds': 300, spaces: [{ slug: org.slug, role: 'ADMIN' }] });
    expect(ok.cookies.map((c) => c.split('=')[0])).toEqual(['ins_access_token', 'ins_refresh_token']);

    expect((await post('/validate', { username: admin.email, otp_code: code })).status).toBe(401);
    const unknown = await post('/validate', { username: 'nobody@admins.example', otp_code: code });
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('Invalid or expired code');
    expect(await testDb().otpCode.count({ where: { codeHash: code } })).toBe(0);
  });

  it('needs a phone for SMS codes and a configured provider to send them', async () => {
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    await expect(viewer.auth.setTwoFactor({ otpType: 'SMS' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await viewer.auth.setTwoFactor({ otpType: 'SMS', phone: '+905321234567' });
    // No SMS provider in this space: the sign-in cannot complete, and says why.
    const login = await post('/login', { username: org.members.VIEWER.email, password: TEST_PASSWORD });
    expect(login.status).toBe(503);
    expect(String(login.body.message)).toMatch(/No SMS provider/);
  });
});
