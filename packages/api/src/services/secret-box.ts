import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * At-rest encryption for delivery-setting secrets: AES-256-GCM, one random 12-byte IV per value.
 * A value is `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), so it names the key that sealed it
 * and keys can rotate: new values use the current key, old keys stay in the ring to decrypt.
 * The caller's associated data (the row id) is authenticated but not stored: a value copied onto
 * another row does not decrypt.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export interface KeyringKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Never carries plaintext, ciphertext or key material: it is safe to log. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export function createKeyring(keys: readonly KeyringKey[], currentId: string): Keyring {
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) {
      // Not echoed: a spec written the wrong way round would put key material here.
      throw new SecretBoxError('A key id must be 1-64 letters, digits, "_" or "-"');
    }
    if (key.length !== KEY_BYTES) {
      throw new SecretBoxError(`Key "${id}" must be ${KEY_BYTES} bytes, not ${key.length}`);
    }
    if (byId.has(id)) throw new SecretBoxError(`Key id "${id}" appears twice in the keyring`);
    // A copy: the caller may reuse or zero its buffer.
    byId.set(id, Buffer.from(key));
  }
  if (!byId.has(currentId)) throw new SecretBoxError(`The current key "${currentId}" is not in the keyring`);
  return { currentId, keys: byId };
}

/** `"kid1:<base64 of 32 bytes>,kid2:<...>"`; the first key is the current one. */
export function parseKeyringSpec(spec: string): Keyring {
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new SecretBoxError('The keyring spec names no key');
  const keys = entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    if (separator <= 0) throw new SecretBoxError(`Keyring entry ${index + 1} is not "<key id>:<base64 key>"`);
    const id = entry.slice(0, separator);
    const encoded = entry.slice(separator + 1).trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new SecretBoxError(`Key "${id}" is not valid base64`);
    }
    // Node's base64 decoder reads the URL-safe alphabet too.
    return { id, key: Buffer.from(encoded, 'base64') };
  });
  return createKeyring(keys, keys[0]!.id);
}

export function encryptSecret(keyring: Keyring, plaintext: string, associatedData: string): string {
  const keyId = keyring.currentId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyOf(keyring, keyId), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keyId, associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, keyId, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptSecret(keyring: Keyring, value: string, associatedData: string): string {
  const sealed = parse(value);
  const decipher = createDecipheriv(ALGORITHM, keyOf(keyring, sealed.keyId), sealed.iv, {
    // Pinned so a truncated tag is refused rather than checked on fewer bytes.
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad(sealed.keyId, associatedData));
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError(
      'The encrypted secret failed authentication: it was altered, or it belongs to another record',
    );
  }
}

/** True when the value was sealed by an older key and should be rewritten under the current one. */
export function needsReencryption(keyring: Keyring, value: string): boolean {
  return parse(value).keyId !== keyring.currentId;
}

function keyOf(keyring: Keyring, keyId: string): Buffer {
  const key = keyring.keys.get(keyId);
  if (!key)
    throw new SecretBoxError(`The secret was encrypted with key "${keyId}", which is not in the keyring`);
  return key;
}

/** The version and key id are authenticated too, so neither can be swapped on a stored value. */
function aad(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${associatedData}`, 'utf8');
}

interface Sealed {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parse(value: string): Sealed {
  const parts = value.split('.');
  const [version, keyId, iv, tag, ciphertext] = parts;
  if (version !== VERSION || parts.length !== 5 || !keyId || iv === undefined || tag === undefined) {
    throw new SecretBoxError(`Not an encrypted secret in the "${VERSION}" format`);
  }
  if (ciphertext === undefined || ![iv, tag, ciphertext].every((part) => BASE64URL.test(part))) {
    throw new SecretBoxError('The encrypted secret is not valid base64url');
  }
  const sealed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new SecretBoxError('The encrypted secret has a malformed IV or tag');
  }
  return sealed;
}
