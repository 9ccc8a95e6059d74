/**
 * Send and verify limits under bursts of concurrent connections (OWASP API4: unrestricted
 * resource consumption). A real node:http server in front of the API's handlers takes hundreds of
 * simultaneous sockets; what counts is what the providers actually received (a real SMTP sink, a
 * fake Twilio API), never more than the limit allows, with every refusal in the documented 429
 * shape. Limits are kept in PostgreSQL, as in production.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { newObjectId } from '@otp-access/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClientIp } from '../client-ip';
import { type FakeProvider, startFakeProvider } from '../delivery/fake-provider-server';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { LIMITS } from '../services/limits';
import { MAX_CODE_ATTEMPTS } from '../services/otp-codes';
import { storeSubjectId } from '../services/store-access';
import { recordFigures } from '../testing/figures';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  TEST_PASSWORD,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';

/** Sockets open at the same time during a burst. */
const CONNECTIONS = 200;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

interface Call {
  method?: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** The client's address, as a trusted reverse proxy appends it to X-Forwarded-For. */
  ip: string;
  headers?: Record<string, string>;
}

let server: Server;
let port: number;
const connections = { opened: 0, open: 0, peak: 0 };
let sink: MailSink;
let twilio: FakeProvider;
let handlers: TestHandlers;

beforeAll(async () => {
  sink = await startMailSink();
  twilio = await startFakeProvider(() => ({
    status: 201,
    body: { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' },
  }));
  handlers = testHandlers({
    delivery: testDelivery({
      timeoutMs: 10_000,
      baseUrls: { TWILIO: twilio.baseUrl },
      // The installation's own mail server, for admin sign-in codes.
      operatorMail: {
        smtpHost: sink.host,
        smtpPort: sink.port,
        transportStrategy: 'SMTP',
        fromAddress: 'operator@test.example',
      },
    }),
  });
  const listener = getRequestListener(
    (request) => handlers.route(request) ?? new Response(null, { status: 404 }),
  );
  // As the app's own server does behind a trusted proxy (TRUST_PROXY=true). Each test speaks
  // from addresses of its own, so reruns on one database do not meet earlier runs' counters.
  server = createServer((req, res) => {
    setClientIp(req, { trustProxy: true });
    void listener(req, res);
  });
  server.on('connection', (socket) => {
    connections.opened++;
    connections.peak = Math.max(connections.peak, ++connections.open);
    socket.on('close', () => connections.open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await sink?.stop();
  await twilio?.close();
});

/** One request on a connection of its own (no keep-alive), as separate clients would send it. */
function send(call: Call): Promise<Answer> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: call.method ?? 'POST',
        path: call.path,
        agent: false,
        headers: {
          connection: 'close',
          'x-forwarded-for': call.ip,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...call.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Burst {
  answers: Answer[];
  /** Connections the server accepted for this burst, and the most open at once. */
  connections: number;
  peakConnections: number;
}

/** All calls at once, at most CONNECTIONS sockets open at a time; answers in call order. */
async function burst(calls: Call[]): Promise<Burst> {
  const before = connections.opened;
  connections.peak = connections.open;
  const answers: Answer[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      answers[index] = await send(calls[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, calls.length) }, worker));
  return { answers, connections: connections.opened - before, peakConnections: connections.peak };
}

const runId = randomBytes(3).toString('hex');
let ipCounter = 0;
/** Documentation-range IPv6 addresses, unique to this run. */
const freshIp = () => `2001:db8:${runId.slice(0, 4)}:${runId.slice(4)}::${(++ipCounter).toString(16)}`;
const freshEmail = (label: string) => `${label}-${runId}-${randomBytes(3).toString('hex')}@burst.example`;

const trpcPath = (procedure: string) => `/api/trpc/${procedure}`;
const codeIn = (text: string) => /\b(\d{6,10})\b/.exec(text)?.[1];

/** The documented refusal on tRPC: 429, application code 7001 and how long to wait. */
function expectTrpcTooMany(answer: Answer, maxWaitSeconds: number) {
  expect(answer.status).toBe(429);
  const error = answer.body.error as { message: string; data: Record<string, unknown> };
  expect(error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 7001 });
  const wait = (error.data.fields as { retryAfterSeconds: number }).retryAfterSeconds;
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(maxWaitSeconds);
}

/** The documented refusal on the Spring-style surfaces: 429 body and Retry-After. */
function expectSpringTooMany(answer: Answer, path: string, maxWaitSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ status: 429, error: 'Too Many Requests', path });
  expect(typeof answer.body.timestamp).toBe('string');
  const wait = Number(answer.headers['retry-after']);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(maxWaitSeconds);
}

const countBy = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

/**
 * Codes go out in the background: waits until `expected` messages arrived, then a while longer,
 * so a late extra one would still be counted.
 */
async function mailsTo(recipients: Set<string>, expected: number): Promise<number> {
  const count = () => sink.messages().filter((m) => m.to.some((to) => recipients.has(to))).length;
  const deadline = Date.now() + 20_000;
  while (count() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1_500));
  return count();
}

async function mailingOrganization(): Promise<TestOrganization> {
  const org = await createTestOrganization();
  await callerFor(org.apiKey).otpSettings.upsertSmtp({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: '127.0.0.1',
    smtpPort: sink.port,
    transportStrategy: 'SMTP',
    fromAddress: 'codes@burst.example',
  });
  return org;
}

async function addOtpUsers(org: TestOrganization, emails: string[], storeId = org.storeId, appId?: string) {
  await callerFor(org.apiKey).otpUser.create({
    storeId,
    data: { email: emails, publishedApplicationId: appId ?? org.publishedApplicationId },
  });
}

const requestCode = (storeId: string, email: string, ip: string): Call => ({
  path: trpcPath('storeAccess.requestCode'),
  body: { storeId, email },
  ip,
});

describe('store code requests under a burst', () => {
  it('one address gets exactly its 30 requests, and only those reach the mail provider', async () => {
    const org = await mailingOrganization();
    const emails = Array.from({ length: 200 }, (_, i) => freshEmail(`per-ip-${i}`));
    // Half are OTP users of the store; the rest get the same answer and no mail.
    const real = new Set(emails.filter((_, i) => i % 2 === 0));
    await addOtpUsers(org, [...real]);
    const ip = freshIp();

    const result = await burst(emails.map((email) => requestCode(org.storeId, email, ip)));

    const limit = LIMITS.sendPerIp.points;
    const accepted = result.answers.flatMap((a, i) => (a.status === 200 ? [emails[i]!] : []));
    expect(accepted).toHaveLength(limit);
    for (const answer of result.answers) {
      if (answer.status === 200) {
        expect(answer.body).toEqual({ result: { data: { status: 'sent', expiresInSeconds: 600 } } });
      } else {
        expectTrpcTooMany(answer, LIMITS.sendPerIp.duration);
      }
    }
    const acceptedReal = accepted.filter((email) => real.has(email));
    const delivered = await mailsTo(real, acceptedReal.length);
    expect(delivered).toBe(acceptedReal.length);
    // Exactly the accepted OTP users got a code: none of the refused ones.
    const mailed = new Set(sink.messages().flatMap((m) => m.to.filter((to) => real.has(to))));
    expect([...mailed].sort()).toEqual([...acceptedReal].sort());
    expect(await testDb().deliveryLog.count({ where: { organizationId: org.id } })).toBe(acceptedReal.length);

    recordFigures('limits burst: code requests from one IP (limit 30 / 10 min)', {
      requests: emails.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: accepted.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });

  it('a client cannot pick its own address: forged X-Forwarded-For entries and client-IP headers are ignored', async () => {
    const org = await mailingOrganization();
    const ip = freshIp();
    const calls = Array.from({ length: 100 }, (_, i) => {
      const forged = `198.51.100.${i + 1}`;
      return {
        ...requestCode(org.storeId, freshEmail(`forged-${i}`), ip),
        // What nginx forwards when the client sent its own X-Forwarded-For: the proxy appends
        // the address it saw.
        headers: { 'x-forwarded-for': `${forged}, ${ip}`, [CLIENT_IP_HEADER]: forged },
      };
    });

    const result = await burst(calls);

    expect(countBy(result.answers, 200)).toBe(LIMITS.sendPerIp.points);
    expect(countBy(result.answers, 429)).toBe(calls.length - LIMITS.sendPerIp.points);

    recordFigures('limits burst: code requests from one IP with forged address headers (limit 30 / 10 min)', {
      requests: calls.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: countBy(result.answers, 200),
      refused: countBy(result.answers, 429),
    });
  });

  it('one recipient gets one code per store and 10 an hour, however many addresses ask', async () => {
    const org = await mailingOrganization();
    const email = freshEmail('recipient');
    // The same person is an OTP user of 12 stores: the per-store cooldown lets one code per
    // store through, the per-recipient limit 10 across all of them.
    const stores = [org.storeId];
    const apps = [org.publishedApplicationId];
    for (let i = 1; i < 12; i++) {
      const storeId = (
        await testDb().store.create({
          data: { id: newObjectId(), organizationId: org.id, name: `Store ${i}` },
          select: { id: true },
        })
      ).id;
      const application = await testDb().application.findFirstOrThrow({ where: { organizationId: org.id } });
      const published = await testDb().publishedApplication.create({
        data: {
          id: newObjectId(),
          storeId,
          applicationId: application.id,
          name: `App ${i}`,
          version: '1.0.0',
        },
        select: { id: true },
      });
      stores.push(storeId);
      apps.push(published.id);
    }
    for (const [i, storeId] of stores.entries()) await addOtpUsers(org, [email], storeId, apps[i]);

    const calls = stores.flatMap((storeId) =>
      Array.from({ length: 20 }, () => requestCode(storeId, email, freshIp())),
    );
    const result = await burst(calls);

    const limit = LIMITS.sendPerRecipient.points;
    const acceptedStores = result.answers.flatMap((a, i) => (a.status === 200 ? [calls[i]!.body] : []));
    expect(acceptedStores).toHaveLength(limit);
    expect(new Set(acceptedStores.map((b) => (b as { storeId: string }).storeId)).size).toBe(limit);
    for (const answer of result.answers) {
      if (answer.status !== 200) expectTrpcTooMany(answer, LIMITS.sendPerRecipient.duration);
    }
    const delivered = await mailsTo(new Set([email]), limit);
    expect(delivered).toBe(limit);

    recordFigures('limits burst: code requests for one recipient in 12 stores (1 / 60 s per store, 10 / h)', {
      requests: calls.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: acceptedStores.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });

  it('an organization sends at most 2000 codes an hour, from any number of addresses', async () => {
    const org = await mailingOrganization();
    const limit = LIMITS.sendPerOrganization.points;
    // 105 addresses × 20 requests: no address reaches its own limit, together they pass the
    // organization's.
    const emails = Array.from({ length: limit + 100 }, (_, i) => freshEmail(`org-${i}`));
    const real = new Set(emails.filter((_, i) => i % 20 === 0));
    await addOtpUsers(org, [...real]);
    const ips = Array.from({ length: Math.ceil(emails.length / 20) }, freshIp);
    const calls = emails.map((email, i) => requestCode(org.storeId, email, ips[Math.floor(i / 20)]!));

    const result = await burst(calls);

    const accepted = result.answers.flatMap((a, i) => (a.status === 200 ? [emails[i]!] : []));
    expect(accepted).toHaveLength(limit);
    for (const answer of result.answers) {
      if (answer.status !== 200) expectTrpcTooMany(answer, LIMITS.sendPerOrganization.duration);
    }
    const acceptedReal = accepted.filter((email) => real.has(email));
    const delivered = await mailsTo(real, acceptedReal.length);
    expect(delivered).toBe(acceptedReal.length);

    recordFigures('limits burst: code requests of one organization (limit 2000 / h)', {
      requests: calls.length,
      addresses: ips.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: accepted.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });
});

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
    const late = await send(verifyCall(org.storeId, email, code, freshIp()));
    expect(late.status).toBe(401);
    expect(late.headers['set-cookie']).toBeUndefined();

    recordFigures('limits burst: wrong store codes from one IP (limit 60 / 10 min, 5 tries per code)', {
      requests: calls.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
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
    const late = await send(verifyCall(org.storeId, email, code, freshIp()));
    expect(late.status).toBe(401);
    expect(late.headers['set-cookie']).toBeUndefined();

    recordFigures('limits burst: wrong store codes from 200 IPs (5 tries per code)', {
      requests: calls.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      'answered 401': countBy(result.answers, 401),
      'guesses compared': compared,
      'right code after the burst': late.status,
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

describe('test sends under a burst', () => {
  it('an organization gets 30 test sends an hour over REST and tRPC together, by mail and SMS', async () => {
    const org = await mailingOrganization();
    await callerFor(org.apiKey).otpSettings.upsertTwilio({
      isDefault: true,
      type: 'SMS',
      provider: 'TWILIO',
      accountSid: `AC${'d'.repeat(32)}`,
      authToken: 'burst-token',
      twilioNumber: '+15005550006',
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
      requests: calls.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: acceptedMail + acceptedSms,
      refused: countBy(result.answers, 429),
      'provider calls (SMTP)': mails,
      'provider calls (Twilio)': sms,
    });
  });
});
