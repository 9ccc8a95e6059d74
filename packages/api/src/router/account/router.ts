import type { TRPCRouterRecord } from '@trpc/server';
import { answerInvitationProcedure } from './answer-invitation';
import { beginTotpProcedure } from './begin-totp';
import { changePasswordProcedure } from './change-password';
import { confirmTotpProcedure } from './confirm-totp';
import { getTwoFactorProcedure } from './get-two-factor';
import { listMyInvitationsProcedure } from './list-my-invitations';
import { listSessionsProcedure } from './list-sessions';
import { regenerateRecoveryCodesProcedure } from './regenerate-recovery-codes';
import { revokeSessionProcedure } from './revoke-session';

/** The signed-in admin's own account: second factor, password, sessions, invitations. */
export const accountRouter = {
  twoFactor: getTwoFactorProcedure,
  beginTotp: beginTotpProcedure,
  confirmTotp: confirmTotpProcedure,
  regenerateRecoveryCodes: regenerateRecoveryCodesProcedure,
  changePassword: changePasswordProcedure,
  sessions: listSessionsProcedure,
  revokeSession: revokeSessionProcedure,
  invitations: listMyInvitationsProcedure,
  answerInvitation: answerInvitationProcedure,
} satisfies TRPCRouterRecord;
