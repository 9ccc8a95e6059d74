import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSink } from '../delivery/mail-sink';
import { conformantRoutes } from '../testing/conformance';
import {
  callerAsUser,
  createTestOrganization,
  startOperatorMail,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../testing/fixtures';

let sink: MailSink;
let org: TestOrganization;
let handlers: ReturnType<typeof conformantRoutes>;

beforeAll(async () => {
  // The installation's own mail server: admin codes never go through an organization's settings.
  const operator = await startOperatorMail();
  sink = operator.sink;
  handlers = conformantRoutes(
    testHandlers({
      delivery: operator.delivery,
    }),
  );
  org = await createTestOrganization();
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

  it('offers no SMS codes; an account that chose them gets its code by the operator mail', async () => {
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    await expect(viewer.auth.setTwoFactor({ otpType: 'SMS', phone: '+905321234567' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await testDb().adminUser.update({
      where: { id: org.members.VIEWER.userId },
      data: { otpType: 'SMS', phone: '+905321234567' },
    });
    const login = await post('/login', { username: org.members.VIEWER.email, password: TEST_PASSWORD });
    expect(login.body).toEqual({ otp_required: true, otp_type: 'MAIL', username: org.members.VIEWER.email });
    await sink.waitFor((m) => m.to.includes(org.members.VIEWER.email));
  });

  it('signs in with an authenticator app (each code once) or a recovery code (each once), only after the password', async () => {
    const owner = org.members.OWNER;
    const me = await callerAsUser(owner.userId, org.slug);
    const { secret, uri, qrCode } = await me.account.beginTotp();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    await expect(
      me.account.confirmTotp({ code: totp.generate({ timestamp: Date.now() - 600_000 }) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const { recoveryCodes } = await me.account.confirmTotp({ code: totp.generate() });
    expect(recoveryCodes).toHaveLength(10);
    // Only hashes are stored.
    const stored = await testDb().recoveryCode.findMany({ where: { userId: owner.userId } });
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!.replace('-', ''));
    expect(
      JSON.stringify(await testDb().adminUser.findUnique({ where: { id: owner.userId } })),
    ).not.toContain(secret);

    // Without a right password first, no code is checked at all.
    const next = () => totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await post('/validate', { username: owner.email, otp_code: next() })).status).toBe(401);

    const login = await post('/login', { username: owner.email, password: TEST_PASSWORD });
    expect(login.body).toEqual({ otp_required: true, otp_type: 'TOTP', username: owner.email });
    // The code confirmed at enrolment was used: its time step cannot sign in again.
    const fresh = totp.generate();
    const first = await post('/validate', { username: owner.email, otp_code: fresh });
    if (first.status !== 200) {
      // Same 30-second step as the enrolment: wait for the next one.
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200));
      expect((await post('/validate', { username: owner.email, otp_code: totp.generate() })).status).toBe(
        200,
      );
    }
    await post('/login', { username: owner.email, password: TEST_PASSWORD });
    expect((await post('/validate', { username: owner.email, otp_code: totp.generate() })).status).toBe(401);

    // A recovery code works once.
    const recovery = recoveryCodes[3]!;
    await post('/login', { username: owner.email, password: TEST_PASSWORD });
    expect((await post('/validate', { username: owner.email, otp_code: recovery })).status).toBe(200);
    await post('/login', { username: owner.email, password: TEST_PASSWORD });
    expect((await post('/validate', { username: owner.email, otp_code: recovery })).status).toBe(401);
    expect((await me.account.twoFactor()).recoveryCodesLeft).toBe(9);

    // Turning it off needs the password.
    await expect(me.auth.setTwoFactor({ otpType: 'NONE' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await me.auth.setTwoFactor({ otpType: 'NONE', currentPassword: TEST_PASSWORD });
    expect(await testDb().recoveryCode.count({ where: { userId: owner.userId } })).toBe(0);
  }, 60_000);
});
