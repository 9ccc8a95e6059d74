import { describe, expect, it } from 'vitest';
import { newObjectId } from './object-id';

describe('newObjectId', () => {
  it('starts with the given time and never repeats, across many pages of randomness', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const ids = Array.from({ length: 20_000 }, () => newObjectId(now));
    const prefix = (now.getTime() / 1000).toString(16).padStart(8, '0');
    for (const id of ids) expect(id).toMatch(new RegExp(`^${prefix}[0-9a-f]{16}$`));
    expect(new Set(ids).size).toBe(ids.length);
    // Randomness, not a counter: consecutive ids share no fixed tail.
    expect(new Set(ids.map((id) => id.slice(-4))).size).toBeGreaterThan(10_000);
  });

  it('keeps eight hex digits of time for early and late dates', () => {
    expect(newObjectId(new Date(1_000))).toMatch(/^00000001[0-9a-f]{16}$/);
    expect(newObjectId(new Date(0xfffffffe * 1000))).toMatch(/^fffffffe[0-9a-f]{16}$/);
  });
});
