import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from './delivery/mail-sink';
import { createLogger, requestLogger } from './logger';
import {
  callerFor,
  createTestOrganization,
  mailCodesTo,
  sessionCookieFor,
  TEST_PASSWORD,
  type TestOrganization,
  testDb,
  testHandlers,
} from './testing/fixtures';

const lines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: { write: (line: string) => void lines.push(line) },
});
const handlers = testHandlers({
  logger,
});

let org: TestOrganization;
let sink: MailSink;

beforeAll(async () => {
  org = await createTestOrganization();
  sink = await startMailSink();
});

afterAll(async () => {
  await sink.stop();
});

async function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await handlers.route(
    new Request(`http://localhost${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  )!;
  return response;
}

describe('request logs', () => {
  it('write one JSON line per request with its id, echoed in the response', async () => {
    const given = await call('GET', '/api/health', undefined, { 'x-request-id': 'trace-abc-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await call('GET', `/v1/organizations/${org.slug}/stores`, undefined, {
      authorization: `Bearer ${org.apiKey}`,
    });
    const id = generated.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const bogus = await call('GET', '/api/health', undefined, {
      'x-request-id': 'no spaces or <tags> please',
    });
    expect(bogus.headers.get('x-request-id')).not.toContain(' ');

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((e) => e.reqId === 'trace-abc-123')).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/api/health',
      status: 200,
    });
    expect(entries.find((e) => e.reqId === id)).toMatchObject({
      path: `/v1/organizations/${org.slug}/stores`,
      status: 200,
    });
  });

  it('carry the id of the request whose procedure wrote them', async () => {
    const doomed = await createTestOrganization();
    const { name } = await testDb().organization.findUniqueOrThrow({ where: { id: doomed.id } });
    const cookie = await sessionCookieFor(doomed.members.OWNER.userId);
    const response = await call(
      'POST',
      '/api/trpc/organization.delete',
      { confirmName: name },
      { cookie, 'x-space': doomed.slug, 'x-request-id': 'delete-trace-7' },
    );
    expect(response.status).toBe(200);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((e) => e.msg === 'organization deleted' && e.slug === doomed.slug)).toMatchObject({
      reqId: 'delete-trace-7',
      organizationId: doomed.id,
    });
  });

  it('never contain a password, a secret, an API key or a one-time code', async () => {
    const secret = 'twilio-token-that-must-not-leak';
    await call('POST', '/login', { username: org.members.OWNER.email, password: TEST_PASSWORD });
    await call('POST', '/login', { username: org.members.OWNER.email, password: 'wrong-password-value' });
    await call(
      'PUT',
      '/api/otp/settings/sms/twilio',
      {
        isDefault: true,
        type: 'SMS',
        provider: 'TWILIO',
        accountSid: `AC${'e'.repeat(32)}`,
        authToken: secret,
        twilioNumber: '+15005550006',
      },
      { authorization: `Bearer ${org.apiKey}` },
    );
    await mailCodesTo(org.apiKey, sink.port, 'logs@test.example');
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: 'logged@store.example', publishedApplicationId: org.publishedApplicationId },
    });
    await call('POST', '/api/trpc/storeAccess.requestCode', {
      storeId: org.storeId,
      email: 'logged@store.example',
    });
    const code = /\b(\d{6})\b/.exec(
      (await sink.waitFor((m) => m.to.includes('logged@store.example'))).text,
    )![1]!;
    await call('POST', '/api/trpc/storeAccess.verifyCode', {
      storeId: org.storeId,
      email: 'logged@store.example',
      code,
    });
    await call('GET', '/v1/organizations/x/stores', undefined, { authorization: `Bearer ${org.apiKey}` });

    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const value of [secret, TEST_PASSWORD, 'wrong-password-value', org.apiKey, code])
      expect(all).not.toContain(value);
  });
});

describe("a request's own log lines", () => {
  it('carry its id and are redacted like every other line', () => {
    const written: string[] = [];
    const parent = createLogger({ destination: { write: (line: string) => void written.push(line) } });
    const log = requestLogger(parent, { reqId: 'req-42' });
    log.info({ slug: 'acme' }, 'first');
    log.error({ code: '123456', nested: { authorization: 'Bearer oa_secret' } }, 'second');
    const entries = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toMatchObject([
      { reqId: 'req-42', service: 'otp-access', slug: 'acme', msg: 'first', level: 30 },
      {
        reqId: 'req-42',
        code: '[redacted]',
        nested: { authorization: '[redacted]' },
        msg: 'second',
        level: 50,
      },
    ]);
    expect(written.join('')).not.toContain('123456');
  });

  it('are kept apart from other requests', () => {
    const written: string[] = [];
    const parent = createLogger({ destination: { write: (line: string) => void written.push(line) } });
    const first = requestLogger(parent, { reqId: 'one' });
    const second = requestLogger(parent, { reqId: 'two' });
    second.warn('from two');
    first.warn('from one');
    expect(written.map((line) => JSON.parse(line) as { reqId: string; msg: string })).toMatchObject([
      { reqId: 'two', msg: 'from two' },
      { reqId: 'one', msg: 'from one' },
    ]);
  });
});

describe('the server log', () => {
  it('writes every line it was given, in order, even when the process exits right after', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'testing/log-burst.ts'), '5000'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = output
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; msg: string });
    expect(lines.map((line) => line.line)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(lines.every((line) => line.msg === 'burst')).toBe(true);
  });
});
