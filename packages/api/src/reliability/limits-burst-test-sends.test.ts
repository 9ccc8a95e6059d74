/**
 * Settings test sends under a burst, over REST and tRPC together. The shared server and helpers
 * are in limits-burst-support.ts.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../services/limits';
import { recordFigures } from '../testing/figures';
import { callerFor, twilioSettingBody } from '../testing/fixtures';
// Each burst file picks its helpers from the shared support and starts its server the same way.
import {
  burst,
  burstFigures,
  type Call,
  countBy,
  expectSpringTooMany,
  expectTrpcTooMany,
  freshEmail,
  freshIp,
  mailingOrganization,
  mailsTo,
  trpcPath,
  twilio,
  useBurstServer,
} from './limits-burst-support';

useBurstServer();

describe('test sends under a burst', () => {
  it('an organization gets 30 test sends an hour over REST and tRPC together, by mail and SMS', async () => {
    const org = await mailingOrganization();
    await callerFor(org.apiKey).otpSettings.upsertTwilio({
      ...twilioSettingBody(),
      isDefault: true,
      authToken: 'burst-token',
    });
    const mailTo = freshEmail('test-send');
    const smsTo = `+1555${randomInt(1_000_000, 9_999_999)}`;
    const twilioBefore = twilio.requests.length;
    const auth = { authorization: `Bearer ${org.apiKey}` };
    const calls: Call[] = Array.from({ length: 120 }, (_, i) => {
      const input = i % 2 === 0 ? { type: 'MAIL', to: mailTo } : { type: 'SMS', to: smsTo };
      return i % 4 < 2
        ? { path: '/api/otp/settings/test', body: input, ip: freshIp(), headers: auth }
        : { path: trpcPath('otpSettings.test'), body: input, ip: freshIp(), headers: auth };
    });

    const result = await burst(calls);

    const limit = LIMITS.testSendPerOrganization.points;
    expect(countBy(result.answers, 200)).toBe(limit);
    let acceptedMail = 0;
    let acceptedSms = 0;
    for (const [i, answer] of result.answers.entries()) {
      const call = calls[i]!;
      if (answer.status === 200) {
        const data = (
          call.path.startsWith('/api/trpc')
            ? (answer.body.result as { data: Record<string, unknown> }).data
            : answer.body
        ) as { delivered: boolean };
        expect(data.delivered).toBe(true);
        if ((call.body as { type: string }).type === 'MAIL') acceptedMail++;
        else acceptedSms++;
      } else if (call.path.startsWith('/api/trpc')) {
        expectTrpcTooMany(answer, LIMITS.testSendPerOrganization.duration);
      } else {
        expectSpringTooMany(answer, '/api/otp/settings/test', LIMITS.testSendPerOrganization.duration);
      }
    }
    const mails = await mailsTo(new Set([mailTo]), acceptedMail);
    const sms = twilio.requests.length - twilioBefore;
    expect(mails).toBe(acceptedMail);
    expect(sms).toBe(acceptedSms);
    expect(mails + sms).toBe(limit);

    recordFigures('limits burst: settings test sends of one organization (limit 30 / h)', {
      ...burstFigures(calls.length, result),
      accepted: acceptedMail + acceptedSms,
      refused: countBy(result.answers, 429),
      'provider calls (SMTP)': mails,
      'provider calls (Twilio)': sms,
    });
  });
});
