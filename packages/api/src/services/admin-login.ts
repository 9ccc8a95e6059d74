import type { Db } from '@otp-access/db';
import { AppError, ErrorCode } from '../errors';
import { verifyPassword } from './password';
import type { SessionConfig } from './session';

/** The one answer to every failed sign-in: it must not tell which part was wrong, or that an account exists. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password';

export const invalidCredentials = () =>
  new AppError(ErrorCode.UNAUTHORIZED, { message: INVALID_CREDENTIALS_MESSAGE });

/**
 * Checks an admin's credentials. Every failure (unknown email, wrong password, locked account)
 * costs one argon2 verification and answers the same. `maxFailedLogins` consecutive failures lock
 * the account for `lockSeconds`; the counter moves by one atomic update, so parallel attempts
 * cannot slip past it.
 */
export async function verifyAdminCredentials(
  db: Db,
  config: SessionConfig,
  credentials: { username: string; password: string },
  now: Date,
): Promise<{ userId: string }> {
  const user = await db.adminUser.findUnique({
    where: { email: credentials.username.trim().toLowerCase() },
    select: { id: true, passwordHash: true, lockedUntil: true },
  });
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  if (!user) throw invalidCredentials();
  if (user.lockedUntil && user.lockedUntil > now) throw invalidCredentials();
  if (!passwordOk) {
    await db.$executeRaw`
      UPDATE admin_user
         SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN 1 ELSE failed_logins + 1 END,
             locked_until = CASE
               WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN 1 ELSE failed_logins + 1 END) >= ${config.maxFailedLogins}
               THEN ${new Date(now.getTime() + config.lockSeconds * 1000)}::timestamptz
               ELSE locked_until END
       WHERE id = ${user.id}`;
    throw invalidCredentials();
  }
  await db.adminUser.update({
    where: { id: user.id },
    data: { failedLogins: 0, lockedUntil: null },
    select: { id: true },
  });
  return { userId: user.id };
}
