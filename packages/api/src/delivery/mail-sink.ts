import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface MailSink {
  host: string;
  port: number;
  messages(): CapturedMail[];
  /** Resolves with the first captured message (past or future) that matches. */
  waitFor(match: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  stop(): Promise<void>;
}

/**
 * A local SMTP server that accepts every message and keeps it: the embedded mode's outbox (so
 * codes can be read without a real mail provider) and the tests' inbox. Optionally writes each
 * message as JSON into `dir`, where `pnpm mailbox` reads them.
 */
export async function startMailSink(
  options: { host?: string; port?: number; dir?: string } = {},
): Promise<MailSink> {
  const host = options.host ?? '127.0.0.1';
  const captured: CapturedMail[] = [];
  const waiters = new Set<{
    match: (mail: CapturedMail) => boolean;
    resolve: (mail: CapturedMail) => void;
  }>();
  if (options.dir) await mkdir(options.dir, { recursive: true });

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'sink' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void PostalMime.parse(Buffer.concat(chunks))
          .then(async (parsed) => {
            const mail: CapturedMail = {
              id: `${Date.now()}-${captured.length + 1}`,
              receivedAt: new Date().toISOString(),
              from:
                parsed.from?.address ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            };
            captured.push(mail);
            if (options.dir)
              await writeFile(
                path.join(options.dir, `${mail.id}.json`),
                `${JSON.stringify(mail, null, 2)}\n`,
              );
            for (const waiter of waiters) {
              if (waiter.match(mail)) {
                waiters.delete(waiter);
                waiter.resolve(mail);
              }
            }
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    messages: () => [...captured],
    waitFor(match, timeoutMs = 10_000) {
      const found = captured.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (mail: CapturedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error('No matching mail arrived in time'));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
