import type { AdminOtpType, Db } from '@otp-access/db';
import { AppError, ErrorCode } from '../errors';
import type { LimitName, Limits } from './limits';
import { verifyPassword } from './password';

/** The one answer to every failed sign-in: it must not tell which part was wrong, or that an account exists. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password';

export const invalidCredentials = () =>
  new AppError(ErrorCode.UNAUTHORIZED, { message: INVALID_CREDENTIALS_MESSAGE });

/** In-process callers (tests, scripts) have no address; our HTTP server always sets one. */
const NO_ADDRESS = 'unknown';

/**
 * Checks an admin's credentials under limits no one else can pull (NIST SP 800-63B §5.2.2):
 *
 * - every attempt spends one point of the caller's address (`signInPerIp`);
 * - a wrong password counts against the account *from that address*
 *   (`signInFailuresPerAccountIp`): a guesser throttles only their own address, and the account's
 *   owner signs in from theirs;
 * - a wrong password also counts against the account as a whole (`signInFailuresPerAccount`, 100
 *   an hour); past that ceiling only addresses the account signed in from before may try, so a
 *   guesser with many addresses neither gets unlimited tries nor locks the owner out.
 *
 * The failure points are taken *before* the password is checked (a reservation) and given back
 * when it is right, so parallel attempts cannot all be checked before any failure is counted.
 * Unknown emails go through the same counters and the same argon2 verification: the answers do
 * not tell whether an account exists.
 *
 * Returns the account and how its sign-ins are confirmed, so the caller decides between a session
 * and a second step without asking the database again.
 */
export async function verifyAdminCredentials(
  db: Db,
  limits: Limits,
  credentials: { username: string; password: string; clientIp: string },
  _now: Date,
): Promise<{ userId: string; email: string; otpType: AdminOtpType }> {
  const email = credentials.username.trim().toLowerCase();
  const ip = credentials.clientIp;
  const accountAtAddress = `${email}|${ip}`;
  const known = (await limits.used('signInKnownAddress', accountAtAddress)) > 0;
  const checks: [LimitName, string][] = [];
  if (ip !== NO_ADDRESS) checks.push(['signInPerIp', ip]);
  checks.push(['signInFailuresPerAccountIp', accountAtAddress]);
  if (!known) checks.push(['signInFailuresPerAccount', email]);
  await limits.consume(checks);

  const user = await db.adminUser.findUnique({
    where: { email },
    select: { id: true, email: true, otpType: true, passwordHash: true },
  });
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  if (!user || !passwordOk) throw invalidCredentials();

  // The reservations were not failures: the address's streak ends, the account's count is given back.
  await Promise.all([
    limits.reset('signInFailuresPerAccountIp', accountAtAddress),
    known ? undefined : limits.refund('signInFailuresPerAccount', email),
    limits.consume([['signInKnownAddress', accountAtAddress]]),
  ]);
  return { userId: user.id, email: user.email, otpType: user.otpType };
}
