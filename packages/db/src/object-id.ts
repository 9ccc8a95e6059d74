import { createHash, randomBytes } from 'node:crypto';

/** 24 lowercase hex chars: 4 bytes of Unix seconds + 8 random bytes (ObjectId-shaped, roughly time-ordered). */
export function newObjectId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000);
  const time = Buffer.alloc(4);
  time.writeUInt32BE(seconds >>> 0);
  return time.toString('hex') + randomBytes(8).toString('hex');
}

/** A stable ObjectId-shaped id derived from a name, for deterministic seed data. */
export function stableObjectId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 24);
}
