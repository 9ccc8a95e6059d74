import { beginTotpEnrolment } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZBeginTotpOutput } from './schema';

/** Step 1 of setting up an authenticator app: a new secret and its QR code. */
export const beginTotpProcedure = userProcedure
  .output(ZBeginTotpOutput)
  .mutation(({ ctx }) => beginTotpEnrolment({ db: ctx.db, keyring: ctx.keyring }, ctx.user.userId));
