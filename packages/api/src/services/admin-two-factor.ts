import { createHmac, randomInt } from 'node:crypto';
import type { AdminOtpType, Db } from '@otp-access/db';
import { newObjectId } from '@otp-access/db';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { AppError, ErrorCode } from '../errors';
import type { DeliveryConfig } from './delivery';
import type { Limits } from './limits';
import { sendOperatorMail } from './operator-mail';
import { answerChallenge, issueCode, verifyCode } from './otp-codes';
import { verifyPassword } from './password';
import { decryptSecret, encryptSecret, type Keyring } from './secret-box';

export interface TwoFactorDeps {
  db: Db;
  keyring: () => Keyring;
  delivery: DeliveryConfig;
  limits: Limits;
  codeKey: Uint8Array;
}

/** Admin sign-in codes follow the installation's policy, not any organization's. */
export const ADMIN_CODE_POLICY = { length: 6, ttlSeconds: 600 };
/** How long after the password step an authenticator app's code (or a recovery code) is taken. */
const SECOND_STEP_SECONDS = 300;
const ISSUER = 'OTP Access';
const TOTP_PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_PATTERN = /^[a-z2-9]{5}-?[a-z2-9]{5}$/i;

/**
 * The second step of an admin sign-in, once the password was right.
 *
 * MAIL: a code through the operator's own mail server. Accounts that chose SMS get it the same way
 * (there is no operator SMS channel; an organization's SMS setting is exactly what must not carry
 * it). TOTP: nothing is sent; a challenge row binds the next step to this password check.
 * Returns the method the admin must answer with.
 */
export async function startAdminSecondFactor(
  deps: TwoFactorDeps,
  user: { id: string; email: string; otpType: Exclude<AdminOtpType, 'NONE'> },
  clientIp: string,
  now: Date,
): Promise<'MAIL' | 'TOTP'> {
  const issuedTo = addressTag(deps.codeKey, clientIp);
  if (user.otpType === 'TOTP') {
    await issueCode(deps.db, deps.codeKey, {
      purpose: 'ADMIN_2FA',
      subjectId: user.id,
      policy: { length: 10, ttlSeconds: SECOND_STEP_SECONDS },
      now,
      issuedTo,
    });
    return 'TOTP';
  }
  // The account's own budgets: no one else's requests (store codes for the same address) spend them.
  await deps.limits.consume([
    ['adminCodeCooldown', user.id],
    ['adminCodePerAccount', user.id],
  ]);
  const { code } = await issueCode(deps.db, deps.codeKey, {
    purpose: 'ADMIN_2FA',
    subjectId: user.id,
    policy: ADMIN_CODE_POLICY,
    now,
    issuedTo,
  });
  await sendOperatorMail(deps.delivery, {
    to: user.email,
    subject: 'Your OTP Access sign-in code',
    text: `Your sign-in code is ${code}.\n\nIt expires in ${ADMIN_CODE_POLICY.ttlSeconds / 60} minutes. If you did not try to sign in, change your password.`,
  });
  return 'MAIL';
}

/** Which address passed the password step, kept as an HMAC (the address itself is not stored). */
const addressTag = (key: Uint8Array, ip: string) =>
  createHmac('sha256', key).update(`address:${ip}`).digest('hex');

export const invalidCode = () => new AppError(ErrorCode.UNAUTHORIZED, { message: 'Invalid or expired code' });

function totpOf(secretBase32: string, email: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

const totpAad = (userId: string) => `admin-totp:${userId}`;

function recoveryHash(key: Uint8Array, userId: string, code: string): string {
  const normalized = code.trim().toLowerCase().replace('-', '');
  return createHmac('sha256', key).update(`recovery:${userId}:${normalized}`).digest('hex');
}

/**
 * An authenticator code for the account, at most once per time step: the step is recorded by a
 * conditional update, so one code (even sent twice in parallel) signs in once.
 */
async function acceptTotp(
  deps: Pick<TwoFactorDeps, 'db' | 'keyring'>,
  user: { id: string; email: string; totpSecret: string | null },
  code: string,
  now: Date,
): Promise<boolean> {
  if (!user.totpSecret || !/^\d{6}$/.test(code)) return false;
  const totp = totpOf(decryptSecret(deps.keyring(), user.totpSecret, totpAad(user.id)), user.email);
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return false;
  const step = OTPAuth.TOTP.counter({ period: TOTP_PERIOD, timestamp: now.getTime() }) + delta;
  const recorded = await deps.db.$executeRaw`
    UPDATE admin_user SET totp_last_step = ${step}
     WHERE id = ${user.id} AND (totp_last_step IS NULL OR totp_last_step < ${step})`;
  return recorded === 1;
}

/** A recovery code of the account, used up by one conditional update. */
async function acceptRecoveryCode(deps: TwoFactorDeps, userId: string, code: string, now: Date) {
  if (!RECOVERY_CODE_PATTERN.test(code.trim())) return false;
  const used = await deps.db.recoveryCode.updateMany({
    where: { userId, codeHash: recoveryHash(deps.codeKey, userId, code), usedAt: null },
    data: { usedAt: now },
  });
  return used.count === 1;
}

/**
 * Checks the second step: a mailed code, or (authenticator accounts) the app's code or a recovery
 * code, within a few minutes of a right password. Unknown users and wrong codes answer the same;
 * each password check allows MAX_CODE_ATTEMPTS answers.
 */
export async function verifyAdminCode(
  deps: TwoFactorDeps,
  input: { username: string; code: string; clientIp: string },
  now: Date,
): Promise<{ userId: string; usedRecoveryCode: boolean }> {
  await deps.limits.consume([['verifyPerIp', input.clientIp]]);
  const user = await deps.db.adminUser.findUnique({
    where: { email: input.username.trim().toLowerCase() },
    select: { id: true, email: true, otpType: true, totpSecret: true },
  });
  if (!user || user.otpType === 'NONE') throw invalidCode();
  if (user.otpType !== 'TOTP') {
    const ok = await verifyCode(deps.db, deps.codeKey, {
      purpose: 'ADMIN_2FA',
      subjectId: user.id,
      code: input.code,
      now,
      from: addressTag(deps.codeKey, input.clientIp),
    });
    if (!ok) throw invalidCode();
    return { userId: user.id, usedRecoveryCode: false };
  }
  let usedRecoveryCode = false;
  const ok = await answerChallenge(deps.db, {
    purpose: 'ADMIN_2FA',
    subjectId: user.id,
    now,
    from: addressTag(deps.codeKey, input.clientIp),
    check: async () => {
      if (await acceptTotp(deps, user, input.code.trim(), now)) return true;
      usedRecoveryCode = await acceptRecoveryCode(deps, user.id, input.code, now);
      return usedRecoveryCode;
    },
  });
  if (!ok) throw invalidCode();
  return { userId: user.id, usedRecoveryCode };
}

const wrongPassword = () =>
  new AppError(ErrorCode.UNAUTHORIZED, { message: 'Your current password is not right' });

/** Changes to how an account signs in need its password again: a stolen session is not enough. */
export async function confirmPassword(db: Db, userId: string, password: string | undefined) {
  const user = await db.adminUser.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true },
  });
  if (!password || !(await verifyPassword(user.passwordHash, password))) throw wrongPassword();
}

/**
 * Enrolment, step 1: a new secret, kept sealed on the account until a code from the app confirms
 * it. Returned once, as text and as a QR code of its otpauth:// URI.
 */
export async function beginTotpEnrolment(deps: Pick<TwoFactorDeps, 'db' | 'keyring'>, userId: string) {
  const user = await deps.db.adminUser.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, otpType: true },
  });
  if (user.otpType === 'TOTP') {
    throw new AppError(ErrorCode.CONFLICT, {
      message: 'An authenticator app is already set up; turn it off first to set up another',
    });
  }
  const secret = new OTPAuth.Secret({ size: 20 });
  await deps.db.adminUser.update({
    where: { id: userId },
    data: { totpSecret: encryptSecret(deps.keyring(), secret.base32, totpAad(userId)), totpLastStep: null },
    select: { id: true },
  });
  const uri = totpOf(secret.base32, user.email).toString();
  const qrCode = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret: secret.base32, uri, qrCode };
}

/** Fresh recovery codes (the old ones stop working); only their hashes are kept. */
async function replaceRecoveryCodes(deps: Pick<TwoFactorDeps, 'db' | 'codeKey'>, userId: string, now: Date) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
  await deps.db.$transaction([
    deps.db.recoveryCode.deleteMany({ where: { userId } }),
    deps.db.recoveryCode.createMany({
      data: codes.map((code) => ({
        id: newObjectId(now),
        userId,
        codeHash: recoveryHash(deps.codeKey, userId, code),
        createdAt: now,
      })),
    }),
  ]);
  return codes;
}

/** Enrolment, step 2: a code from the app turns it on and yields the recovery codes, once. */
export async function confirmTotpEnrolment(
  deps: Pick<TwoFactorDeps, 'db' | 'keyring' | 'codeKey'>,
  userId: string,
  code: string,
  now: Date,
) {
  const user = await deps.db.adminUser.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, otpType: true, totpSecret: true },
  });
  if (user.otpType === 'TOTP') {
    throw new AppError(ErrorCode.CONFLICT, { message: 'The authenticator app is already set up' });
  }
  if (!user.totpSecret) {
    throw new AppError(ErrorCode.CONFLICT, { message: 'Start setting up the authenticator app first' });
  }
  if (!(await acceptTotp(deps, user, code.trim(), now))) {
    throw new AppError(ErrorCode.VALIDATION, {
      message: 'That code is not right: check the time on your device and try the current code',
      data: { code: 'That code is not right' },
    });
  }
  await deps.db.adminUser.update({ where: { id: userId }, data: { otpType: 'TOTP' }, select: { id: true } });
  return { recoveryCodes: await replaceRecoveryCodes(deps, userId, now) };
}

export async function regenerateRecoveryCodes(
  deps: Pick<TwoFactorDeps, 'db' | 'codeKey'>,
  userId: string,
  now: Date,
) {
  const user = await deps.db.adminUser.findUniqueOrThrow({
    where: { id: userId },
    select: { otpType: true },
  });
  if (user.otpType !== 'TOTP') {
    throw new AppError(ErrorCode.CONFLICT, { message: 'Recovery codes come with an authenticator app' });
  }
  return { recoveryCodes: await replaceRecoveryCodes(deps, userId, now) };
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/**
 * The signed-in admin chooses whether sign-ins are confirmed with a mailed code (sent by the
 * operator's mail server) or not at all; the authenticator app is set up by enrolment. Codes by
 * text message are not offered: the installation has no SMS channel of its own, and an
 * organization's SMS setting must not carry an admin's code. Moving off an authenticator app
 * needs the password again and drops the app's secret and recovery codes.
 */
export async function setSecondFactor(
  db: Db,
  userId: string,
  choice: {
    otpType: Exclude<AdminOtpType, 'TOTP'>;
    currentPassword?: string | undefined;
    phone?: string | undefined;
  },
): Promise<{ otpType: AdminOtpType; phone: string | null }> {
  if (choice.otpType === 'SMS') {
    throw new AppError(ErrorCode.VALIDATION, {
      message: 'Codes by text message are not offered: choose email codes or an authenticator app',
      data: { otpType: 'Codes by text message are not offered by this installation' },
    });
  }
  const current = await db.adminUser.findUniqueOrThrow({
    where: { id: userId },
    select: { otpType: true },
  });
  if (current.otpType === 'TOTP') {
    await confirmPassword(db, userId, choice.currentPassword);
    await clearTotp(db, userId);
  }
  return db.adminUser.update({
    where: { id: userId },
    data: { otpType: choice.otpType, ...(choice.phone !== undefined ? { phone: choice.phone } : {}) },
    select: { otpType: true, phone: true },
  });
}

/** Drops the authenticator app (its secret and recovery codes) when the account moves off it. */
export async function clearTotp(db: Db, userId: string) {
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.adminUser.update({
      where: { id: userId },
      data: { totpSecret: null, totpLastStep: null },
      select: { id: true },
    }),
  ]);
}
