/**
 * Where delivery secrets may go, and which hosts a tenant's settings may reach.
 *
 * 1. A key that may only update and test settings (it never sees a secret) tries to move each
 *    provider's kept secret to a destination of its choosing, on both surfaces, then runs a
 *    test send: every move without the secret is a 400 naming it, and the secret only ever
 *    reaches the server it was given for.
 * 2. Internal hosts (loopback, private, link-local/metadata, odd spellings of them) are refused
 *    when saved, and a host name that resolves to one is refused at send time without a
 *    connection being made, with one answer whether its port is open or not. The operator can
 *    allow an endpoint, and only that one.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../delivery/fake-provider-server';
import { DEFAULT_DELIVERY_CONFIG } from '../services/delivery';
import { createOutboundPolicy } from '../services/outbound-policy';
import { recordFigures } from '../testing/figures';
// The fixtures of a test over both surfaces, as fuzz-rest-support.ts takes them.
import {
  createTestOrganization,
  type TestHandlers,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
} from '../testing/fixtures';

interface AuthServer {
  port: number;
  /** Passwords received in AUTH. */
  passwords: string[];
  connections: number;
  close(): Promise<void>;
}

/** An SMTP server that takes any AUTH (recording the password) and any message. */
async function startAuthServer(): Promise<AuthServer> {
  const passwords: string[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      passwords.push(String(auth.password));
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    passwords,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SMTP_PASSWORD = 'the-mail-password-0123';
const TWILIO_TOKEN = 'the-twilio-token-0123456789';
const NETGSM_PASSWORD = 'the-netgsm-password';
const DATAPORT_PASSWORD = 'the-dataport-password';

let org: TestOrganization;
let real: AuthServer;
let rogue: AuthServer;
let sms: Awaited<ReturnType<typeof startFakeProvider>>;
let handlers: TestHandlers;
/** Only `otp.settings.update` and `otp.settings.test`: it never sees a secret. */
let limitedKey: string;

beforeAll(async () => {
  org = await createTestOrganization();
  [real, rogue] = await Promise.all([startAuthServer(), startAuthServer()]);
  sms = await startFakeProvider(() => ({ status: 200, body: { sid: 'SM1', code: '00', status: 'ok' } }));
  handlers = testHandlers({
    delivery: testDelivery({
      timeoutMs: 2_000,
      baseUrls: { TWILIO: sms.baseUrl, NETGSM: sms.baseUrl, DATAPORT: sms.baseUrl },
    }),
  });
  limitedKey = await org.createApiKey(['otp.settings.update', 'otp.settings.test']);
});

afterAll(async () => {
  await Promise.all([real.close(), rogue.close(), sms.close()]);
});

async function rest(key: string, method: string, path: string, body?: unknown) {
  const response = await handlers.route(
    new Request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  )!;
  return { status: response.status, body: await response.json() };
}

async function trpc(key: string, procedure: string, input: unknown) {
  const response = await handlers.route(
    new Request(`http://localhost/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
  )!;
  return { status: response.status, body: await response.json() };
}

const smtp = (extra: Record<string, unknown> = {}) => ({
  isDefault: true,
  type: 'MAIL',
  provider: 'DEFAULT',
  username: 'mailer',
  smtpHost: '127.0.0.1',
  smtpPort: real.port,
  transportStrategy: 'SMTP',
  fromAddress: 'otp@test.example',
  ...extra,
});

// Spelled out rather than imported from services/otp-settings.ts: the test pins the words a user reads.
const LABELS: Record<string, string> = {
  smtpHost: 'SMTP host',
  smtpPort: 'port',
  username: 'user name',
  transportStrategy: 'transport',
  accountSid: 'account SID',
  bayiCode: 'dealer code',
  accountNumber: 'account number',
};

const PROCEDURES = {
  'mail/default': 'otpSettings.upsertSmtp',
  'sms/twilio': 'otpSettings.upsertTwilio',
  'sms/netgsm': 'otpSettings.upsertNetgsm',
  'sms/dataport': 'otpSettings.upsertDataport',
} as const;

describe('a kept secret is bound to where it is sent', () => {
  it('refuses every move of a kept secret on both surfaces, and the secret reaches only its own server', async () => {
    const figures = { movesTried: 0, refused400: 0, secretNamed: 0, testSends: 0, secretsAtRogueServer: 0 };
    const setup: [keyof typeof PROCEDURES, Record<string, unknown>][] = [
      ['mail/default', smtp({ password: SMTP_PASSWORD })],
      [
        'sms/twilio',
        {
          isDefault: true,
          type: 'SMS',
          provider: 'TWILIO',
          accountSid: `AC${'a'.repeat(32)}`,
          authToken: TWILIO_TOKEN,
          twilioNumber: '+15005550006',
        },
      ],
      [
        'sms/netgsm',
        {
          isDefault: false,
          type: 'SMS',
          provider: 'NETGSM',
          username: 'netgsm-user',
          bayiCode: 'B1',
          password: NETGSM_PASSWORD,
          header: 'OTPACCESS',
        },
      ],
      [
        'sms/dataport',
        {
          isDefault: false,
          type: 'SMS',
          provider: 'DATAPORT',
          originator: 'OTPACCESS',
          username: 'dp-user',
          accountNumber: '1001',
          password: DATAPORT_PASSWORD,
        },
      ],
    ];
    for (const [path, body] of setup) {
      expect((await rest(org.apiKey, 'PUT', `/api/otp/settings/${path}`, body)).status).toBe(200);
    }

    const moves: [keyof typeof PROCEDURES, string, Record<string, unknown>, RegExp][] = [
      ['mail/default', 'smtpPort', smtp({ smtpPort: rogue.port }), /password/],
      ['mail/default', 'smtpHost', smtp({ smtpHost: 'localhost', smtpPort: rogue.port }), /password/],
      ['mail/default', 'smtpHost', smtp({ smtpHost: 'localhost' }), /password/],
      ['mail/default', 'username', smtp({ username: 'someone-else' }), /password/],
      ['mail/default', 'transportStrategy', smtp({ transportStrategy: 'SMTPS' }), /password/],
      [
        'sms/twilio',
        'accountSid',
        {
          isDefault: true,
          type: 'SMS',
          provider: 'TWILIO',
          accountSid: `AC${'b'.repeat(32)}`,
          twilioNumber: '+15005550006',
        },
        /auth token/,
      ],
      [
        'sms/netgsm',
        'username',
        { isDefault: false, type: 'SMS', provider: 'NETGSM', username: 'attacker', header: 'OTPACCESS' },
        /password/,
      ],
      [
        'sms/netgsm',
        'bayiCode',
        { isDefault: false, type: 'SMS', provider: 'NETGSM', bayiCode: 'B2' },
        /password/,
      ],
      [
        'sms/dataport',
        'accountNumber',
        { isDefault: false, type: 'SMS', provider: 'DATAPORT', accountNumber: '2002' },
        /password/,
      ],
      [
        'sms/dataport',
        'username',
        { isDefault: false, type: 'SMS', provider: 'DATAPORT', username: 'attacker' },
        /password/,
      ],
    ];
    const before = await testDb().deliverySetting.findMany({
      where: { organizationId: org.id },
      select: { id: true, config: true, secrets: true, defaultFor: true },
      orderBy: { id: 'asc' },
    });
    for (const [path, field, body, secretName] of moves) {
      figures.movesTried += 2;
      const viaRest = await rest(limitedKey, 'PUT', `/api/otp/settings/${path}`, body);
      expect(viaRest.status, `${path} ${field} (REST)`).toBe(400);
      expect(viaRest.body).toMatchObject({
        status: 400,
        error: 'Bad Request',
        path: `/api/otp/settings/${path}`,
      });
      expect(viaRest.body.message).toMatch(secretName);
      expect(viaRest.body.message).toMatch(/again when you change where it is sent/);
      expect(viaRest.body.errors).toHaveProperty(secretName.source.replace('auth token', 'authToken'));
      expect(viaRest.body.message).toContain(LABELS[field]!);
      const viaTrpc = await trpc(limitedKey, PROCEDURES[path], body);
      expect(viaTrpc.status, `${path} ${field} (tRPC)`).toBe(400);
      expect(viaTrpc.body.error.data.code).toBe('BAD_REQUEST');
      expect(viaTrpc.body.error.message).toMatch(secretName);
      figures.refused400 += 2;
      figures.secretNamed += 2;
    }
    const after = await testDb().deliverySetting.findMany({
      where: { organizationId: org.id },
      select: { id: true, config: true, secrets: true, defaultFor: true },
      orderBy: { id: 'asc' },
    });
    expect(after).toEqual(before);

    // A client that sends the whole document again, same destination, no secret: still fine.
    expect((await rest(limitedKey, 'PUT', '/api/otp/settings/mail/default', smtp())).status).toBe(200);
    expect(
      (
        await trpc(limitedKey, 'otpSettings.upsertTwilio', {
          isDefault: true,
          type: 'SMS',
          provider: 'TWILIO',
          accountSid: `AC${'a'.repeat(32)}`,
          twilioNumber: '+15005550007',
        })
      ).status,
    ).toBe(200);

    // The test send goes where the password was given for.
    const sent = await rest(limitedKey, 'POST', '/api/otp/settings/test', {
      type: 'MAIL',
      to: 'x@test.example',
    });
    figures.testSends++;
    expect(sent.status).toBe(200);
    expect(sent.body.delivered).toBe(true);
    expect(real.passwords).toContain(SMTP_PASSWORD);
    figures.secretsAtRogueServer = rogue.passwords.length;
    expect(rogue.passwords).toEqual([]);

    // Moving it with the secret sent again is a normal change.
    const moved = await rest(
      limitedKey,
      'PUT',
      '/api/otp/settings/mail/default',
      smtp({ smtpPort: rogue.port, password: 'a-new-password' }),
    );
    expect(moved.status).toBe(200);
    recordFigures('secrets bound to their destination (key with settings update + test only)', figures);
  });
});

describe('outbound address policy', () => {
  const strict = () =>
    testHandlers({
      delivery: { ...DEFAULT_DELIVERY_CONFIG, timeoutMs: 2_000 },
    });

  async function call(h: TestHandlers, key: string, method: string, path: string, body: unknown) {
    const response = await h.route(
      new Request(`http://localhost${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    )!;
    return { status: response.status, body: await response.json() };
  }

  it('refuses internal addresses when saved, in every spelling', async () => {
    const o = await createTestOrganization();
    const h = strict();
    const hosts = [
      '127.0.0.1',
      '[::1]',
      '0x7f000001',
      '2130706433',
      '127.1',
      '169.254.169.254',
      '10.0.0.7',
      '192.168.1.1',
      '172.16.0.1',
      '100.64.0.1',
      '0.0.0.0',
      '[::ffff:127.0.0.1]',
      '[fd00:ec2::254]',
      '[fe80::1]',
    ];
    for (const host of hosts) {
      const answer = await call(
        h,
        o.apiKey,
        'PUT',
        '/api/otp/settings/mail/default',
        smtp({ smtpHost: host, smtpPort: 25 }),
      );
      expect(answer.status, host).toBe(400);
      expect(answer.body.message, host).toMatch(/not allowed: it is an internal address/);
      expect(answer.body.errors).toHaveProperty('smtpHost');
    }
    expect(await testDb().deliverySetting.count({ where: { organizationId: o.id } })).toBe(0);
    // A public address is fine to save.
    expect(
      (await call(h, o.apiKey, 'PUT', '/api/otp/settings/mail/default', smtp({ smtpHost: '93.184.216.34' })))
        .status,
    ).toBe(200);
    recordFigures('outbound policy: internal SMTP hosts refused at save', {
      hostsTried: hosts.length,
      refused: hosts.length,
    });
  });

  it('refuses a name that resolves to an internal address at send time, saying nothing about the port', async () => {
    const o = await createTestOrganization();
    const h = strict();
    const closedPort = await (async () => {
      const s = await startAuthServer();
      const port = s.port;
      await s.close();
      return port;
    })();
    const answers: {
      status: number;
      attempts: { error: string; errorKind: string; durationMs: number }[];
    }[] = [];
    const connectionsBefore = real.connections;
    for (const port of [real.port, closedPort]) {
      // `localhost` is a name: saved, then checked on the address it resolves to.
      expect(
        (
          await call(
            h,
            o.apiKey,
            'PUT',
            '/api/otp/settings/mail/default',
            smtp({ smtpHost: 'localhost', smtpPort: port }),
          )
        ).status,
      ).toBe(200);
      const sent = await call(h, o.apiKey, 'POST', '/api/otp/settings/test', {
        type: 'MAIL',
        to: 'x@test.example',
      });
      expect(sent.status).toBe(200);
      answers.push({ status: sent.status, attempts: sent.body.attempts });
    }
    expect(real.connections).toBe(connectionsBefore);
    const [open, closed] = answers.map((a) => a.attempts[0]!);
    expect(open!.errorKind).toBe('UNREACHABLE');
    expect(open!.error).toBe(closed!.error);
    expect(open!.error).toMatch(/not allowed: it is an internal address/);
    recordFigures('outbound policy: name resolving to loopback refused at send', {
      sends: 2,
      connectionsMade: real.connections - connectionsBefore,
      sameAnswerOpenAndClosedPort: open!.error === closed!.error ? 'yes' : 'no',
    });
  });

  it('lets the operator allow one endpoint, and only that one', async () => {
    const o = await createTestOrganization();
    const h = testHandlers({
      delivery: {
        ...DEFAULT_DELIVERY_CONFIG,
        timeoutMs: 2_000,
        outbound: createOutboundPolicy({ hosts: [`127.0.0.1:${real.port}`] }),
      },
    });
    const put = (port: number) =>
      call(
        h,
        o.apiKey,
        'PUT',
        '/api/otp/settings/mail/default',
        smtp({ smtpPort: port, password: SMTP_PASSWORD }),
      );
    expect((await put(rogue.port)).status).toBe(400);
    expect((await put(real.port)).status).toBe(200);
    const sent = await call(h, o.apiKey, 'POST', '/api/otp/settings/test', {
      type: 'MAIL',
      to: 'x@test.example',
    });
    expect(sent.body.delivered).toBe(true);

    const byNetwork = createOutboundPolicy({ networks: ['127.0.0.0/8'] });
    expect(byNetwork.allowNetworks).toHaveLength(1);
    expect(() => createOutboundPolicy({ networks: ['127.0.0.0/33'] })).toThrow(/CIDR/);
  });
});
