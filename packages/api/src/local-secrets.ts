import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * For a single-machine install without configured secrets: a value generated once into the data
 * directory (mode 600) and reused on every start. Several instances must be given the same
 * values through the environment instead.
 */
async function localSecret(
  dataDir: string,
  name: string,
  generate: () => string,
): Promise<{ value: string; created: boolean }> {
  const file = path.join(dataDir, name);
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing) return { value: existing, created: false };
  const value = generate();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

export function localSessionSecret(dataDir: string) {
  return localSecret(dataDir, 'session-secret', () => randomBytes(32).toString('base64url'));
}

/** A keyring spec (`OTP_SECRETS_KEYS` format) with one fresh key. */
export function localSecretsKeyring(dataDir: string) {
  return localSecret(dataDir, 'secrets-keys', () => `local1:${randomBytes(32).toString('base64')}`);
}
