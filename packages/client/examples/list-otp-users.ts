/**
 * Lists the OTP users of the first store of an organization.
 *   OTP_ACCESS_URL=http://localhost:3000 OTP_ACCESS_API_KEY=... pnpm --filter @otp-access/client example
 */
import { createOtpAccessClient, errorCodeOf } from '../src/index';

// Every example reads its settings itself on purpose: each is meant to be read and copied alone.
const url = process.env.OTP_ACCESS_URL ?? 'http://localhost:3000';
const apiKey = process.env.OTP_ACCESS_API_KEY;
if (!apiKey) {
  console.error(
    'Set OTP_ACCESS_API_KEY to an API key (pnpm start prints one, or set DEMO_API_KEY before seeding).',
  );
  process.exit(2);
}

const client = createOtpAccessClient({ url, apiKey });
try {
  const stores = await client.store.list.query({ page: 1, limit: 1 });
  const store = stores.items[0];
  if (!store) throw new Error('This organization has no store.');
  const users = await client.otpUser.list.query({ storeId: store.id, page: 1, limit: 20, sort: 'email:asc' });
  console.log(`${store.name}: ${users.totalDocs} OTP users`);
  for (const user of users.items) {
    const allowance = user.allowedDownloadsNum === -1 ? 'unlimited' : user.allowedDownloadsNum;
    console.log(`  ${user.email.padEnd(32)} downloads allowed: ${allowance}`);
  }
} catch (error) {
  console.error(
    `Failed (code ${errorCodeOf(error) ?? 'n/a'}):`,
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
}
