import { updateOtpPolicy } from '../../services/organization';
import { organizationProcedure } from '../../trpc';
import { ZUpdateOtpPolicyInput, ZUpdateOtpPolicyOutput } from './schema';

export const updateOtpPolicyProcedure = organizationProcedure
  .meta({ permission: 'org.settings.manage' })
  .input(ZUpdateOtpPolicyInput)
  .output(ZUpdateOtpPolicyOutput)
  .mutation(({ ctx, input }) =>
    updateOtpPolicy(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input),
  );
