import { publishBuild } from '../../services/builds/catalog';
import { organizationProcedure } from '../../trpc';
import { ZPublishBuildInput, ZPublishBuildOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const publishBuildProcedure = organizationProcedure
  .meta({ permission: 'mad.publications.manage' })
  .input(ZPublishBuildInput)
  .output(ZPublishBuildOutput)
  .mutation(({ ctx, input }) =>
    publishBuild(
      ctx.db,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.publishedApplicationId,
      input.data.buildId,
    ),
  );
