import { renameOrganization } from '../../services/organization';
import { organizationProcedure } from '../../trpc';
import { ZRenameOrganizationInput, ZRenameOrganizationOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const renameOrganizationProcedure = organizationProcedure
  .meta({ permission: 'org.settings.manage' })
  .input(ZRenameOrganizationInput)
  .output(ZRenameOrganizationOutput)
  .mutation(({ ctx, input }) =>
    renameOrganization(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input.name),
  );
