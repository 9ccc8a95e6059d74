import { createHash, randomFillSync } from 'node:crypto';

/**
 * Random bytes for ids, drawn from the CSPRNG a page at a time: one `randomBytes(8)` per id cost
 * 2% of the API's busy time under load (bench/FINDINGS.md), a call into the system's generator for
 * eight bytes. Each id takes its own eight bytes of the page; none is handed out twice.
 */
const RANDOM_PAGE_BYTES = 4096;
const randomPage = Buffer.alloc(RANDOM_PAGE_BYTES);
let randomOffset = RANDOM_PAGE_BYTES;

function randomHex8(): string {
  if (randomOffset + 8 > RANDOM_PAGE_BYTES) {
    randomFillSync(randomPage);
    randomOffset = 0;
  }
  const hex = randomPage.toString('hex', randomOffset, randomOffset + 8);
  randomOffset += 8;
  return hex;
}

/** 24 lowercase hex chars: 4 bytes of Unix seconds + 8 random bytes (ObjectId-shaped, roughly time-ordered). */
export function newObjectId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + randomHex8();
}

/** A stable ObjectId-shaped id derived from a name, for deterministic seed data. */
export function stableObjectId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 24);
}
