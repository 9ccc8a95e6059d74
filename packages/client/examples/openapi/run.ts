/**
 * Runs both flows of `flows.ts` against a server:
 *   OTP_ACCESS_API_KEY=<key> pnpm --filter @otp-access/client example:openapi
 * Optional: OTP_ACCESS_URL (default http://localhost:3000), OTP_ACCESS_ORGANIZATION (demo), and
 * OTP_ACCESS_USERNAME + OTP_ACCESS_PASSWORD (an admin without a second factor) for the settings flow.
 */
import { appliveryFlow, createRestClient, settingsFlow } from './flows';

const baseUrl = process.env.OTP_ACCESS_URL ?? 'http://localhost:3000';
const organization = process.env.OTP_ACCESS_ORGANIZATION ?? 'demo';
const apiKey = process.env.OTP_ACCESS_API_KEY;
if (!apiKey) {
  console.error(
    'Set OTP_ACCESS_API_KEY to an API key (pnpm start prints one, or set DEMO_API_KEY before seeding).',
  );
  process.exit(2);
}

try {
  const client = createRestClient(baseUrl, { authorization: `Bearer ${apiKey}` });
  console.log('Applivery-compatible API:', await appliveryFlow(client, organization));
  const username = process.env.OTP_ACCESS_USERNAME;
  const password = process.env.OTP_ACCESS_PASSWORD;
  if (username && password) {
    console.log(
      'OTP settings API:',
      await settingsFlow(baseUrl, { username, password, space: organization }),
    );
  } else {
    console.log('Set OTP_ACCESS_USERNAME and OTP_ACCESS_PASSWORD to run the settings flow too.');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
