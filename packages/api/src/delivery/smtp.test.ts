import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpConfig, sendSmtpMail } from './smtp';

interface ReceivedMail {
  mailFrom: string | undefined;
  rcptTo: string[];
  user: unknown;
  secure: boolean;
  headers: Record<string, string>;
  text: string;
}

const USER = 'mailer@example.test';
const PASSWORD = 'right-password';
const message = { to: 'user@example.test', subject: 'Your sign-in code', text: 'Your code is 123456' };

let certificate: { key: string; cert: string };
beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  certificate = { key: pems.private, cert: pems.cert };
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A real SMTP server that accepts USER/PASSWORD, refuses recipients at reject.example.test, and keeps what it receives. */
async function startSmtpServer(options: SMTPServerOptions) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    ...options,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@reject.example.test')) {
        return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user,
          secure: session.secure,
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  // A client that walks away mid-handshake (the untrusted-certificate case) is an 'error' event.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

/** Enough of RFC 5322 for the short plain-text messages sent here. */
function parseMessage(raw: string): { headers: Record<string, string>; text: string } {
  const [head = '', ...body] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, text: body.join('\r\n\r\n').trim() };
}

function smtpConfig(port: number, overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    smtpHost: '127.0.0.1',
    smtpPort: port,
    username: USER,
    password: PASSWORD,
    transportStrategy: 'SMTP',
    fromAddress: 'OTP Access <no-reply@example.test>',
    ...overrides,
  };
}

function expectDelivered(mail: ReceivedMail | undefined) {
  expect(mail).toBeDefined();
  expect(mail?.mailFrom).toBe('no-reply@example.test');
  expect(mail?.rcptTo).toEqual(['user@example.test']);
  expect(mail?.headers.from).toBe('OTP Access <no-reply@example.test>');
  expect(mail?.headers.to).toBe('user@example.test');
  expect(mail?.headers.subject).toBe('Your sign-in code');
  expect(mail?.text).toBe('Your code is 123456');
}

describe('sendSmtpMail', () => {
  it('sends over plain SMTP with authentication', async () => {
    const server = await startSmtpServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });

    const result = await sendSmtpMail(smtpConfig(server.port), message);

    expect(server.received).toHaveLength(1);
    expectDelivered(server.received[0]);
    expect(server.received[0]?.user).toBe(USER);
    expect(server.received[0]?.secure).toBe(false);
    expect(result.providerMessageId).toMatch(/^<.+@.+>$/);
    expect(result.providerMessageId).toBe(
      `<${server.received[0]?.headers['message-id']?.replace(/^<|>$/g, '')}>`,
    );
    expect(result.providerResponse).toMatch(/^250 /);
  });

  it('upgrades plain SMTP with STARTTLS when the server offers it', async () => {
    const server = await startSmtpServer({ ...certificate });

    await sendSmtpMail(smtpConfig(server.port), message, { tls: { ca: certificate.cert } });

    expect(server.received[0]?.secure).toBe(true);
    expectDelivered(server.received[0]);
  });

  it('sends with required STARTTLS (SMTP_TLS)', async () => {
    const server = await startSmtpServer({ ...certificate });

    await sendSmtpMail(smtpConfig(server.port, { transportStrategy: 'SMTP_TLS' }), message, {
      tls: { ca: certificate.cert },
    });

    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.secure).toBe(true);
    expect(server.received[0]?.user).toBe(USER);
    expectDelivered(server.received[0]);
  });

  it('refuses to send in plaintext when SMTP_TLS meets a server without STARTTLS', async () => {
    const server = await startSmtpServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });

    await expect(
      sendSmtpMail(smtpConfig(server.port, { transportStrategy: 'SMTP_TLS' }), message),
    ).rejects.toMatchObject({
      name: 'DeliveryError',
      kind: 'UNREACHABLE',
      message: expect.stringContaining('STARTTLS'),
    });
    expect(server.received).toHaveLength(0);
  });

  it('sends over implicit TLS (SMTPS)', async () => {
    const server = await startSmtpServer({ secure: true, ...certificate });

    await sendSmtpMail(smtpConfig(server.port, { transportStrategy: 'SMTPS' }), message, {
      tls: { ca: certificate.cert },
    });

    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.secure).toBe(true);
    expectDelivered(server.received[0]);
  });

  it('refuses a certificate it cannot verify', async () => {
    const server = await startSmtpServer({ secure: true, ...certificate });

    await expect(
      sendSmtpMail(smtpConfig(server.port, { transportStrategy: 'SMTPS' }), message),
    ).rejects.toMatchObject({ kind: 'UNREACHABLE', message: expect.stringContaining('secure connection') });
    expect(server.received).toHaveLength(0);
  });

  it('maps a wrong password to bad credentials without repeating it', async () => {
    const server = await startSmtpServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });

    const error: unknown = await sendSmtpMail(
      smtpConfig(server.port, { password: 'wrong-password' }),
      message,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'DeliveryError', kind: 'BAD_CREDENTIALS', providerCode: '535' });
    expect((error as Error).message).not.toContain('wrong-password');
    expect(server.received).toHaveLength(0);
  });

  it('maps a refused recipient to an invalid recipient', async () => {
    const server = await startSmtpServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });

    await expect(
      sendSmtpMail(smtpConfig(server.port), { ...message, to: 'nobody@reject.example.test' }),
    ).rejects.toMatchObject({ kind: 'INVALID_RECIPIENT', providerCode: '550' });
    expect(server.received).toHaveLength(0);
  });

  it('times out on a server that never greets', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    await expect(
      sendSmtpMail(smtpConfig((silent.address() as AddressInfo).port), message, { timeoutMs: 300 }),
    ).rejects.toMatchObject({ kind: 'TIMEOUT' });
  });

  it('reports a closed port as unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    await expect(sendSmtpMail(smtpConfig(port), message)).rejects.toMatchObject({
      kind: 'UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
