import type { TRPCRouterRecord } from '@trpc/server';
import { loginProcedure } from './login';
import { logoutProcedure } from './logout';
import { meProcedure } from './me';
import { refreshSessionProcedure } from './refresh-session';
import { setTwoFactorProcedure } from './set-two-factor';
import { switchSpaceProcedure } from './switch-space';
import { validateProcedure } from './validate';

export const authRouter = {
  login: loginProcedure,
  validate: validateProcedure,
  setTwoFactor: setTwoFactorProcedure,
  refresh: refreshSessionProcedure,
  logout: logoutProcedure,
  me: meProcedure,
  switchSpace: switchSpaceProcedure,
} satisfies TRPCRouterRecord;
