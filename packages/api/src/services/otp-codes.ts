import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { type Db, newObjectId, type OtpPurpose, sqlPool } from '@otp-access/db';

/** After this many wrong tries a code is dead, even for the right digits. */
export const MAX_CODE_ATTEMPTS = 5;

export interface CodePolicy {
  length: number;
  ttlSeconds: number;
}

export const DEFAULT_CODE_POLICY: CodePolicy = { length: 6, ttlSeconds: 600 };

/** Codes are stored as an HMAC under a server key: a database dump does not reveal them. */
export function hashCode(key: Uint8Array, purpose: OtpPurpose, subjectId: string, code: string): string {
  return createHmac('sha256', key).update(`${purpose}:${subjectId}:${code}`).digest('hex');
}

/**
 * A fresh code for the subject, from a CSPRNG; every older code of the subject stops working.
 * Returns the code itself for delivery: it is never stored or logged.
 */
export async function issueCode(
  db: Db,
  key: Uint8Array,
  request: {
    purpose: OtpPurpose;
    subjectId: string;
    policy: CodePolicy;
    now: Date;
    /** A tag of the address the code is for: tries from elsewhere then count apart. */
    issuedTo?: string;
  },
): Promise<{ code: string; expiresAt: Date }> {
  const { purpose, subjectId, policy, now } = request;
  const code = randomInt(0, 10 ** policy.length)
    .toString()
    .padStart(policy.length, '0');
  const expiresAt = new Date(now.getTime() + policy.ttlSeconds * 1000);
  await db.$transaction([
    db.otpCode.updateMany({
      where: { purpose, subjectId, consumedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    }),
    db.otpCode.create({
      data: {
        id: newObjectId(now),
        purpose,
        subjectId,
        codeHash: hashCode(key, purpose, subjectId, code),
        issuedTo: request.issuedTo ?? null,
        expiresAt,
        createdAt: now,
      },
      select: { id: true },
    }),
  ]);
  return { code, expiresAt };
}

/**
 * Checks a code against the subject's live one. Every check first claims one of the code's tries
 * with a conditional update, and only a claimed try is compared: however many guesses arrive in
 * parallel, at most MAX_CODE_ATTEMPTS are ever compared with the code (reading the count and
 * incrementing it after the comparison let every guess that read the row before the others'
 * increments landed be compared too). The right code is then consumed by a single conditional
 * update, so of many parallel attempts exactly one wins.
 */
export async function verifyCode(
  db: Db,
  key: Uint8Array,
  request: { purpose: OtpPurpose; subjectId: string; code: string; now: Date; from?: string },
): Promise<boolean> {
  const { purpose, subjectId } = request;
  const given = Buffer.from(hashCode(key, purpose, subjectId, request.code.trim()), 'hex');
  return answerChallenge(db, {
    ...request,
    check: async (codeHash) => {
      const expected = Buffer.from(codeHash, 'hex');
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  });
}

/**
 * The same claimed-try discipline for a challenge whose answer is checked elsewhere (an
 * authenticator app's code, a recovery code): the subject's live challenge must exist, each
 * answer claims one of its MAX_CODE_ATTEMPTS tries first, and a right answer consumes it once.
 *
 * A code issued to an address (`issuedTo`) keeps two sets of tries: the address's own, and
 * MAX_CODE_ATTEMPTS more shared by every other address. Someone elsewhere who knows only the
 * username can use up theirs, never the holder's, so they cannot cancel a sign-in in progress;
 * and the guesses per code stay bounded (twice MAX_CODE_ATTEMPTS).
 */
export async function answerChallenge(
  db: Db,
  request: {
    purpose: OtpPurpose;
    subjectId: string;
    now: Date;
    /** The tag of the address answering (compared with the code's `issuedTo`). */
    from?: string;
    check: (codeHash: string) => Promise<boolean>;
  },
): Promise<boolean> {
  const { purpose, subjectId, now } = request;
  const pool = sqlPool(db);
  const { rows } = await pool.query<{ id: string; code_hash: string }>({
    name: 'otp-code-claim-try',
    text: CLAIM_TRY_SQL,
    values: [purpose, subjectId, now, request.from ?? null, MAX_CODE_ATTEMPTS],
  });
  const live = rows[0];
  if (!live) return false;
  if (!(await request.check(live.code_hash))) return false;
  const consumed = await pool.query({
    name: 'otp-code-consume',
    text: CONSUME_SQL,
    values: [live.id, now],
  });
  return consumed.rowCount === 1;
}

/**
 * Finds the subject's newest live code and claims one of its tries in one statement: the address's
 * own tries when the code was issued to it (or to no address), the shared foreign ones otherwise.
 * No row back: no live code, or its tries are used up. Under concurrent claims PostgreSQL checks
 * the attempts condition again on the row as the previous claim left it, so no more than
 * MAX_CODE_ATTEMPTS claims of either kind succeed. Only the newest code counts (issuing one ends
 * the older ones). SQL rather than Prisma: a code check is on the path every sign-in waits on,
 * and this replaced two Prisma statements (bench/FINDINGS.md).
 */
const CLAIM_TRY_SQL = `
WITH live AS (
  SELECT id FROM otp_code
   WHERE purpose = $1::"OtpPurpose" AND subject_id = $2 AND consumed_at IS NULL AND expires_at > $3
   ORDER BY created_at DESC
   LIMIT 1
)
UPDATE otp_code c
   SET attempts = c.attempts + CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN 1 ELSE 0 END,
       foreign_attempts = c.foreign_attempts + CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN 0 ELSE 1 END
  FROM live
 WHERE c.id = live.id
   AND c.consumed_at IS NULL
   AND CASE WHEN c.issued_to IS NULL OR c.issued_to = $4 THEN c.attempts ELSE c.foreign_attempts END < $5
RETURNING c.id, c.code_hash`;

/** The right answer uses the code up; of parallel right answers exactly one gets the row. */
const CONSUME_SQL =
  'UPDATE otp_code SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2';
