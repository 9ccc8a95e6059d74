import { updateStore } from '../../services/catalog';
import { organizationProcedure } from '../../trpc';
import { ZUpdateStoreInput, ZUpdateStoreOutput } from './schema';

export const updateStoreProcedure = organizationProcedure
  .meta({ permission: 'mad.store.manage' })
  .input(ZUpdateStoreInput)
  .output(ZUpdateStoreOutput)
  .mutation(({ ctx, input }) =>
    updateStore(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input.storeId, input.data),
  );
