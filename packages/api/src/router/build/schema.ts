import {
  ZBuild,
  ZBuildPage,
  ZObjectId,
  ZPageQuery,
  ZPublishBuildFields,
  ZPublishedApplication,
} from '@otp-access/validators';
import { z } from 'zod';

const ZPublishedApplicationRef = z.strictObject({ storeId: ZObjectId, publishedApplicationId: ZObjectId });

export const ZListBuildsInput = ZPublishedApplicationRef.extend(ZPageQuery.shape).strict();
export const ZListBuildsOutput = ZBuildPage;

/** The file itself is not an input: it is streamed from the request body (see `ctx.upload`). */
export const ZUploadBuildInput = ZPublishedApplicationRef;
export const ZUploadBuildOutput = ZBuild;

export const ZPublishBuildInput = ZPublishedApplicationRef.extend({ data: ZPublishBuildFields }).strict();
export const ZPublishBuildOutput = ZPublishedApplication;

export const ZDeleteBuildInput = ZPublishedApplicationRef.extend({ buildId: ZObjectId }).strict();
export const ZDeleteBuildOutput = z.object({ delete: z.literal(true) });
