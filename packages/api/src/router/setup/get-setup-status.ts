import { hasAnyOrganization } from '../../services/first-run';
import { publicProcedure } from '../../trpc';
import { ZGetSetupStatusOutput } from './schema';

/** Whether the one-time setup page can still be used: a token is set and no organization exists. */
export const getSetupStatusProcedure = publicProcedure
  .output(ZGetSetupStatusOutput)
  .query(async ({ ctx }) => ({
    open: ctx.setupToken !== undefined && !(await hasAnyOrganization(ctx.db)),
  }));
