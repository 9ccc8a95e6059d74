import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProvider, type ScriptedReply, startFakeProvider } from '../delivery/fake-provider-server';
import { callerFor, createTestOrganization, type TestOrganization } from '../testing/fixtures';

/*
 * What an admin sees after a test send or in the delivery log when an SMS provider fails: which
 * endpoint took the message, what the provider answered, and where the provider explains its error.
 */

const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function fake(reply: (url: string) => ScriptedReply): Promise<FakeProvider> {
  const provider = await startFakeProvider((request) => reply(request.url));
  fakes.push(provider);
  return provider;
}

const netgsmOk: ScriptedReply = { status: 200, body: { code: '00', jobid: 'job-1', description: 'queued' } };

async function withNetgsm(org: TestOrganization, isDefault = true) {
  await callerFor(org.apiKey).otpSettings.upsertNetgsm({
    isDefault,
    type: 'SMS',
    provider: 'NETGSM',
    username: '8503001122',
    password: 'netgsm-pass',
    header: 'OTPACCESS',
  });
}

async function withTwilio(org: TestOrganization, isDefault = true) {
  await callerFor(org.apiKey).otpSettings.upsertTwilio({
    isDefault,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'c'.repeat(32)}`,
    authToken: 'twilio-token',
    twilioNumber: '+15005550006',
  });
}

describe('the SMS test send', () => {
  it("shows Twilio's more_info link in the answer and in the delivery log", async () => {
    const org = await createTestOrganization();
    await withTwilio(org);
    const twilio = await fake(() => ({
      status: 400,
      body: {
        code: 21211,
        message: "The 'To' number +15551234567 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      },
    }));
    const caller = callerFor(org.apiKey, {
      delivery: { timeoutMs: 2_000, baseUrls: { TWILIO: twilio.baseUrl } },
    });

    const result = await caller.otpSettings.test({ type: 'SMS', to: '+15551234567' });

    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({
      provider: 'TWILIO',
      status: 'FAILED',
      errorKind: 'INVALID_RECIPIENT',
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
      exchanges: [
        {
          endpoint: `/2010-04-01/Accounts/AC${'c'.repeat(32)}/Messages.json`,
          httpStatus: 400,
          answer: { code: 21211, more_info: 'https://www.twilio.com/docs/errors/21211' },
        },
      ],
    });
    const log = await caller.deliveryLog.list({ page: 1, limit: 10 });
    expect(log.items[0]).toMatchObject({
      provider: 'TWILIO',
      status: 'FAILED',
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    expect(JSON.stringify(result)).not.toContain('15551234567');
  });

  // Each provider's answer is its own test, checked as the settings tests check a test send.
  it("says NetGSM's OTP endpoint took the message", async () => {
    const org = await createTestOrganization();
    await withNetgsm(org);
    const netgsm = await fake(() => netgsmOk);
    const caller = callerFor(org.apiKey, {
      delivery: { timeoutMs: 2_000, baseUrls: { NETGSM: netgsm.baseUrl } },
    });

    const result = await caller.otpSettings.test({ type: 'SMS', to: '+905321234567' });

    expect(result.delivered).toBe(true);
    expect(result.attempts[0]).toMatchObject({
      provider: 'NETGSM',
      status: 'SENT',
      providerResponse: 'OTP endpoint: code 00: queued',
      moreInfo: null,
      exchanges: [{ endpoint: '/sms/rest/v2/otp', httpStatus: 200, answer: { code: '00', jobid: 'job-1' } }],
    });
    expect(netgsm.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/otp']);
  });

  it('says the bulk endpoint took it when the account cannot use the OTP one', async () => {
    const org = await createTestOrganization();
    await withNetgsm(org);
    const netgsm = await fake((url) =>
      url === '/sms/rest/v2/otp'
        ? { status: 406, body: { code: '60', description: 'no OTP package' } }
        : netgsmOk,
    );
    const caller = callerFor(org.apiKey, {
      delivery: { timeoutMs: 2_000, baseUrls: { NETGSM: netgsm.baseUrl } },
    });

    const result = await caller.otpSettings.test({ type: 'SMS', to: '+905321234567' });

    expect(result.attempts[0]).toMatchObject({
      status: 'SENT',
      providerResponse: expect.stringMatching(/^bulk endpoint \(the OTP endpoint refused with code 60\)/),
    });
    expect(result.attempts[0]?.exchanges.map((e) => [e.endpoint, e.answer?.code])).toEqual([
      ['/sms/rest/v2/otp', '60'],
      ['/sms/rest/v2/send', '00'],
    ]);
  });

  it('refuses a number outside Turkey for NetGSM before sending, and falls over to the next provider', async () => {
    const org = await createTestOrganization();
    await withNetgsm(org);
    await withTwilio(org, false);
    const netgsm = await fake(() => netgsmOk);
    const twilio = await fake(() => ({ status: 201, body: { sid: 'SM1', status: 'queued' } }));
    const caller = callerFor(org.apiKey, {
      delivery: { timeoutMs: 2_000, baseUrls: { NETGSM: netgsm.baseUrl, TWILIO: twilio.baseUrl } },
    });

    const result = await caller.otpSettings.test({ type: 'SMS', to: '+15551234567' });

    expect(result.attempts.map((a) => [a.provider, a.status, a.errorKind])).toEqual([
      ['NETGSM', 'FAILED', 'INVALID_RECIPIENT'],
      ['TWILIO', 'SENT', null],
    ]);
    expect(result.attempts[0]?.error).toBe(
      'NetGSM sends only to Turkish numbers (+90 and 10 digits); this recipient was not sent to NetGSM',
    );
    expect(result.attempts[0]?.exchanges).toEqual([]);
    expect(netgsm.requests).toHaveLength(0);
  });

  it("shows Dataport's raw answer when it refuses", async () => {
    const org = await createTestOrganization();
    await callerFor(org.apiKey).otpSettings.upsertDataport({
      isDefault: true,
      type: 'SMS',
      provider: 'DATAPORT',
      username: 'dp-user',
      password: 'dp-pass',
      accountNumber: '1234567',
      originator: 'OTPACCESS',
    });
    const dataport = await fake((url) =>
      url === '/restapi/Register'
        ? { status: 200, body: { access_token: 'secret-token', token_type: 'bearer', expires_in: 86399 } }
        : { status: 200, body: { Error: '5', Results: [{ Status: '2', MessageID: null }] } },
    );
    const caller = callerFor(org.apiKey, {
      delivery: { timeoutMs: 2_000, baseUrls: { DATAPORT: dataport.baseUrl } },
    });

    const result = await caller.otpSettings.test({ type: 'SMS', to: '+905321234567' });

    expect(result.attempts[0]).toMatchObject({
      provider: 'DATAPORT',
      status: 'FAILED',
      error: 'Dataport refused the message (Error 5, status 2)',
      exchanges: [
        { endpoint: '/restapi/Register', httpStatus: 200 },
        {
          endpoint: '/restapi/api/Messages/SendSMS',
          httpStatus: 200,
          answer: { Error: '5', Results: [{ Status: '2', MessageID: null }] },
        },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });
});
