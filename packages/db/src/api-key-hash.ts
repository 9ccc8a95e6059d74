import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 256-bit random strings, so a single SHA-256 is enough to store them safely (a slow
 * password hash would only slow down every request) and lets a request find its key by index.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `oa_${randomBytes(32).toString('base64url')}`;
}

/** What lists show so people can tell keys apart; never enough to use the key. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 10);
}
