import { getOverview } from '../../services/overview';
import { organizationProcedure } from '../../trpc';
import { ZGetOverviewInput, ZGetOverviewOutput } from './schema';

export const getOverviewProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.read' })
  .input(ZGetOverviewInput)
  .output(ZGetOverviewOutput)
  .query(({ ctx, input }) => getOverview(ctx.db, ctx.organization.id, input.days, ctx.now()));
