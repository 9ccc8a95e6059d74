/**
 * A sealed secret (`v1.<keyId>.<iv>.<tag>.<ciphertext>`) with one bit of one part flipped: the
 * first byte that part encodes, so the value is certain to differ from the original.
 */
export function flipSecretBit(sealed: string, part: 'iv' | 'tag' | 'ciphertext'): string {
  const parts = sealed.split('.');
  const index = { iv: 2, tag: 3, ciphertext: 4 }[part];
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}
