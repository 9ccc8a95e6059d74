import { listBuilds } from '../../services/builds/catalog';
import { organizationProcedure } from '../../trpc';
import { ZListBuildsInput, ZListBuildsOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
/** Like the list of published applications, readable by whoever may read the store's OTP users. */
export const listBuildsProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.list' })
  .input(ZListBuildsInput)
  .output(ZListBuildsOutput)
  .query(({ ctx, input: { storeId, publishedApplicationId, ...page } }) =>
    listBuilds(ctx.db, { organizationId: ctx.organization.id, storeId }, publishedApplicationId, page),
  );
