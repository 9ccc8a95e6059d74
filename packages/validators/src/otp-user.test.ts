import { describe, expect, it } from 'vitest';
import { ZAllowedDownloadsNum, ZOtpUserEmail, ZOtpUserSort } from './otp-user';

describe('OTP user constraints of the spec', () => {
  it.each(['a@b.co', "o'neil+tag@example.com", 'first.last@sub.example.org', 'UPPER@Example.COM'])(
    'accepts %s',
    (email) => {
      expect(ZOtpUserEmail.safeParse(email).success).toBe(true);
    },
  );

  it.each([
    '.lead@example.com',
    'double..dot@example.com',
    'trailing.@example.com',
    'no-at.example.com',
    'a@b.c',
    'a@-host.com',
    ' a@b.com',
    `${'a'.repeat(245)}@example.com`,
  ])('rejects %s', (email) => {
    expect(ZOtpUserEmail.safeParse(email).success).toBe(false);
  });

  it('lower-cases emails so uniqueness and search ignore case', () => {
    expect(ZOtpUserEmail.parse('Mixed@Example.COM')).toBe('mixed@example.com');
  });

  it('rejects a huge input by length before running the pattern', () => {
    const result = ZOtpUserEmail.safeParse(`${'a'.repeat(1_000_000)}@`);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.code).toBe('too_big');
  });

  it('allows the documented range ±(2^53-1), as integers', () => {
    for (const ok of [-Number.MAX_SAFE_INTEGER, -2, -1, 0, 7, Number.MAX_SAFE_INTEGER])
      expect(ZAllowedDownloadsNum.safeParse(ok).success).toBe(true);
    for (const bad of [
      -Number.MAX_SAFE_INTEGER - 1,
      1.5,
      Number.MAX_SAFE_INTEGER + 1,
      '7',
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(ZAllowedDownloadsNum.safeParse(bad).success).toBe(false);
    }
  });

  it('parses `field:direction` sorts', () => {
    expect(ZOtpUserSort.parse('email:asc')).toEqual({ field: 'email', direction: 'asc' });
    expect(ZOtpUserSort.safeParse('email:up').success).toBe(false);
    expect(ZOtpUserSort.safeParse('passwordHash:asc').success).toBe(false);
  });
});
