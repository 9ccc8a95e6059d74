/**
 * `pnpm admin:create-organization --slug acme --name "Acme Inc." --owner-email ops@acme.example
 * [--password …]`: the operator's bootstrap of an organization and its owner, on DATABASE_URL (or
 * the embedded database while no server runs on it). Migrates first, so it works on an empty
 * database. Without a password (flag or OWNER_PASSWORD) a new account gets one generated and
 * printed once; an existing account becomes the owner and keeps its password.
 */
import { parseArgs } from 'node:util';
import { createDb } from '@otp-access/db';
import { provisionDatabase } from '@otp-access/db/provision';
import { ZAdminEmail, ZNewPassword, ZOrganizationName, ZOrganizationSlug } from '@otp-access/validators';
import { z } from 'zod';
import { ownerPasswordFromEnv } from '../src/env';
import { AppError } from '../src/errors';
import { createOrganizationWithOwner } from '../src/services/first-run';

const usage =
  'usage: pnpm admin:create-organization --slug <slug> --name <name> --owner-email <email> [--password <password>]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'owner-email': { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const parsed = z
  .object({
    slug: ZOrganizationSlug,
    name: ZOrganizationName,
    'owner-email': ZAdminEmail,
    password: ZNewPassword.optional(),
  })
  .safeParse({ ...values, password: values.password ?? ownerPasswordFromEnv() });
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`);
  fail(`${problems.join('\n')}\n${usage}`);
}

const database = await provisionDatabase({ log: () => {} });
const db = createDb({ connectionString: database.connectionString, max: 2 });
try {
  const created = await createOrganizationWithOwner(
    db,
    {
      slug: parsed.data.slug,
      name: parsed.data.name,
      ownerEmail: parsed.data['owner-email'],
      password: parsed.data.password,
    },
    { onlyWhenEmpty: false, actor: 'operator (CLI)', now: new Date() },
  );
  console.log(`Created organization "${created.organization.name}" (slug ${created.organization.slug}).`);
  console.log(
    created.owner.newAccount
      ? `Owner: ${created.owner.email} (new account).`
      : `Owner: ${created.owner.email} (existing account, password unchanged).`,
  );
  if (created.initialPassword) {
    console.log(`Generated password of ${created.owner.email} (shown once): ${created.initialPassword}`);
  }
} catch (error) {
  if (error instanceof AppError) fail(error.message);
  throw error;
} finally {
  await db.$disconnect();
  await database.stop();
}
