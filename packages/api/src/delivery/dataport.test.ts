import { afterEach, describe, expect, it } from 'vitest';
import { itReportsNetworkFaults } from '../testing/network-faults';
import { sendDataportSms } from './dataport';
import {
  type FakeProvider,
  type RecordedRequest,
  type ScriptedReply,
  startFakeProvider,
} from './fake-provider-server';
import type { ProviderExchange } from './types';

const config = {
  username: 'dp-user',
  password: 'dataport-secret',
  accountNumber: '1234567',
  originator: 'OTPACCESS',
  shortNumber: '9990',
};
const message = { to: '+905321234567', text: 'Your code is 123456' };

const issuedToken = { access_token: 'token-abc', token_type: 'bearer', expires_in: 86399 };
const accepted = { Error: '0', Results: [{ Status: '1', MessageID: '884213771' }] };

let provider: FakeProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

/** A fake Dataport: `register` answers the login, `send` the message. */
async function dataport(replies: { register?: ScriptedReply; send?: ScriptedReply }) {
  provider = await startFakeProvider((request: RecordedRequest) => {
    if (request.url === '/restapi/Register') return replies.register ?? { status: 200, body: issuedToken };
    if (request.url === '/restapi/api/Messages/SendSMS')
      return replies.send ?? { status: 200, body: accepted };
    return { status: 404, body: { Message: 'No HTTP resource was found' } };
  });
  return provider;
}

describe('sendDataportSms', () => {
  it('logs in for a token, then sends with it', async () => {
    const fake = await dataport({});

    const result = await sendDataportSms(config, message, { baseUrl: fake.baseUrl });

    expect(result).toEqual({ providerMessageId: '884213771', providerResponse: 'Error 0, status 1' });
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /restapi/Register',
      'POST /restapi/api/Messages/SendSMS',
    ]);
    const [register, send] = fake.requests;

    expect(register?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(register?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(register?.body))).toEqual({
      UserName: 'dp-user',
      Password: 'dataport-secret',
      Scope: '1234567',
      grant_type: 'password',
    });

    expect(send?.headers.authorization).toBe('Bearer token-abc');
    expect(send?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(send?.body ?? '')).toEqual({
      SessionID: '',
      GroupID: '0',
      Orginator: 'OTPACCESS',
      ShortNumber: '9990',
      Isunicode: '0',
      SendDate: '',
      DeleteDate: '',
      MessageList: {
        GSMList: [{ Value: '5321234567' }],
        ContentList: [{ Value: 'Your code is 123456' }],
      },
    });
  });

  it('sends the operator when one is configured, and Turkish text as unicode', async () => {
    const fake = await dataport({});

    await sendDataportSms(
      { ...config, operator: '1' },
      { ...message, text: 'Doğrulama kodu: 123456' },
      {
        baseUrl: fake.baseUrl,
      },
    );

    expect(JSON.parse(fake.requests[1]?.body ?? '')).toMatchObject({ Operator: '1', Isunicode: '1' });
  });

  it('logs in again for every send', async () => {
    const fake = await dataport({});

    await sendDataportSms(config, message, { baseUrl: fake.baseUrl });
    await sendDataportSms(config, message, { baseUrl: fake.baseUrl });

    expect(fake.requests.filter((r) => r.url === '/restapi/Register')).toHaveLength(2);
  });

  it('maps a refused login to bad credentials and sends nothing', async () => {
    const fake = await dataport({
      register: {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' },
      },
    });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      name: 'DeliveryError',
      kind: 'BAD_CREDENTIALS',
      providerCode: 'invalid_grant',
      message: expect.stringContaining('The user name or password is incorrect.'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps an HTTP 401 login to bad credentials', async () => {
    const fake = await dataport({
      register: { status: 401, body: { Message: 'Authorization has been denied' } },
    });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'BAD_CREDENTIALS',
    });
  });

  it('treats other login failures as provider errors', async () => {
    const fake = await dataport({ register: { status: 400, body: { error: 'unsupported_grant_type' } } });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      providerCode: 'unsupported_grant_type',
    });
  });

  it('fails when the login answer has no token', async () => {
    const fake = await dataport({ register: { status: 200, body: { token_type: 'bearer' } } });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
    expect(fake.requests).toHaveLength(1);
  });

  // One test per answer the gateway may give, as in netgsm.test.ts: each names its case.
  it('maps a refused token on send to bad credentials', async () => {
    const fake = await dataport({
      send: { status: 401, body: { Message: 'Authorization has been denied for this request.' } },
    });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'BAD_CREDENTIALS',
    });
  });

  it('passes a non-zero Error code on as a provider error', async () => {
    const fake = await dataport({ send: { status: 200, body: { Error: '7', Results: [] } } });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      providerCode: '7',
    });
  });

  it('reports a server error body on send', async () => {
    const fake = await dataport({ send: { status: 500, body: { Message: 'An error has occurred.' } } });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      message: expect.stringContaining('An error has occurred.'),
    });
  });

  it('keeps the password and the recipient out of error messages', async () => {
    const fake = await dataport({
      register: {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'dp-user/dataport-secret may not send to 5321234567',
        },
      },
    });

    // The same failure checks as each provider's on purpose: the wire formats differ, the promises do not.
    const error: unknown = await sendDataportSms(config, message, { baseUrl: fake.baseUrl }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toContain('may not send to');
    for (const secret of ['dataport-secret', '5321234567', 'dp-user']) expect(text).not.toContain(secret);
  });

  it('reports a body that is not JSON as a provider error', async () => {
    const fake = await dataport({
      send: { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' },
    });

    await expect(sendDataportSms(config, message, { baseUrl: fake.baseUrl })).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
    });
  });

  itReportsNetworkFaults((options) => sendDataportSms(config, message, options));

  it("shows Dataport's own answer (Error, Results[].Status) for each step, never the token", async () => {
    const fake = await dataport({
      send: { status: 200, body: { Error: '7', Results: [{ Status: '3', MessageID: null }] } },
    });
    const transcript: ProviderExchange[] = [];

    const error = sendDataportSms(config, message, { baseUrl: fake.baseUrl, transcript });

    await expect(error).rejects.toMatchObject({
      kind: 'PROVIDER_ERROR',
      providerCode: '7',
      message: 'Dataport refused the message (Error 7, status 3)',
    });
    expect(transcript).toEqual([
      { endpoint: '/restapi/Register', httpStatus: 200, answer: { token_type: 'bearer', expires_in: 86399 } },
      {
        endpoint: '/restapi/api/Messages/SendSMS',
        httpStatus: 200,
        answer: { Error: '7', Results: [{ Status: '3', MessageID: null }] },
      },
    ]);
    expect(JSON.stringify(transcript)).not.toContain('token-abc');
  });

  it('shows a refused login as Dataport answered it', async () => {
    const fake = await dataport({
      register: {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Wrong password for dp-user' },
      },
    });
    const transcript: ProviderExchange[] = [];

    await sendDataportSms(config, message, { baseUrl: fake.baseUrl, transcript }).catch(() => undefined);

    expect(transcript).toEqual([
      {
        endpoint: '/restapi/Register',
        httpStatus: 400,
        answer: { error: 'invalid_grant', error_description: 'Wrong password for ***' },
      },
    ]);
  });

  it.each(['+15551234567', '+4915112345678'])(
    'refuses %s before logging in: Dataport takes Turkish numbers',
    async (to) => {
      const fake = await dataport({});

      await expect(
        sendDataportSms(config, { ...message, to }, { baseUrl: fake.baseUrl }),
      ).rejects.toMatchObject({
        kind: 'INVALID_RECIPIENT',
        message:
          'Dataport sends only to Turkish numbers (+90 and 10 digits); this recipient was not sent to Dataport',
      });
      expect(fake.requests).toHaveLength(0);
    },
  );
});
