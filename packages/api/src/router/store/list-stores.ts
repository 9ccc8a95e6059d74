import { listStores } from '../../services/catalog';
import { organizationProcedure } from '../../trpc';
import { ZListStoresInput, ZListStoresOutput } from './schema';

/** Stores are what OTP users belong to, so reading them takes the OTP-user list permission. */
export const listStoresProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.list' })
  .input(ZListStoresInput)
  .output(ZListStoresOutput)
  .query(({ ctx, input }) => listStores(ctx.db, ctx.organization.id, input));
