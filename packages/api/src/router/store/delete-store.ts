import { deleteStore } from '../../services/catalog';
import { organizationProcedure } from '../../trpc';
import { ZDeleteStoreInput, ZDeleteStoreOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
/** Removes the store with its published applications, OTP users and downloads. */
export const deleteStoreProcedure = organizationProcedure
  .meta({ permission: 'mad.store.manage' })
  .input(ZDeleteStoreInput)
  .output(ZDeleteStoreOutput)
  .mutation(({ ctx, input }) =>
    deleteStore(
      ctx.db,
      { organizationId: ctx.organization.id, actor: ctx.actor },
      input.storeId,
      ctx.removeStoredBuilds,
    ),
  );
