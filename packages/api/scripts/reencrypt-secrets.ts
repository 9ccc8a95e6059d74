/**
 * `pnpm secrets:reencrypt`: after adding a new key in front of OTP_SECRETS_KEYS (keeping the old
 * ones after it), moves every stored delivery secret under the new key. Then the old keys can go.
 */
import { createDb, readDbEnv } from '@otp-access/db';
import { provisionDatabase } from '@otp-access/db/provision';
import { keyringFromEnv } from '../src/env';
import { localSecretsKeyring } from '../src/local-secrets';
import { reencryptAllSecrets } from '../src/services/otp-settings';
import { parseKeyringSpec } from '../src/services/secret-box';

const database = await provisionDatabase();
let keyring: ReturnType<typeof parseKeyringSpec>;
try {
  keyring = keyringFromEnv();
} catch {
  keyring = parseKeyringSpec((await localSecretsKeyring(readDbEnv().DATA_DIR)).value);
}
const db = createDb({ connectionString: database.connectionString, max: 2 });
try {
  const { settings, values } = await reencryptAllSecrets(db, keyring);
  console.log(
    `Re-encrypted ${values} secret value(s) in ${settings} setting(s) under key "${keyring.currentId}".`,
  );
} finally {
  await db.$disconnect();
  await database.stop();
}
