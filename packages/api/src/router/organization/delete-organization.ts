import { deleteOrganization } from '../../services/organization';
import { organizationProcedure } from '../../trpc';
import { ZDeleteOrganizationInput, ZDeleteOrganizationOutput } from './schema';

export const deleteOrganizationProcedure = organizationProcedure
  .meta({ permission: 'org.delete' })
  .input(ZDeleteOrganizationInput)
  .output(ZDeleteOrganizationOutput)
  .mutation(async ({ ctx, input }) => {
    const result = await deleteOrganization(
      ctx.db,
      { organizationId: ctx.organization.id, actor: ctx.actor, principal: ctx.principal },
      input,
      { removeStoredBuilds: ctx.removeStoredBuilds, apiKeyCache: ctx.apiKeyCache },
    );
    // Its audit log went with it: the server log keeps the record.
    ctx.logger.info(
      { organizationId: ctx.organization.id, slug: ctx.organization.slug, actor: ctx.actor },
      'organization deleted',
    );
    return result;
  });
