import { listOtpUserDownloads } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZListOtpUserDownloadsInput, ZListOtpUserDownloadsOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const listOtpUserDownloadsProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.get' })
  .input(ZListOtpUserDownloadsInput)
  .output(ZListOtpUserDownloadsOutput)
  .query(({ ctx, input: { storeId, otpUserId, ...page } }) =>
    listOtpUserDownloads(ctx.db, { organizationId: ctx.organization.id, storeId }, otpUserId, page),
  );
