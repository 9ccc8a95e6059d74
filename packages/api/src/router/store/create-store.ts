import { createStore } from '../../services/catalog';
import { organizationProcedure } from '../../trpc';
import { ZCreateStoreInput, ZCreateStoreOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const createStoreProcedure = organizationProcedure
  .meta({ permission: 'mad.store.manage' })
  .input(ZCreateStoreInput)
  .output(ZCreateStoreOutput)
  .mutation(({ ctx, input }) =>
    createStore(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input.data, ctx.now()),
  );
