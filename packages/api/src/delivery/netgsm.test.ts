import { afterEach, describe, expect, it } from 'vitest';
import { itReportsNetworkFaults } from '../testing/network-faults';
import {
  type FakeProvider,
  type ScriptedReply,
  startFakeProvider,
  startSilentServer,
} from './fake-provider-server';
import { sendNetgsmSms } from './netgsm';
import type { ProviderExchange } from './types';

const config = { username: '8503001122', password: 'netgsm-secret', header: 'OTPACCESS' };
const message = { to: '+90 532 123 45 67', text: 'Doğrulama kodunuz: 123456' };

let provider: FakeProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

async function answering(reply: ScriptedReply) {
  provider = await startFakeProvider(() => reply);
  return provider;
}

describe('sendNetgsmSms', () => {
  it('posts the REST v2 send request with the real wire format', async () => {
    const fake = await answering({
      status: 200,
      body: { code: '00', jobid: '17377215342605050417149344', description: 'queued' },
    });

    const result = await sendNetgsmSms(config, message, { baseUrl: fake.baseUrl });

    expect(result).toEqual({
      providerMessageId: '17377215342605050417149344',
      providerResponse: 'code 00: queued',
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/sms/rest/v2/send');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('8503001122:netgsm-secret').toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      msgheader: 'OTPACCESS',
      messages: [{ msg: 'Doğrulama kodunuz: 123456', no: '5321234567' }],
      encoding: 'TR',
    });
  });

  it('sends the dealer code as partnercode when one is configured', async () => {
    const fake = await answering({ status: 200, body: { code: '00', jobid: '1', description: 'queued' } });

    await sendNetgsmSms({ ...config, bayiCode: 'B-42' }, message, { baseUrl: fake.baseUrl });

    expect(JSON.parse(fake.requests[0]?.body ?? '')).toMatchObject({ partnercode: 'B-42' });
  });

  it.each([
    ['05321234567', '5321234567'],
    ['905321234567', '5321234567'],
    ['5321234567', '5321234567'],
  ])('sends %s as the national number %s', async (to, no) => {
    const fake = await answering({ status: 200, body: { code: '00', jobid: '1', description: 'queued' } });

    await sendNetgsmSms(config, { ...message, to }, { baseUrl: fake.baseUrl });

    expect(JSON.parse(fake.requests[0]?.body ?? '').messages[0].no).toBe(no);
  });

  it.each([
    ['20', 'PROVIDER_ERROR'],
    ['30', 'BAD_CREDENTIALS'],
    ['40', 'INVALID_SENDER'],
    ['50', 'PROVIDER_ERROR'],
    ['51', 'PROVIDER_ERROR'],
    ['70', 'PROVIDER_ERROR'],
    ['80', 'RATE_LIMITED'],
    ['85', 'RATE_LIMITED'],
    ['100', 'PROVIDER_ERROR'],
  ])('maps result code %s to %s', async (code, kind) => {
    const fake = await answering({ status: 406, body: { code, jobid: null, description: 'error' } });

    const error = sendNetgsmSms(config, message, { baseUrl: fake.baseUrl });

    await expect(error).rejects.toMatchObject({ name: 'DeliveryError', kind, providerCode: code });
  });

  it('explains the documented codes in its own words', async () => {
    const fake = await answering({ status: 406, body: { code: '40', description: 'Mesaj basligi hatali' } });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      message: expect.stringMatching(/sender header is not registered/),
    });
  });

  it('reads an error code even when it comes with HTTP 200', async () => {
    const fake = await answering({ status: 200, body: { code: '30', description: 'invalid credentials' } });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'BAD_CREDENTIALS',
    });
  });

  it('passes an undocumented code on with the provider description', async () => {
    const fake = await answering({ status: 406, body: { code: '99', description: 'Something new' } });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      providerCode: '99',
      message: expect.stringContaining('Something new'),
    });
  });

  it('keeps the credentials and the recipient out of error messages', async () => {
    const fake = await answering({
      status: 406,
      body: { code: '99', description: 'user 8503001122 / netgsm-secret cannot send to 5321234567' },
    });

    const error: unknown = await sendNetgsmSms(config, message, { baseUrl: fake.baseUrl }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toContain('cannot send to');
    for (const secret of ['8503001122', 'netgsm-secret', '5321234567']) expect(text).not.toContain(secret);
  });

  it('fails when success carries no job id', async () => {
    const fake = await answering({ status: 200, body: { code: '00', description: 'queued' } });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  it('fails on JSON without a result code', async () => {
    const fake = await answering({ status: 200, body: { ok: true } });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  // One test per answer the gateway may give, as in dataport.test.ts: each names its case.
  it('maps an HTML 401 from the gateway to bad credentials', async () => {
    const fake = await answering({
      status: 401,
      body: '<html>Unauthorized</html>',
      contentType: 'text/html',
    });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'BAD_CREDENTIALS',
    });
  });

  it('reports a body that is not JSON as a provider error', async () => {
    const fake = await answering({
      status: 200,
      body: '00 17377215342605050417149344',
      contentType: 'text/plain',
    });

    await expect(sendNetgsmSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  itReportsNetworkFaults((options) => sendNetgsmSms(config, message, options));
});

describe('sendNetgsmSms: encoding, the OTP endpoint and recipients', () => {
  const code = { to: '+905321234567', text: 'Your OTP Access code is 123456', isOneTimeCode: true };
  const ok = { status: 200, body: { code: '00', jobid: '4242', description: 'queued' } };

  /** A fake NetGSM whose OTP endpoint answers `otp` and whose bulk endpoint answers `send`. */
  async function netgsm(replies: { otp?: ScriptedReply; send?: ScriptedReply }) {
    provider = await startFakeProvider((request) =>
      request.url === '/sms/rest/v2/otp' ? (replies.otp ?? ok) : (replies.send ?? ok),
    );
    return provider;
  }

  it('sends plain ASCII text without the TR encoding', async () => {
    const fake = await answering(ok);

    await sendNetgsmSms(
      config,
      { to: '+905321234567', text: 'Your code is 123456' },
      { baseUrl: fake.baseUrl },
    );

    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      msgheader: 'OTPACCESS',
      messages: [{ msg: 'Your code is 123456', no: '5321234567' }],
    });
  });

  it('sends a code through the OTP endpoint and says so', async () => {
    const fake = await netgsm({});
    const transcript: ProviderExchange[] = [];

    const result = await sendNetgsmSms(config, code, { baseUrl: fake.baseUrl, transcript });

    expect(fake.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/otp']);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      msgheader: 'OTPACCESS',
      msg: 'Your OTP Access code is 123456',
      no: '5321234567',
    });
    expect(result).toEqual({ providerMessageId: '4242', providerResponse: 'OTP endpoint: code 00: queued' });
    expect(transcript).toEqual([
      {
        endpoint: '/sms/rest/v2/otp',
        httpStatus: 200,
        answer: { code: '00', jobid: '4242', description: 'queued' },
      },
    ]);
  });

  it('reads the OTP job id whichever way it is spelled', async () => {
    const fake = await netgsm({ otp: { status: 200, body: { code: '00', jobId: '77', description: 'ok' } } });

    await expect(sendNetgsmSms(config, code, { baseUrl: fake.baseUrl })).resolves.toMatchObject({
      providerMessageId: '77',
    });
  });

  it('falls back to the bulk endpoint when the account has no OTP package, and says why', async () => {
    const fake = await netgsm({ otp: { status: 406, body: { code: '60', description: 'OTP paketi yok' } } });
    const transcript: ProviderExchange[] = [];

    const result = await sendNetgsmSms(config, code, { baseUrl: fake.baseUrl, transcript });

    expect(fake.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/otp', '/sms/rest/v2/send']);
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({
      msgheader: 'OTPACCESS',
      messages: [{ msg: code.text, no: '5321234567' }],
    });
    expect(result.providerMessageId).toBe('4242');
    expect(result.providerResponse).toBe(
      'bulk endpoint (the OTP endpoint refused with code 60): code 00: queued',
    );
    expect(transcript).toEqual([
      {
        endpoint: '/sms/rest/v2/otp',
        httpStatus: 406,
        answer: { code: '60', description: 'OTP paketi yok' },
      },
      {
        endpoint: '/sms/rest/v2/send',
        httpStatus: 200,
        answer: { code: '00', jobid: '4242', description: 'queued' },
      },
    ]);
  });

  it('falls back when the OTP endpoint is not there for this account', async () => {
    const fake = await netgsm({
      otp: { status: 404, body: '<html>Not Found</html>', contentType: 'text/html' },
    });

    await expect(sendNetgsmSms(config, code, { baseUrl: fake.baseUrl })).resolves.toMatchObject({
      providerMessageId: '4242',
    });
    expect(fake.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/otp', '/sms/rest/v2/send']);
  });

  it('reports both refusals when the bulk endpoint refuses too', async () => {
    const fake = await netgsm({
      otp: { status: 406, body: { code: '60', description: 'no package' } },
      send: { status: 406, body: { code: '40', description: 'header' } },
    });

    const error = sendNetgsmSms(config, code, { baseUrl: fake.baseUrl });

    await expect(error).rejects.toMatchObject({
      kind: 'INVALID_SENDER',
      providerCode: '40',
      message: expect.stringMatching(
        /sender header is not registered.*OTP endpoint refused with code 60.*no OTP package/,
      ),
    });
  });

  it('does not send twice when the OTP endpoint asks to slow down', async () => {
    const fake = await netgsm({ otp: { status: 406, body: { code: '80', description: 'limit' } } });

    await expect(sendNetgsmSms(config, code, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'RATE_LIMITED',
    });
    expect(fake.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/otp']);
  });

  it('does not send twice when the OTP endpoint does not answer in time', async () => {
    const silent = await startSilentServer();
    const transcript: ProviderExchange[] = [];
    try {
      await expect(
        sendNetgsmSms(config, code, { baseUrl: silent.baseUrl, timeoutMs: 200, transcript }),
      ).rejects.toMatchObject({ kind: 'TIMEOUT' });
      expect(transcript).toEqual([{ endpoint: '/sms/rest/v2/otp', httpStatus: null, answer: null }]);
    } finally {
      await silent.close();
    }
  });

  it.each([
    ['Turkish characters', 'OTP Access doğrulama kodunuz: 123456', { encoding: 'TR' }],
    ['more than 160 characters', `Your OTP Access code is 123456. ${'x'.repeat(140)}`, {}],
  ])('sends a code with %s through the bulk endpoint', async (_, text, encoding) => {
    const fake = await netgsm({});

    const result = await sendNetgsmSms(config, { ...code, text }, { baseUrl: fake.baseUrl });

    expect(fake.requests.map((r) => r.url)).toEqual(['/sms/rest/v2/send']);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      msgheader: 'OTPACCESS',
      messages: [{ msg: text, no: '5321234567' }],
      ...encoding,
    });
    expect(result.providerResponse).toMatch(/^bulk endpoint \(the OTP endpoint takes no /);
  });

  it.each(['+15551234567', '+4915112345678', '15551234567', '+90 532 123 45', '+90532123456789'])(
    'refuses %s before sending, with a clear message',
    async (to) => {
      const fake = await netgsm({});

      await expect(sendNetgsmSms(config, { ...code, to }, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
        name: 'DeliveryError',
        kind: 'INVALID_RECIPIENT',
        message:
          'NetGSM sends only to Turkish numbers (+90 and 10 digits); this recipient was not sent to NetGSM',
      });
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('keeps the code, the number and the credentials out of the transcript', async () => {
    const fake = await netgsm({
      otp: {
        status: 406,
        body: { code: '99', description: 'user 8503001122 cannot send 123456 to 5321234567' },
      },
    });
    const transcript: ProviderExchange[] = [];

    await sendNetgsmSms(config, code, { baseUrl: fake.baseUrl, transcript });

    const text = JSON.stringify(transcript);
    expect(text).toContain('cannot send');
    for (const secret of ['8503001122', '5321234567', 'netgsm-secret']) expect(text).not.toContain(secret);
  });
});
