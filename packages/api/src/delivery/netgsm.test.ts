import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPortUrl,
  type FakeProvider,
  type ScriptedReply,
  startFakeProvider,
  startSilentServer,
} from './fake-provider-server';
import { sendNetgsmSms } from './netgsm';

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

  it('times out on a server that never answers', async () => {
    const silent = await startSilentServer();
    try {
      await expect(
        sendNetgsmSms(config, message, { baseUrl: silent.baseUrl, timeoutMs: 200 }),
      ).rejects.toMatchObject({ kind: 'TIMEOUT' });
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const baseUrl = await closedPortUrl();

    await expect(sendNetgsmSms(config, message, { baseUrl })).rejects.toMatchObject({ kind: 'UNREACHABLE' });
  });
});
