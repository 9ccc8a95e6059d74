/**
 * Code verification under bursts: store codes (per address, per code) and admin two-factor
 * codes. The shared server and helpers are in limits-burst-support.ts.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../services/limits';
import { MAX_CODE_ATTEMPTS } from '../services/otp-codes';
import { storeSubjectId } from '../services/store-access';
import { recordFigures } from '../testing/figures';
import { callerAsUser, TEST_PASSWORD, type TestOrganization, testDb } from '../testing/fixtures';
// Each burst file picks its helpers from the shared support: the lists overlap by design.
import {
  addOtpUsers,
  burst,
  burstFigures,
  type Call,
  codeIn,
  countBy,
  expectSpringTooMany,
  expectTrpcTooMany,
  freshEmail,
  freshIp,
  mailingOrganization,
  mailsTo,
  requestCode,
  send,
  sink,
  trpcPath,
  useBurstServer,
} from './limits-burst-support';

useBurstServer();

describe('code verification under a burst', () => {
  async function liveStoreCode(org: TestOrganization, email: string) {
    await addOtpUsers(org, [email]);
    const asked = await send(requestCode(org.storeId, email, freshIp()));
    expect(asked.status).toBe(200);
    const mail = await sink.waitFor((m) => m.to.includes(email));
    return codeIn(mail.text)!;
  }

  const wrongCodes = (right: string, n: number) => {
    const codes = new Set<string>();
    while (codes.size < n) {
      const guess = randomInt(0, 1_000_000).toString().padStart(6, '0');
      if (guess !== right) codes.add(guess);
    }
    return [...codes];
  };

  const verifyCall = (storeId: string, email: string, code: string, ip: string): Call => ({
    path: trpcPath('storeAccess.verifyCode'),
    body: { storeId, email, code },
    ip,
  });

  async function attemptsOn(subjectId: string) {
    const codes = await testDb().otpCode.findMany({ where: { subjectId }, select: { attempts: true } });
    expect(codes).toHaveLength(1);
    return codes[0]!.attempts;
  }

  /** The right code from a fresh address after the burst: refused, with no session. */
  async function expectDeadCode(storeId: string, email: string, code: string): Promise<number> {
    const late = await send(verifyCall(storeId, email, code, freshIp()));
    expect(late.status).toBe(401);
    expect(late.headers['set-cookie']).toBeUndefined();
    return late.status;
  }

  it('one address gets 60 verifications per 10 minutes, and a code takes 5 wrong tries', async () => {
    const org = await mailingOrganization();
    const email = freshEmail('verify-ip');
    const code = await liveStoreCode(org, email);
    const ip = freshIp();
    const calls = wrongCodes(code, 200).map((guess) => verifyCall(org.storeId, email, guess, ip));

    const result = await burst(calls);

    const limit = LIMITS.verifyPerIp.points;
    expect(countBy(result.answers, 401)).toBe(limit);
    for (const answer of result.answers) {
      if (answer.status === 401) {
        expect((answer.body.error as { message: string }).message).toBe('Invalid or expired code');
      } else {
        expectTrpcTooMany(answer, LIMITS.verifyPerIp.duration);
      }
    }
    // However many guesses arrive at once, only MAX_CODE_ATTEMPTS are ever compared with the code.
    expect(await attemptsOn(storeSubjectId(org.storeId, email))).toBe(MAX_CODE_ATTEMPTS);
    // The address is spent, and from elsewhere the right code no longer works: it is dead.
    expectTrpcTooMany(await send(verifyCall(org.storeId, email, code, ip)), LIMITS.verifyPerIp.duration);
    await expectDeadCode(org.storeId, email, code);

    recordFigures('limits burst: wrong store codes from one IP (limit 60 / 10 min, 5 tries per code)', {
      ...burstFigures(calls.length, result),
      'answered 401': countBy(result.answers, 401),
      refused: countBy(result.answers, 429),
      'guesses compared': MAX_CODE_ATTEMPTS,
    });
  });

  it('guesses spread over 200 addresses still get 5 tries at a code, not 200', async () => {
    const org = await mailingOrganization();
    const email = freshEmail('verify-spread');
    const code = await liveStoreCode(org, email);
    const calls = wrongCodes(code, 200).map((guess) => verifyCall(org.storeId, email, guess, freshIp()));

    const result = await burst(calls);

    expect(countBy(result.answers, 401)).toBe(calls.length);
    const compared = await attemptsOn(storeSubjectId(org.storeId, email));
    expect(compared).toBe(MAX_CODE_ATTEMPTS);
    const late = await expectDeadCode(org.storeId, email, code);

    recordFigures('limits burst: wrong store codes from 200 IPs (5 tries per code)', {
      ...burstFigures(calls.length, result),
      'answered 401': countBy(result.answers, 401),
      'guesses compared': compared,
      'right code after the burst': late,
    });
  });
});

describe('admin two-factor codes under a burst', () => {
  it('sends one code for a burst of correct sign-ins, and the code dies after 5 wrong tries', async () => {
    const org = await mailingOrganization();
    const admin = org.members.ADMIN;
    await (await callerAsUser(admin.userId, org.slug)).auth.setTwoFactor({ otpType: 'MAIL' });
    // Every sign-in pays for a password hash check: fewer, still simultaneous, connections.
    const logins = Array.from({ length: 40 }, () => ({
      path: '/login',
      body: { username: admin.email, password: TEST_PASSWORD },
      ip: freshIp(),
    }));

    const result = await burst(logins);

    expect(countBy(result.answers, 200)).toBe(1);
    for (const answer of result.answers) {
      if (answer.status === 200) {
        expect(answer.body).toEqual({ otp_required: true, otp_type: 'MAIL', username: admin.email });
      } else {
        expectSpringTooMany(answer, '/login', LIMITS.adminCodeCooldown.duration);
      }
    }
    const delivered = await mailsTo(new Set([admin.email]), 1);
    expect(delivered).toBe(1);
    const code = codeIn(sink.messages().find((m) => m.to.includes(admin.email))!.text)!;

    const guesses = Array.from({ length: 100 }, (_, i) => ({
      path: '/validate',
      body: { username: admin.email, otp_code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0') },
      ip: freshIp(),
    }));
    const validate = await burst(guesses);
    expect(countBy(validate.answers, 401)).toBe(guesses.length);
    const stored = await testDb().otpCode.findFirstOrThrow({
      where: { subjectId: admin.userId, purpose: 'ADMIN_2FA' },
      select: { attempts: true, foreignAttempts: true },
    });
    // The guesses came from other addresses than the sign-in's: they used up their own tries.
    expect(stored.foreignAttempts).toBe(MAX_CODE_ATTEMPTS);
    expect(stored.attempts).toBe(0);
    const late = await send({
      path: '/validate',
      body: { username: admin.email, otp_code: code },
      ip: freshIp(),
    });
    expect(late.status).toBe(401);
    expect(late.headers['set-cookie']).toBeUndefined();

    recordFigures('limits burst: admin 2FA sign-ins and wrong codes (1 code / 30 s, 5 tries per code)', {
      'sign-in requests': logins.length,
      'validate requests': guesses.length,
      connections: result.connections + validate.connections,
      'peak open connections': Math.max(result.peakConnections, validate.peakConnections),
      accepted: countBy(result.answers, 200),
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
      'guesses compared': stored.attempts,
    });
  });
});
