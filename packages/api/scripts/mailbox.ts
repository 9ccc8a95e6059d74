/**
 * `pnpm mailbox [count]`: the newest messages the embedded mode's local mail sink captured
 * (codes sent by the demo organization end up here when no real mail server is configured).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDbEnv } from '@otp-access/db';
import type { CapturedMail } from '../src/delivery/mail-sink';

const count = Number(process.argv[2] ?? 5);
const dir = path.join(readDbEnv().DATA_DIR, 'mailbox');
const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.log(`No mail captured yet (looked in ${dir}).`);
  process.exit(0);
}
for (const file of files.slice(-count)) {
  const mail = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CapturedMail;
  console.log(`── ${mail.receivedAt}  from ${mail.from}  to ${mail.to.join(', ')}`);
  console.log(`   ${mail.subject}`);
  console.log(mail.text.replace(/^/gm, '   '));
}
