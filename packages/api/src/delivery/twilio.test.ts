import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPortUrl,
  type FakeProvider,
  type ScriptedReply,
  startFakeProvider,
  startSilentServer,
} from './fake-provider-server';
import { sendTwilioSms } from './twilio';
import type { ProviderExchange } from './types';

const config = {
  accountSid: 'AC0123456789abcdef',
  authToken: 'twilio-secret-token',
  twilioNumber: '+15005550006',
};
const message = { to: '+905321234567', text: 'Your code is 123456' };

let provider: FakeProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

async function answering(reply: ScriptedReply) {
  provider = await startFakeProvider(() => reply);
  return provider;
}

function twilioError(status: number, code: number, text: string): ScriptedReply {
  return {
    status,
    body: { code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

describe('sendTwilioSms', () => {
  // Same shape as the NetGSM and Dataport wire tests on purpose: each provider's file reads on its own.
  it('creates a Message resource with the real wire format', async () => {
    const fake = await answering({
      status: 201,
      body: { sid: 'SM87105da94bff44b999e4e6eb90d8eb6a', status: 'queued', body: message.text },
    });

    const result = await sendTwilioSms(config, message, { baseUrl: fake.baseUrl });

    expect(result).toEqual({
      providerMessageId: 'SM87105da94bff44b999e4e6eb90d8eb6a',
      providerResponse: 'status: queued',
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/2010-04-01/Accounts/AC0123456789abcdef/Messages.json');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('AC0123456789abcdef:twilio-secret-token').toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      To: '+905321234567',
      From: '+15005550006',
      Body: 'Your code is 123456',
    });
  });

  it('does not put the message text into the logged provider response', async () => {
    const fake = await answering({ status: 201, body: { sid: 'SM1', status: 'queued', body: message.text } });

    const result = await sendTwilioSms(config, message, { baseUrl: fake.baseUrl });

    expect(result.providerResponse).not.toContain('123456');
  });

  it.each([
    [401, 20003, 'Authenticate', 'BAD_CREDENTIALS'],
    [400, 21211, "The 'To' number +905321234567 is not a valid phone number.", 'INVALID_RECIPIENT'],
    [400, 21614, "'To' number is not a valid mobile number", 'INVALID_RECIPIENT'],
    [400, 21212, "The 'From' number +15005550006 is not a valid phone number", 'INVALID_SENDER'],
    [
      400,
      21606,
      "The 'From' phone number provided is not a valid message-capable Twilio phone number",
      'INVALID_SENDER',
    ],
    [400, 21659, "'From' is not a Twilio phone number or Short Code country mismatch", 'INVALID_SENDER'],
    [429, 20429, 'Too Many Requests', 'RATE_LIMITED'],
  ])('maps HTTP %i with code %i to %s', async (status, code, text, kind) => {
    const fake = await answering(twilioError(status, code, text));

    const error = sendTwilioSms(config, message, { baseUrl: fake.baseUrl });

    await expect(error).rejects.toMatchObject({ name: 'DeliveryError', kind, providerCode: String(code) });
  });

  it('maps a bare HTTP 401 or 429 by status when the code is not one it knows', async () => {
    const unauthorized = await answering(twilioError(401, 20001, 'Unknown failure'));
    await expect(sendTwilioSms(config, message, { baseUrl: unauthorized.baseUrl })).rejects.toMatchObject({
      kind: 'BAD_CREDENTIALS',
    });
    await unauthorized.close();

    const limited = await answering({ status: 429, body: { message: 'slow down', status: 429 } });
    await expect(sendTwilioSms(config, message, { baseUrl: limited.baseUrl })).rejects.toMatchObject({
      kind: 'RATE_LIMITED',
    });
  });

  it('passes an unmapped error on with the provider message and code', async () => {
    const fake = await answering(twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));

    const error = sendTwilioSms(config, message, { baseUrl: fake.baseUrl });

    await expect(error).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      providerCode: '21610',
      message: expect.stringContaining('Attempt to send to unsubscribed recipient'),
    });
  });

  it('keeps the recipient number and the auth token out of error messages', async () => {
    const fake = await answering(
      twilioError(400, 21211, "The 'To' number +905321234567 is not valid (token twilio-secret-token)"),
    );

    const error: unknown = await sendTwilioSms(config, message, { baseUrl: fake.baseUrl }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('is not valid');
    expect((error as Error).message).not.toContain('+905321234567');
    expect((error as Error).message).not.toContain('twilio-secret-token');
  });

  it('fails when a success answer carries no message SID', async () => {
    const fake = await answering({ status: 201, body: { status: 'queued' } });

    await expect(sendTwilioSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  it('reports a body that is not JSON as a provider error', async () => {
    const fake = await answering({ status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });

    await expect(sendTwilioSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  it('times out on a server that never answers', async () => {
    const silent = await startSilentServer();
    try {
      await expect(
        sendTwilioSms(config, message, { baseUrl: silent.baseUrl, timeoutMs: 200 }),
      ).rejects.toMatchObject({ kind: 'TIMEOUT' });
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const baseUrl = await closedPortUrl();

    await expect(sendTwilioSms(config, message, { baseUrl })).rejects.toMatchObject({
      kind: 'UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it("passes Twilio's more_info link on with the error, and shows its answer without the message", async () => {
    const fake = await answering(
      twilioError(400, 21211, "The 'To' number +905321234567 is not a valid phone number."),
    );
    const transcript: ProviderExchange[] = [];

    const error = sendTwilioSms(config, message, { baseUrl: fake.baseUrl, transcript });

    await expect(error).rejects.toMatchObject({
      kind: 'INVALID_RECIPIENT',
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    expect(transcript).toEqual([
      {
        endpoint: '/2010-04-01/Accounts/AC0123456789abcdef/Messages.json',
        httpStatus: 400,
        answer: {
          code: 21211,
          message: "The 'To' number *** is not a valid phone number.",
          more_info: 'https://www.twilio.com/docs/errors/21211',
          status: 400,
        },
      },
    ]);
  });

  it('passes on only a more_info link to Twilio itself', async () => {
    const fake = await answering({
      status: 400,
      body: { code: 21211, message: 'Invalid', more_info: 'javascript:alert(1)', status: 400 },
    });

    const error: unknown = await sendTwilioSms(config, message, { baseUrl: fake.baseUrl }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ kind: 'INVALID_RECIPIENT', moreInfo: undefined });
  });

  it('shows the status of an accepted message, not its text', async () => {
    const fake = await answering({ status: 201, body: { sid: 'SM1', status: 'queued', body: message.text } });
    const transcript: ProviderExchange[] = [];

    await sendTwilioSms(config, message, { baseUrl: fake.baseUrl, transcript });

    expect(transcript[0]?.answer).toEqual({ sid: 'SM1', status: 'queued' });
  });
});
