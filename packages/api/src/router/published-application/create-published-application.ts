import { createPublishedApplication } from '../../services/builds/catalog';
import { organizationProcedure } from '../../trpc';
import { ZCreatePublishedApplicationInput, ZCreatePublishedApplicationOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const createPublishedApplicationProcedure = organizationProcedure
  .meta({ permission: 'mad.publications.manage' })
  .input(ZCreatePublishedApplicationInput)
  .output(ZCreatePublishedApplicationOutput)
  .mutation(({ ctx, input }) =>
    createPublishedApplication(
      ctx.db,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.data,
      ctx.now(),
    ),
  );
