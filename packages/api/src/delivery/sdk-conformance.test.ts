import Netgsm from '@netgsm/sms';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, type RecordedRequest, startFakeProvider } from './fake-provider-server';
import { sendNetgsmSms } from './netgsm';
import { sendTwilioSms } from './twilio';

/*
 * Our provider clients are small fetch-based ones; the providers' official SDKs are the reference
 * for what goes on the wire. Both are pointed at one local recorder and must send the same method,
 * path, authorization, content type and fields for the same message.
 */

interface Wire {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  fields: Record<string, unknown>;
}

function wireOf(request: RecordedRequest | undefined): Wire {
  if (!request) throw new Error('nothing was sent');
  const contentType = request.headers['content-type'];
  return {
    method: request.method,
    path: request.url,
    authorization: request.headers.authorization,
    contentType,
    fields: contentType?.startsWith('application/json')
      ? (JSON.parse(request.body) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(request.body)),
  };
}

let recorder: FakeProvider;
beforeAll(async () => {
  recorder = await startFakeProvider((request) =>
    request.url.startsWith('/2010-04-01/')
      ? { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } }
      : { status: 200, body: { code: '00', jobid: '17377215342605050417149344', description: 'queued' } },
  );
});
afterAll(() => recorder?.close());
beforeEach(() => {
  recorder.requests.length = 0;
});

/** Runs one send and returns what reached the recorder. */
async function recorded(send: () => Promise<unknown>): Promise<Wire> {
  const before = recorder.requests.length;
  await send();
  expect(recorder.requests).toHaveLength(before + 1);
  return wireOf(recorder.requests.at(-1));
}

const texts = {
  ascii: 'Your OTP Access code is 123456',
  turkish: 'OTP Access doğrulama kodunuz: 123456. Şifrenizi kimseyle paylaşmayın.',
};

describe('Twilio: our client sends what the official twilio SDK sends', () => {
  const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = 'twilio-auth-token';
  const from = '+15005550006';

  function officialClient() {
    const client = twilio(accountSid, authToken);
    // The SDK builds every URL from its API domain's base URL.
    client.api.baseUrl = recorder.baseUrl;
    return client;
  }

  for (const [numbering, to] of [
    ['national (Turkish)', '+905321234567'],
    ['international', '+15551234567'],
  ] as const) {
    for (const [kind, text] of Object.entries(texts)) {
      it(`${kind} text to a ${numbering} number`, async () => {
        const sdk = await recorded(() => officialClient().messages.create({ to, from, body: text }));
        const ours = await recorded(() =>
          sendTwilioSms(
            { accountSid, authToken, twilioNumber: from },
            { to, text },
            { baseUrl: recorder.baseUrl },
          ),
        );

        expect(ours).toEqual(sdk);
        expect(ours.fields).toEqual({ To: to, From: from, Body: text });
      });
    }
  }
});

describe('NetGSM: our client sends what the official @netgsm/sms SDK sends', () => {
  const username = '8503001122';
  const password = 'netgsm-password';
  const msgheader = 'OTPACCESS';
  const config = { username, password, header: msgheader };
  const national = '5321234567';

  function officialClient() {
    const client = new Netgsm({ username, password });
    // The SDK keeps its API root in a private field and calls fetch with it.
    (client as unknown as { baseURL: string }).baseURL = recorder.baseUrl;
    return client;
  }

  /** NetGSM's own packages set `encoding: "TR"` only when the text needs Turkish characters. */
  const encodingFor = (text: string) => (text === texts.turkish ? { encoding: 'TR' } : {});

  for (const [kind, text] of Object.entries(texts)) {
    for (const to of ['+905321234567', '05321234567', '5321234567']) {
      it(`${kind} text to ${to}, through the bulk endpoint`, async () => {
        const sdk = await recorded(() =>
          officialClient().sendRestSms({
            msgheader,
            ...encodingFor(text),
            messages: [{ msg: text, no: national }],
          }),
        );
        const ours = await recorded(() => sendNetgsmSms(config, { to, text }, { baseUrl: recorder.baseUrl }));

        expect(ours).toEqual(sdk);
      });
    }
  }

  it('the dealer code as partnercode', async () => {
    const text = texts.ascii;
    const sdk = await recorded(() =>
      officialClient().sendRestSms({
        msgheader,
        partnercode: 'B-42',
        messages: [{ msg: text, no: national }],
      }),
    );
    const ours = await recorded(() =>
      sendNetgsmSms(
        { ...config, bayiCode: 'B-42' },
        { to: '+905321234567', text },
        { baseUrl: recorder.baseUrl },
      ),
    );

    expect(ours).toEqual(sdk);
  });

  const sendOneTimeCode = (text: string) =>
    sendNetgsmSms(config, { to: '+905321234567', text, isOneTimeCode: true }, { baseUrl: recorder.baseUrl });

  it('a one-time code in plain text goes to the OTP endpoint as sendOtpSms sends it', async () => {
    const text = texts.ascii;
    const sdk = await recorded(() => officialClient().sendOtpSms({ msgheader, msg: text, no: national }));
    const ours = await recorded(() => sendOneTimeCode(text));

    expect(ours).toEqual(sdk);
    expect(ours.path).toBe('/sms/rest/v2/otp');
  });

  it('a one-time code with Turkish characters goes to the bulk endpoint with TR, which the OTP one does not take', async () => {
    const text = texts.turkish;
    const sdk = await recorded(() =>
      officialClient().sendRestSms({ msgheader, encoding: 'TR', messages: [{ msg: text, no: national }] }),
    );
    const ours = await recorded(() => sendOneTimeCode(text));

    expect(ours).toEqual(sdk);
  });

  for (const to of ['+15551234567', '+4915112345678', '+90532123456']) {
    it(`refuses ${to} before sending: NetGSM's "no" is the 10-digit Turkish number`, async () => {
      for (const isOneTimeCode of [false, true]) {
        await expect(
          sendNetgsmSms(config, { to, text: texts.ascii, isOneTimeCode }, { baseUrl: recorder.baseUrl }),
        ).rejects.toMatchObject({
          kind: 'INVALID_RECIPIENT',
          message: expect.stringMatching(/NetGSM sends only to Turkish numbers/),
        });
      }
      expect(recorder.requests).toHaveLength(0);
    });
  }
});
