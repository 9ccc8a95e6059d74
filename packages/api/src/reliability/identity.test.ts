/**
 * Attacks on admin identity across organizations, run as an attacker would: another tenant's
 * owner, an anonymous caller, a guesser with many addresses, a key limited to managing members.
 * Each one is a finding of the external probe, with the figures docs/reliability.md reports.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSink } from '../delivery/mail-sink';
import { startMailSink } from '../delivery/mail-sink';
import type { DeliveryConfig } from '../services/delivery';
import { createLimits } from '../services/limits';
import { recordFigures } from '../testing/figures';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  sessionCookieFor,
  startOperatorMail,
  TEST_PASSWORD,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testHandlers,
  testLimits,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';

let operator: { sink: MailSink; delivery: DeliveryConfig };
let attackerInbox: MailSink;
let handlers: TestHandlers;
const runId = randomBytes(3).toString('hex');
let ipCounter = 0;
const freshIp = () => `2001:db8:1d:${runId}::${(++ipCounter).toString(16)}`;

beforeAll(async () => {
  operator = await startOperatorMail();
  attackerInbox = await startMailSink();
  handlers = testHandlers({
    delivery: { ...operator.delivery, timeoutMs: 2_000 },
  });
});

afterAll(async () => {
  await Promise.all([operator?.sink.stop(), attackerInbox?.stop()]);
});

async function post(path: string, body: unknown, ip: string, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip });
  if (cookie) headers.set('cookie', cookie);
  const response = await handlers.route(
    new Request(`http://localhost${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  )!;
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    retryAfter: response.headers.get('retry-after'),
  };
}

const login = (email: string, password: string, ip: string) =>
  post('/login', { username: email, password }, ip);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

/** Two organizations where the attacker's slug sorts first (the old code took the first space by slug). */
async function victimAndAttacker(): Promise<{ victim: TestOrganization; attacker: TestOrganization }> {
  const [victim, attacker] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  const slug = `aaa-${attacker.slug}`;
  await testDb().organization.update({ where: { id: attacker.id }, data: { slug } });
  return { victim, attacker: { ...attacker, slug } };
}

describe('finding 1: another organization cannot read or block an admin second factor', () => {
  it('invite, repoint the mail setting, sign in: the code reaches the operator mail, never the attacker', async () => {
    const { victim, attacker } = await victimAndAttacker();
    const admin = victim.members.ADMIN;
    await (await callerAsUser(admin.userId, victim.slug)).auth.setTwoFactor({ otpType: 'MAIL' });

    // 1. The attacker's owner invites the victim's address, and an address no account has.
    const owner = await callerAsUser(attacker.members.OWNER.userId, attacker.slug, {
      delivery: operator.delivery,
    });
    const existing = await owner.member.invite({ email: admin.email, role: 'VIEWER' });
    const unknown = await owner.member.invite({ email: `nobody-${runId}@nowhere.example`, role: 'VIEWER' });
    const shape = (answer: typeof existing) => Object.keys(answer.invitation).sort().join();
    expect(shape(existing)).toBe(shape(unknown));
    expect(existing).not.toHaveProperty('initialPassword');
    expect(existing.invitation.role).toBe(unknown.invitation.role);
    // Nothing about the pending account is shown: it is not a member.
    expect((await owner.member.list()).map((m) => m.email)).not.toContain(admin.email);

    // 2. The attacker points their organization's default MAIL setting at their own server.
    await callerFor(attacker.apiKey).otpSettings.upsertSmtp({
      isDefault: true,
      type: 'MAIL',
      provider: 'DEFAULT',
      smtpHost: attackerInbox.host,
      smtpPort: attackerInbox.port,
      transportStrategy: 'SMTP',
      fromAddress: 'codes@attacker.example',
    });

    // 3. The victim signs in: the code goes through the installation's mail server.
    const signIn = await login(admin.email, TEST_PASSWORD, freshIp());
    expect(signIn.body).toEqual({ otp_required: true, otp_type: 'MAIL', username: admin.email });
    const mail = await operator.sink.waitFor(
      (m) => m.to.includes(admin.email) && /sign-in code/.test(m.subject),
    );
    await settle();
    expect(attackerInbox.messages().filter((m) => m.to.includes(admin.email))).toEqual([]);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    expect((await post('/validate', { username: admin.email, otp_code: code }, freshIp())).status).toBe(200);

    // 4. Even once the victim accepts the invitation (a member of both), and with the attacker's
    // server closed, the sign-in neither leaks nor fails.
    const me = await callerAsUser(admin.userId, victim.slug);
    const [pending] = await me.account.invitations();
    await me.account.answerInvitation({ id: pending!.id, accept: true });
    await callerFor(attacker.apiKey).otpSettings.upsertSmtp({
      isDefault: true,
      type: 'MAIL',
      provider: 'DEFAULT',
      smtpHost: '127.0.0.1',
      smtpPort: 9, // discard: nothing listens
      transportStrategy: 'SMTP',
      fromAddress: 'codes@attacker.example',
    });
    await new Promise((resolve) => setTimeout(resolve, 31_000)); // the account's resend cooldown
    const again = await login(admin.email, TEST_PASSWORD, freshIp());
    expect(again.status).toBe(200);
    await operator.sink.waitFor(
      (m) => m.to.includes(admin.email) && /sign-in code/.test(m.subject) && m.id !== mail.id,
    );
    await settle();
    const leaked = attackerInbox.messages().filter((m) => m.to.includes(admin.email)).length;
    expect(leaked).toBe(0);
    const deliveryLogs = await testDb().deliveryLog.count({ where: { organizationId: attacker.id } });
    expect(deliveryLogs).toBe(0);

    recordFigures('identity: cross-tenant second factor (invite, repoint MAIL, sign in twice)', {
      'invite answers compared': 2,
      'sign-ins': 2,
      'codes at the operator mail': 2,
      'codes at the attacker server': leaked,
      'attacker delivery-log rows': deliveryLogs,
      'sign-in with the attacker server closed': again.status,
    });
  }, 60_000);
});

describe('finding 3: no one can spend an admin sign-in code budget', () => {
  it('store code requests for an admin address, accepted or refused, leave the admin codes alone', async () => {
    const home = await createTestOrganization();
    const admin = home.members.ADMIN;
    await (await callerAsUser(admin.userId, home.slug)).auth.setTwoFactor({ otpType: 'MAIL' });
    const stores = await Promise.all(Array.from({ length: 12 }, () => createTestOrganization()));
    const anonymous = (ip: string) =>
      handlers.route(
        new Request('http://localhost/api/trpc/storeAccess.requestCode', {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip },
          body: JSON.stringify({ storeId: stores[0]!.storeId, email: admin.email }),
        }),
      )!;
    // One address spends its own budget on other recipients first…
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      await handlers.route(
        new Request('http://localhost/api/trpc/storeAccess.requestCode', {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip },
          body: JSON.stringify({ storeId: stores[i % 12]!.storeId, email: `filler-${runId}-${i}@x.example` }),
        }),
      );
    }
    const before = await testLimits().used('sendPerRecipient', admin.email);
    // …then asks for the admin's address: every request is refused by the per-address limit.
    const refusedByIp = await Promise.all(Array.from({ length: 20 }, () => anonymous(ip)));
    expect(refusedByIp.map((r) => r.status)).toEqual(Array(20).fill(429));
    expect(await testLimits().used('sendPerRecipient', admin.email)).toBe(before);

    // From fresh addresses across 12 stores the recipient's store budget is spent…
    const statuses: number[] = [];
    for (const store of stores) {
      const response = await handlers.route(
        new Request('http://localhost/api/trpc/storeAccess.requestCode', {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: freshIp() },
          body: JSON.stringify({ storeId: store.storeId, email: admin.email }),
        }),
      )!;
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // …and the admin still gets their sign-in code.
    const signIn = await login(admin.email, TEST_PASSWORD, freshIp());
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ otp_required: true, otp_type: 'MAIL' });

    recordFigures('identity: store code requests for an admin address (then the admin signs in)', {
      'requests refused by the per-address limit': refusedByIp.length,
      'requests from 12 stores': stores.length,
      'refused (recipient budget spent)': statuses.filter((s) => s === 429).length,
      'admin sign-in afterwards': signIn.status,
    });
  }, 60_000);
});

// Each finding is its own describe, set up from a fresh organization like the others.
describe('finding 3: no one elsewhere can use up the tries of a code being entered', () => {
  it('wrong codes from 20 other addresses leave the holder of the password their own tries', async () => {
    const org = await createTestOrganization();
    const admin = org.members.ADMIN;
    await (await callerAsUser(admin.userId, org.slug)).auth.setTwoFactor({ otpType: 'MAIL' });
    const holder = freshIp();
    const signIn = await login(admin.email, TEST_PASSWORD, holder);
    expect(signIn.body).toMatchObject({ otp_required: true });
    const mail = await operator.sink.waitFor(
      (m) => m.to.includes(admin.email) && /sign-in code/.test(m.subject),
    );
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('/validate', { username: admin.email, otp_code: wrong }, freshIp()),
      ),
    );
    expect(guesses.every((g) => g.status === 401)).toBe(true);
    // The right code from elsewhere is refused too: those tries are spent…
    expect((await post('/validate', { username: admin.email, otp_code: code }, freshIp())).status).toBe(401);
    // …but the holder's are not.
    const mine = await post('/validate', { username: admin.email, otp_code: code }, holder);
    expect(mine.status).toBe(200);
    const row = await testDb().otpCode.findFirstOrThrow({
      where: { subjectId: admin.userId, purpose: 'ADMIN_2FA' },
      orderBy: { createdAt: 'desc' },
      select: { attempts: true, foreignAttempts: true },
    });
    recordFigures('identity: wrong admin codes from 20 other addresses, then the holder', {
      'guesses from elsewhere': guesses.length,
      'compared from elsewhere': row.foreignAttempts,
      "holder's tries used": row.attempts,
      "holder's sign-in": mine.status,
    });
  });
});

describe('finding 4: sign-in throttling counts before the verdict and cannot lock anyone out', () => {
  it('19 wrong passwords and the right one at once: at most 5 are checked; the owner still signs in', async () => {
    const org = await createTestOrganization();
    const target = org.members.ADMIN;
    const guesser = freshIp();
    const attempts = [...Array.from({ length: 19 }, (_, i) => `wrong-${i}`), TEST_PASSWORD];
    const answers = await Promise.all(attempts.map((password) => login(target.email, password, guesser)));
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((s) => s !== 429).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    // Unless the right password was among those checked (a success ends the address's streak),
    // the guesser's address is refused now, even with the right password…
    if (statuses[19] !== 200) expect((await login(target.email, TEST_PASSWORD, guesser)).status).toBe(429);
    // …but the account is not locked: its owner signs in from their own address.
    const ownerIp = freshIp();
    expect((await login(target.email, TEST_PASSWORD, ownerIp)).status).toBe(200);

    // A guesser with many addresses passes the account's ceiling (100 an hour; 20 here, so the
    // test hashes fewer passwords): new addresses are refused, the owner's known one is not.
    const ceiling = 20;
    const limits = createLimits(
      { kind: 'postgres', connectionString: process.env.DATABASE_URL! },
      { signInFailuresPerAccount: { points: ceiling, duration: 3600 } },
    );
    const strict = testHandlers({ limits });
    const strictLogin = async (password: string, ip: string) =>
      (
        await strict.route(
          new Request('http://localhost/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip },
            body: JSON.stringify({ username: target.email, password }),
          }),
        )!
      ).status;
    const distributed: number[] = [];
    try {
      for (let wave = 0; wave < 3; wave++) {
        const ips = Array.from({ length: 5 }, () => freshIp());
        distributed.push(
          ...(await Promise.all(
            ips.flatMap((ip) => [strictLogin('guess-a', ip), strictLogin('guess-b', ip)]),
          )),
        );
      }
      expect(distributed.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(distributed.filter((s) => s === 401).length).toBeLessThanOrEqual(ceiling);
      expect(await strictLogin(TEST_PASSWORD, freshIp())).toBe(429);
      expect(await strictLogin(TEST_PASSWORD, ownerIp)).toBe(200);
    } finally {
      await limits.close();
    }
    const distributedChecked = distributed.filter((s) => s === 401).length;

    recordFigures('identity: sign-in burst (19 wrong + 1 right from one address, then 30 from 15)', {
      'parallel attempts': attempts.length,
      'passwords checked': checked,
      'refused before checking (429)': statuses.filter((s) => s === 429).length,
      'right password accepted in the burst': statuses[19] === 200 ? 'yes (among the first 5)' : 'no',
      'owner from own address': 200,
      'distributed attempts': distributed.length,
      'distributed passwords checked': distributedChecked,
      'account ceiling (test)': ceiling,
      'owner from known address after the ceiling': 200,
    });
  }, 60_000);

  it('a per-address limit on every sign-in, whatever the account', async () => {
    const ip = freshIp();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(`nobody-${runId}-${i}@admins.example`, 'x', ip)),
    );
    expect(answers.filter((a) => a.status === 401).length).toBe(30);
    expect(answers.filter((a) => a.status === 429).length).toBe(10);
    recordFigures('identity: sign-ins from one address for 40 accounts (limit 30 / 10 min)', {
      attempts: answers.length,
      checked: 30,
      refused: 10,
    });
  });
});

describe('finding 7: grants never exceed the granter', () => {
  it('a key limited to managing members cannot make an owner, and cannot invite beyond its own permissions', async () => {
    const org = await createTestOrganization();
    const key = callerFor(await org.createApiKey(['org.members.manage']), { delivery: operator.delivery });
    const refused: string[] = [];
    for (const role of ['OWNER', 'ADMIN', 'VIEWER'] as const) {
      const outcome = await key.member.invite({ email: `escalate-${role}-${runId}@x.example`, role }).then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? 'error',
      );
      expect(outcome, role).toBe('FORBIDDEN');
      refused.push(role);
    }
    await expect(
      key.member.changeRole({ userId: org.members.VIEWER.userId, role: 'OWNER' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await testDb().invitation.count({ where: { organizationId: org.id } })).toBe(0);
    const owners = await testDb().membership.count({ where: { organizationId: org.id, role: 'OWNER' } });
    expect(owners).toBe(1);
    recordFigures('identity: role escalation by a key with only org.members.manage', {
      'invites tried': refused.length,
      refused: refused.length,
      'owner promotions refused': 1,
      'owners afterwards': owners,
    });
  });
});

describe('revocations take effect at once', () => {
  it('a revoked session and a removed membership are refused on the next request', async () => {
    const org = await createTestOrganization();
    const admin = org.members.ADMIN;
    const cookie = await sessionCookieFor(admin.userId);
    const me = () =>
      handlers.route(
        new Request('http://localhost/api/trpc/auth.me', { headers: { cookie, 'x-space': org.slug } }),
      )!;
    expect((await me()).status).toBe(200);
    const other = await callerAsUser(admin.userId, org.slug);
    const sessions = await other.account.sessions();
    const target = sessions.find((s) => !s.current)!;
    await other.account.revokeSession({ id: target.id });
    expect((await me()).status).toBe(401);

    const list = () =>
      callerAsUser(admin.userId, org.slug).then((c) => c.otpUser.list({ storeId: org.storeId }));
    await expect(list()).resolves.toBeTruthy();
    await (await callerAsUser(org.members.OWNER.userId, org.slug)).member.remove({ userId: admin.userId });
    await expect(list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
