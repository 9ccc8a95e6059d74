import type { TRPCRouterRecord } from '@trpc/server';
import { loginProcedure } from './login';
import { logoutProcedure } from './logout';
import { meProcedure } from './me';
import { refreshSessionProcedure } from './refresh-session';
import { switchSpaceProcedure } from './switch-space';

export const authRouter = {
  login: loginProcedure,
  refresh: refreshSessionProcedure,
  logout: logoutProcedure,
  me: meProcedure,
  switchSpace: switchSpaceProcedure,
} satisfies TRPCRouterRecord;
