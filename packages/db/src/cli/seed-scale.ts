/**
 * `pnpm db:seed-scale [count] [organizationSlug]`: migrates and seeds, then adds `count` (default
 * 1,000,000) synthetic OTP users to the organization's first store.
 */
import { provisionDatabase } from '../provision';
import { seedScale } from '../scale-seed';

const count = Number(process.argv[2] ?? 1_000_000);
const organizationSlug = process.argv[3] ?? 'demo';
if (!Number.isInteger(count) || count < 1) {
  console.error('usage: pnpm db:seed-scale [count] [organizationSlug]');
  process.exit(2);
}
const database = await provisionDatabase({ seed: true });
const started = Date.now();
await seedScale({
  connectionString: database.connectionString,
  organizationSlug,
  count,
  onProgress: (done, total) =>
    process.stdout.write(`\r${done.toLocaleString('en')} / ${total.toLocaleString('en')} OTP users`),
});
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
await database.stop();
