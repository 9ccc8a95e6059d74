import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flipSecretBit } from '../testing/tamper';
import {
  createKeyring,
  decryptSecret,
  encryptSecret,
  needsReencryption,
  parseKeyringSpec,
  SecretBoxError,
} from './secret-box';

const ROW = '65f0a1b2c3d4e5f601234567';
const OTHER_ROW = '65f0a1b2c3d4e5f601234568';
const SECRET = 'twilio-auth-token-0123456789';

const oldKey = { id: 'k2024', key: randomBytes(32) };
const newKey = { id: 'k2025', key: randomBytes(32) };
const keyring = createKeyring([newKey, oldKey], 'k2025');

describe('secret box', () => {
  it('round-trips a secret in the compact v1 format', () => {
    const sealed = encryptSecret(keyring, SECRET, ROW);

    expect(sealed).toMatch(/^v1\.k2025\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(decryptSecret(keyring, sealed, ROW)).toBe(SECRET);
  });

  it('round-trips non-ASCII and empty plaintexts', () => {
    for (const plaintext of ['', 'şifre-ğüçö-🔑']) {
      expect(decryptSecret(keyring, encryptSecret(keyring, plaintext, ROW), ROW)).toBe(plaintext);
    }
  });

  it('uses a fresh IV for every value', () => {
    const first = encryptSecret(keyring, SECRET, ROW);
    const second = encryptSecret(keyring, SECRET, ROW);

    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(first).not.toBe(second);
  });

  it('refuses a value moved to another row', () => {
    const sealed = encryptSecret(keyring, SECRET, ROW);

    expect(() => decryptSecret(keyring, sealed, OTHER_ROW)).toThrow(SecretBoxError);
    expect(() => decryptSecret(keyring, sealed, OTHER_ROW)).toThrow(/another record/);
  });

  it.each(['ciphertext', 'tag', 'iv'] as const)('refuses a value whose %s was altered', (part) => {
    const altered = flipSecretBit(encryptSecret(keyring, SECRET, ROW), part);

    expect(() => decryptSecret(keyring, altered, ROW)).toThrow(SecretBoxError);
  });

  it('refuses a value relabelled with another key id', () => {
    const sealed = encryptSecret(createKeyring([oldKey], 'k2024'), SECRET, ROW);
    const relabelled = sealed.replace('.k2024.', '.k2025.');

    expect(() => decryptSecret(keyring, relabelled, ROW)).toThrow(SecretBoxError);
  });

  it('refuses a truncated tag', () => {
    const parts = encryptSecret(keyring, SECRET, ROW).split('.');
    parts[3] = (parts[3] ?? '').slice(0, 11);

    expect(() => decryptSecret(keyring, parts.join('.'), ROW)).toThrow(/malformed IV or tag/);
  });

  it('still decrypts values sealed under an older key after rotation, and flags them', () => {
    const sealedBefore = encryptSecret(createKeyring([oldKey], 'k2024'), SECRET, ROW);
    const sealedAfter = encryptSecret(keyring, SECRET, ROW);

    expect(decryptSecret(keyring, sealedBefore, ROW)).toBe(SECRET);
    expect(needsReencryption(keyring, sealedBefore)).toBe(true);
    expect(needsReencryption(keyring, sealedAfter)).toBe(false);
  });

  it('names an unknown key id without revealing anything else', () => {
    const retired = createKeyring([{ id: 'k2019', key: randomBytes(32) }], 'k2019');
    const sealed = encryptSecret(retired, SECRET, ROW);

    let error: unknown;
    try {
      decryptSecret(keyring, sealed, ROW);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as Error).message).toContain('"k2019"');
    expect((error as Error).message).not.toContain(sealed.split('.')[4]);
  });

  it.each(['', 'plaintext', 'v2.k2025.a.b.c', 'v1.k2025.a.b', 'v1.k2025.!!!.b.c', 'v1..a.b.c'])(
    'refuses the malformed value %j',
    (value) => {
      expect(() => decryptSecret(keyring, value, ROW)).toThrow(SecretBoxError);
      expect(() => needsReencryption(keyring, value)).toThrow(SecretBoxError);
    },
  );
});

describe('createKeyring', () => {
  it.each([
    ['a key of the wrong size', [{ id: 'k1', key: randomBytes(16) }], 'k1', /32 bytes/],
    [
      'a current id that is not in the ring',
      [{ id: 'k1', key: randomBytes(32) }],
      'k9',
      /not in the keyring/,
    ],
    ['a duplicate id', [oldKey, { ...oldKey }], 'k2024', /twice/],
    ['an id containing the separator', [{ id: 'k.1', key: randomBytes(32) }], 'k.1', /key id/],
  ])('refuses %s', (_case, keys, currentId, message) => {
    expect(() => createKeyring(keys, currentId)).toThrow(message);
  });
});

describe('parseKeyringSpec', () => {
  it('reads "id:base64" pairs and makes the first one current', () => {
    const spec = ` k2025:${newKey.key.toString('base64')} , k2024:${oldKey.key.toString('base64url')}`;

    const parsed = parseKeyringSpec(spec);

    expect(parsed.currentId).toBe('k2025');
    expect([...parsed.keys.keys()]).toEqual(['k2025', 'k2024']);
    expect(parsed.keys.get('k2024')?.equals(oldKey.key)).toBe(true);
    // Interchangeable with the keyring built from the same keys.
    expect(decryptSecret(parsed, encryptSecret(keyring, SECRET, ROW), ROW)).toBe(SECRET);
  });

  it.each([
    ['an empty spec', '', /no key/],
    ['an entry without an id', `:${randomBytes(32).toString('base64')}`, /not "<key id>:<base64 key>"/],
    ['a key that is not base64', 'k1:not base64!', /not valid base64/],
    ['a short key', `k1:${randomBytes(31).toString('base64')}`, /32 bytes/],
  ])('refuses %s', (_case, spec, message) => {
    expect(() => parseKeyringSpec(spec)).toThrow(message);
  });

  it('never puts key material into its errors', () => {
    const key = randomBytes(31).toString('base64');

    expect(() => parseKeyringSpec(`k1:${key}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(key) }),
    );
  });
});
