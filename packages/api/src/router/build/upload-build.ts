import { AppError, ErrorCode } from '../../errors';
import { uploadBuild } from '../../services/builds/upload';
import { organizationProcedure } from '../../trpc';
import { ZUploadBuildInput, ZUploadBuildOutput } from './schema';

/**
 * Served by the REST surface only (`POST …/published-applications/{id}/builds`, multipart), which
 * hands the unread body over in the context; called any other way it says where to send the file.
 */
export const uploadBuildProcedure = organizationProcedure
  .meta({ permission: 'mad.publications.manage' })
  .input(ZUploadBuildInput)
  .output(ZUploadBuildOutput)
  .mutation(({ ctx, input }) => {
    if (!ctx.upload) {
      throw new AppError(ErrorCode.VALIDATION, {
        data: {
          file: 'Upload builds as multipart/form-data to POST /v1/organizations/{organizationSlug}/stores/{storeId}/published-applications/{publishedApplicationId}/builds',
        },
      });
    }
    return uploadBuild(
      { db: ctx.db, storage: ctx.storage(), maxBytes: ctx.buildMaxBytes },
      {
        organizationId: ctx.organization.id,
        storeId: input.storeId,
        publishedApplicationId: input.publishedApplicationId,
        actor: ctx.actor,
      },
      ctx.upload,
      ctx.now(),
    );
  });
