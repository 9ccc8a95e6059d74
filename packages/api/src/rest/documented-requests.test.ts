/**
 * A client written from the two API documents alone sends exactly their fields and nothing of ours
 * (no `fromAddress`, no body on the test send, the documented allowance range). Every such request
 * must succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { conformantRoutes } from '../testing/conformance';
import {
  createTestOrganization,
  OTP_USER_FIELDS,
  routeJson,
  sessionCookieFor,
  type TestOrganization,
  testHandlers,
} from '../testing/fixtures';

const handlers = conformantRoutes(testHandlers());

let org: TestOrganization;
let cookie: string;
let sink: MailSink;

beforeAll(async () => {
  org = await createTestOrganization();
  cookie = await sessionCookieFor(org.members.OWNER.userId);
  sink = await startMailSink();
});
afterAll(async () => {
  await sink.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field below.
type Body = any;

/** A call with a JSON body (if any) and the given credentials; its status and parsed answer. */
async function callWith(credentials: HeadersInit, method: string, path: string, body?: unknown) {
  const headers = new Headers(credentials);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const response = await routeJson(handlers, method, path, headers, body);
  return { status: response.status, body: (await response.json()) as Body };
}

const settingsCall = (method: string, path: string, body?: unknown) =>
  callWith({ cookie, 'x-space': org.slug }, method, path, body);

const appliveryCall = (method: string, path: string, body?: unknown) =>
  callWith({ authorization: `Bearer ${org.apiKey}` }, method, path, body);

/** The read-only fields every settings body of the document lists; a client may send them back. */
const readOnly = {
  id: '0123456789abcdef01234567',
  creationDate: '2026-01-01T00:00:00Z',
  createdBy: 'someone',
  lastModifiedDate: '2026-01-01T00:00:00Z',
  lastModifiedBy: 'someone',
};

/**
 * PUTs exactly the document's fields, then the same with the read-only fields a client may send
 * back; both must succeed. Answers the first PUT's body.
 */
async function putDocumented(path: string, fields: Record<string, unknown>): Promise<Body> {
  const res = await settingsCall('PUT', path, fields);
  expect(res.status).toBe(200);
  expect((await settingsCall('PUT', path, { ...readOnly, ...fields })).status).toBe(200);
  return res.body;
}

// One test per documented request, each written out as the document shows it.
describe('the settings document, field for field', () => {
  it('PUT /api/otp/settings/sms/twilio with the documented fields', async () => {
    const fields = {
      isDefault: true,
      type: 'SMS',
      provider: 'TWILIO',
      authToken: 'twilio-auth-token',
      accountSid: `AC${'0'.repeat(32)}`,
      twilioNumber: '+15005550006',
    };
    expect(await putDocumented('/api/otp/settings/sms/twilio', fields)).toMatchObject({
      provider: 'TWILIO',
      authTokenSet: true,
    });
  });

  it('PUT /api/otp/settings/sms/netgsm with the documented fields', async () => {
    const fields = {
      isDefault: false,
      type: 'SMS',
      provider: 'NETGSM',
      username: '8503000000',
      bayiCode: '1234',
      password: 'netgsm-password',
      header: 'OTPACCESS',
    };
    expect(await putDocumented('/api/otp/settings/sms/netgsm', fields)).toMatchObject({
      provider: 'NETGSM',
      bayiCode: '1234',
      passwordSet: true,
    });
  });

  it('PUT /api/otp/settings/sms/dataport with the documented fields', async () => {
    const fields = {
      isDefault: false,
      type: 'SMS',
      provider: 'DATAPORT',
      originator: 'OTPACCESS',
      shortNumber: '3434',
      operator: 'TURKCELL',
      username: 'dataport-user',
      accountNumber: '100200',
      password: 'dataport-password',
    };
    expect(await putDocumented('/api/otp/settings/sms/dataport', fields)).toMatchObject({
      provider: 'DATAPORT',
      operator: 'TURKCELL',
      passwordSet: true,
    });
  });

  it('PUT /api/otp/settings/mail/default without fromAddress, then a test send with no body delivers', async () => {
    const fields = {
      isDefault: true,
      type: 'MAIL',
      provider: 'DEFAULT',
      username: 'mailer',
      password: 'smtp-password',
      smtpHost: '127.0.0.1',
      transportStrategy: 'SMTP',
      smtpPort: sink.port,
    };
    expect(await putDocumented('/api/otp/settings/mail/default', fields)).toMatchObject({
      provider: 'DEFAULT',
      fromAddress: null,
      passwordSet: true,
    });

    const test = await settingsCall('POST', '/api/otp/settings/test');
    expect(test.status).toBe(200);
    expect(test.body.delivered).toBe(true);
    const mail = await sink.waitFor((m) => m.to.includes(org.members.OWNER.email));
    // The username is no address, so the sender is no-reply@<smtpHost>.
    expect(mail.from).toBe('no-reply@127.0.0.1');
  });

  it('a mail username that is an address is the default sender', async () => {
    await settingsCall('PUT', '/api/otp/settings/mail/default', {
      isDefault: true,
      type: 'MAIL',
      provider: 'DEFAULT',
      username: 'otp@mailer.example',
      // A new username is a new destination for the password: it is sent again.
      password: 'smtp-password',
      smtpHost: '127.0.0.1',
      transportStrategy: 'SMTP',
      smtpPort: sink.port,
    });
    const test = await settingsCall('POST', '/api/otp/settings/test');
    expect(test.body.delivered).toBe(true);
    await sink.waitFor((m) => m.from === 'otp@mailer.example');
  });

  it('GET /api/otp/settings lists what was saved', async () => {
    const res = await settingsCall('GET', '/api/otp/settings');
    expect(res.status).toBe(200);
    expect(res.body.map((s: Body) => s.provider).sort()).toEqual(['DATAPORT', 'DEFAULT', 'NETGSM', 'TWILIO']);
  });
});

describe('the Applivery document, field for field', () => {
  const MAX = 9007199254740991;

  it.each([
    [0, 0],
    [-1, -1],
    [MAX, MAX],
    [-MAX, -MAX],
    [-5, -5],
  ])('PUT allowedDownloadsNum %d is accepted and answered as sent', async (sent, answered) => {
    const created = await appliveryCall(
      'POST',
      `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`,
      {
        email: `range${String(sent).replace('-', 'm')}@example.com`,
        publishedApplicationId: org.publishedApplicationId,
      },
    );
    expect(created.status).toBe(200);
    const path = `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users/${created.body.data[0].id}`;
    const res = await appliveryCall('PUT', path, { allowedDownloadsNum: sent });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(true);
    expect(res.body.data.allowedDownloadsNum).toBe(answered);
    expect(Object.keys(res.body.data).sort()).toEqual(OTP_USER_FIELDS);
    expect((await appliveryCall('GET', path)).body.data.allowedDownloadsNum).toBe(answered);
  });

  it('refuses a value outside the documented range with the documented 6001', async () => {
    const created = await appliveryCall(
      'POST',
      `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`,
      {
        email: 'outofrange@example.com',
        publishedApplicationId: org.publishedApplicationId,
      },
    );
    const path = `/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users/${created.body.data[0].id}`;
    const res = await appliveryCall('PUT', path, { allowedDownloadsNum: -MAX - 2 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 6001, message: 'Database Validation Error' });
  });
});
