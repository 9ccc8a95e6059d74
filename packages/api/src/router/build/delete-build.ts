import { deleteBuild } from '../../services/builds/catalog';
import { organizationProcedure } from '../../trpc';
import { ZDeleteBuildInput, ZDeleteBuildOutput } from './schema';

export const deleteBuildProcedure = organizationProcedure
  .meta({ permission: 'mad.publications.manage' })
  .input(ZDeleteBuildInput)
  .output(ZDeleteBuildOutput)
  .mutation(({ ctx, input }) =>
    deleteBuild(
      ctx.db,
      ctx.storage,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.publishedApplicationId,
      input.buildId,
    ),
  );
