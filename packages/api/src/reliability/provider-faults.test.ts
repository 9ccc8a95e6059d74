import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  type ScriptedReply,
  startFakeProvider,
  startSilentServer,
} from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures, scaled } from '../testing/figures';
import {
  callerFor,
  createTestOrganization,
  sinkMailSetting,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';

/*
 * The default SMS provider hangs or answers garbage; a second one works. Every send must give up
 * on the broken one within the configured timeout, say why, log the failed attempt, and deliver
 * through the other. The fakes speak the providers' real wire formats.
 */

// Laid out like database-outage.test.ts on purpose: each fault test states its limits first.
const TIMEOUT_MS = 800;
/** How far past the timeout a given-up attempt may end (scheduling on a busy machine). */
const TIMEOUT_SLACK_MS = 700;
/** At most this many test sends per organization per hour; each fault gets its own organization. */
const TEST_SENDS_PER_ORG = 25;

type Fault = 'hang' | 'html-200' | 'html-502' | 'json-without-sid';

const garbage: Record<Exclude<Fault, 'hang'>, ScriptedReply> = {
  'html-200': { status: 200, body: '<html><body>Welcome to nginx!</body></html>', contentType: 'text/html' },
  'html-502': { status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
  'json-without-sid': { status: 201, body: { status: 'queued' } },
};
/** What the failed attempt must say: the kind and a message an admin can act on. */
const expectedFailure: Record<Fault, { kind: string; error: RegExp }> = {
  hang: { kind: 'TIMEOUT', error: /Twilio did not answer in time/ },
  'html-200': { kind: 'PROVIDER_ERROR', error: /Twilio answered HTTP 200 with a body that is not JSON/ },
  'html-502': { kind: 'PROVIDER_ERROR', error: /Twilio answered HTTP 502 with a body that is not JSON/ },
  'json-without-sid': { kind: 'PROVIDER_ERROR', error: /returned no message SID/ },
};

interface Attempt {
  provider: string;
  status: 'SENT' | 'FAILED';
  error: string | null;
  errorKind: string | null;
  durationMs: number;
}

let netgsm: FakeProvider;
let silent: { baseUrl: string; close(): Promise<void> };
let sink: MailSink;
const brokenTwilio = new Map<Exclude<Fault, 'hang'>, FakeProvider>();

beforeAll(async () => {
  netgsm = await startFakeProvider(() => ({
    status: 200,
    body: { code: '00', jobid: String(Date.now()), description: 'queued' },
  }));
  silent = await startSilentServer();
  sink = await startMailSink();
  for (const [fault, reply] of Object.entries(garbage) as [Exclude<Fault, 'hang'>, ScriptedReply][]) {
    brokenTwilio.set(fault, await startFakeProvider(() => reply));
  }
});

afterAll(async () => {
  await Promise.all([
    netgsm?.close(),
    silent?.close(),
    sink?.stop(),
    ...[...brokenTwilio.values()].map((p) => p.close()),
  ]);
});

/** Handlers whose Twilio is the broken one and whose NetGSM works. */
function handlersFor(fault: Fault) {
  const twilio = fault === 'hang' ? silent.baseUrl : brokenTwilio.get(fault)!.baseUrl;
  return conformantRoutes(
    testHandlers({
      delivery: testDelivery({
        timeoutMs: TIMEOUT_MS,
        baseUrls: { TWILIO: twilio, NETGSM: netgsm.baseUrl },
        // The installation's own mail server (admin sign-in codes): the test's sink.
        operatorMail: {
          smtpHost: sink.host,
          smtpPort: sink.port,
          transportStrategy: 'SMTP',
          fromAddress: 'operator@test.example',
        },
      }),
    }),
  );
}

/** Twilio (broken) is the default SMS provider, NetGSM the fallback, and mail goes to the sink. */
async function organizationWithBrokenDefault(): Promise<TestOrganization> {
  const org = await createTestOrganization();
  const settings = callerFor(org.apiKey).otpSettings;
  await settings.upsertTwilio({
    isDefault: true,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'f'.repeat(32)}`,
    authToken: 'twilio-token',
    twilioNumber: '+15005550006',
  });
  await settings.upsertNetgsm({
    isDefault: false,
    type: 'SMS',
    provider: 'NETGSM',
    username: 'netgsm-user',
    password: 'netgsm-pass',
    header: 'OTPACCESS',
  });
  await settings.upsertSmtp({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: sink.host,
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'codes@faults.example',
  });
  return org;
}

async function post(
  handlers: ReturnType<typeof handlersFor>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await handlers.route(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  )!;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * NetGSM's request body carries the message; the code is the digits in it. Codes go to its OTP
 * endpoint (`{msg, no}`), other messages to the bulk one (`{messages: [{msg, no}]}`).
 */
function netgsmMessagesTo(gsm: string): string[] {
  return netgsm.requests.flatMap((r) => {
    const body = JSON.parse(r.body) as {
      messages?: { msg: string; no: string }[];
      msg?: string;
      no?: string;
    };
    const messages = body.messages ?? [{ msg: body.msg ?? '', no: body.no ?? '' }];
    return messages.filter((m) => m.no === gsm).map((m) => m.msg);
  });
}

let phoneCounter = 0;
const figures = {
  sends: 0,
  faults: 0,
  timeouts: 0,
  failovers: 0,
  maxTimeToFailoverMs: 0,
  deliveryLogRows: 0,
};

describe('a broken default SMS provider', () => {
  for (const fault of ['hang', 'html-200', 'html-502', 'json-without-sid'] as const) {
    it(`test sends fail over when Twilio ${fault === 'hang' ? 'never answers' : `answers ${fault}`}`, async () => {
      const handlers = handlersFor(fault);
      const org = await organizationWithBrokenDefault();
      const sends = Math.min(scaled(4), TEST_SENDS_PER_ORG);
      // Numbers no other test sends to, so the fallback's inbox can be counted per recipient.
      const recipients = Array.from(
        { length: sends },
        () => `+90532${String(10_000_000 + ++phoneCounter).slice(1)}`,
      );
      const results = await Promise.all(
        recipients.map(async (to) => {
          const started = performance.now();
          const res = await post(
            handlers,
            '/api/otp/settings/test',
            { type: 'SMS', to },
            { authorization: `Bearer ${org.apiKey}` },
          );
          return { ...res, ms: performance.now() - started };
        }),
      );
      figures.sends += sends;
      figures.faults += sends;

      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.body.delivered).toBe(true);
        const attempts = result.body.attempts as Attempt[];
        expect(attempts.map((a) => `${a.provider} ${a.status}`)).toEqual(['TWILIO FAILED', 'NETGSM SENT']);
        expect(attempts[0]!.errorKind).toBe(expectedFailure[fault].kind);
        expect(attempts[0]!.error).toMatch(expectedFailure[fault].error);
        if (fault === 'hang') {
          expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
          expect(attempts[0]!.durationMs).toBeLessThan(TIMEOUT_MS + TIMEOUT_SLACK_MS);
          figures.timeouts++;
        }
        // The whole send, failover included, is bounded by one timeout, not a multiple of it.
        expect(result.ms).toBeLessThan(TIMEOUT_MS + TIMEOUT_SLACK_MS + 500);
        figures.failovers++;
        figures.maxTimeToFailoverMs = Math.max(figures.maxTimeToFailoverMs, attempts[0]!.durationMs);
      }
      for (const to of recipients) expect(netgsmMessagesTo(to.slice(3))).toHaveLength(1);

      // One log row per attempt: the failure with its reason, then the delivery.
      const logs = await testDb().deliveryLog.findMany({
        where: { organizationId: org.id, purpose: 'TEST' },
        select: { provider: true, status: true, error: true, recipient: true },
      });
      figures.deliveryLogRows += logs.length;
      const failed = logs.filter((l) => l.status === 'FAILED');
      expect(failed).toHaveLength(sends);
      for (const log of failed) {
        expect(log.provider).toBe('TWILIO');
        expect(log.error).toMatch(expectedFailure[fault].error);
        expect(log.recipient).not.toMatch(/\d{7}/);
      }
      expect(logs.filter((l) => l.status === 'SENT' && l.provider === 'NETGSM')).toHaveLength(sends);
    });
  }

  it("an admin's sign-in code goes by the installation's mail while the organization's SMS providers hang", async () => {
    // Admin codes used to go through the organization's SMS default and its fallback; no setting an
    // organization controls carries them any more, so its faults cannot delay or block them.
    const handlers = handlersFor('hang');
    const org = await organizationWithBrokenDefault();
    await testDb().adminUser.update({
      where: { id: org.members.ADMIN.userId },
      data: { otpType: 'SMS', phone: '+905339876543' },
    });

    const started = performance.now();
    const login = await post(handlers, '/login', {
      username: org.members.ADMIN.email,
      password: TEST_PASSWORD,
    });
    const loginMs = performance.now() - started;
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ otp_required: true, otp_type: 'MAIL' });
    expect(loginMs).toBeLessThan(TIMEOUT_MS + TIMEOUT_SLACK_MS + 500);

    const mail = await sink.waitFor((m) => m.to.includes(org.members.ADMIN.email));
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    expect(code).toBeDefined();
    const validated = await post(handlers, '/validate', {
      username: org.members.ADMIN.email,
      otp_code: code,
    });
    expect(validated.status).toBe(200);
    expect(netgsmMessagesTo('5339876543')).toEqual([]);
    expect(
      await testDb().deliveryLog.count({ where: { organizationId: org.id, purpose: 'ADMIN_2FA' } }),
    ).toBe(0);
  });

  it('a store code request answers at once while the mail server hangs, and the timeout is logged', async () => {
    const handlers = handlersFor('hang');
    const org = await organizationWithBrokenDefault();
    // A TCP server that accepts and never greets: to an SMTP client, a mail server that hangs.
    await callerFor(org.apiKey).otpSettings.upsertSmtp(
      sinkMailSetting(Number(new URL(silent.baseUrl).port), 'codes@faults.example'),
    );
    const emails = Array.from({ length: Math.min(scaled(3), 10) }, (_, i) => `hang-${i}@faults.example`);
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: emails, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: 1 },
    });

    const answers = await Promise.all(
      emails.map(async (email, i) => {
        const started = performance.now();
        const res = await post(
          handlers,
          '/api/trpc/storeAccess.requestCode',
          { storeId: org.storeId, email },
          { [CLIENT_IP_HEADER]: `192.0.2.${i + 1}` },
        );
        return { ...res, ms: performance.now() - started };
      }),
    );
    figures.sends += emails.length;
    figures.faults += emails.length;
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      // The code goes out in the background: a hanging mail server does not hold the answer.
      expect(answer.ms).toBeLessThan(TIMEOUT_MS);
    }

    const deadline = Date.now() + TIMEOUT_MS + TIMEOUT_SLACK_MS + 2_000;
    let logs: { status: string; error: string | null; durationMs: number }[] = [];
    while (Date.now() < deadline) {
      logs = await testDb().deliveryLog.findMany({
        where: { organizationId: org.id, purpose: 'STORE_LOGIN' },
        select: { status: true, error: true, durationMs: true },
      });
      if (logs.length >= emails.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    figures.deliveryLogRows += logs.length;
    expect(logs).toHaveLength(emails.length);
    for (const log of logs) {
      expect(log.status).toBe('FAILED');
      expect(log.error).toMatch(/did not answer in time/);
      expect(log.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(log.durationMs).toBeLessThan(TIMEOUT_MS + TIMEOUT_SLACK_MS);
      figures.timeouts++;
    }
  });
});

afterAll(() => {
  recordFigures('provider faults (hang, HTML 200/502, JSON without SID) with failover', figures);
});
