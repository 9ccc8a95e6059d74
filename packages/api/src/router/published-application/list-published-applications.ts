import { listPublishedApplications } from '../../services/catalog';
import { organizationProcedure } from '../../trpc';
import { ZListPublishedApplicationsInput, ZListPublishedApplicationsOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const listPublishedApplicationsProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.list' })
  .input(ZListPublishedApplicationsInput)
  .output(ZListPublishedApplicationsOutput)
  .query(({ ctx, input: { storeId, ...page } }) =>
    listPublishedApplications(ctx.db, { organizationId: ctx.organization.id, storeId }, page),
  );
