import {
  ZCreateOtpUsersBody,
  ZDownloadEventPage,
  ZListOtpUsersFilter,
  ZObjectId,
  ZOtpUser,
  ZOtpUserPage,
  ZPageQuery,
  ZUpdateOtpUserBody,
} from '@otp-access/validators';
import { z } from 'zod';

const ZStoreScope = z.strictObject({ storeId: ZObjectId });
const ZOtpUserRef = ZStoreScope.extend({ otpUserId: ZObjectId });

/**
 * `downloadsLeft` (the console's, not the REST surface's): only users with a limited allowance
 * and at most this many downloads left, 0 meaning none; the overview's chart links to it.
 */
export const ZListOtpUsersInput = ZListOtpUsersFilter.extend(ZStoreScope.shape)
  .extend({ downloadsLeft: z.int().min(0).max(2).optional() })
  .strict();
export const ZListOtpUsersOutput = ZOtpUserPage;

export const ZGetOtpUserInput = ZOtpUserRef;
export const ZGetOtpUserOutput = ZOtpUser;

/** The request body sits under `data`, so path ids and body fields never mix. */
export const ZCreateOtpUsersInput = ZStoreScope.extend({ data: ZCreateOtpUsersBody });
export const ZCreateOtpUsersOutput = z.array(ZOtpUser);

export const ZUpdateOtpUserInput = ZOtpUserRef.extend({ data: ZUpdateOtpUserBody });
export const ZUpdateOtpUserOutput = ZOtpUser;

export const ZDeleteOtpUserInput = ZOtpUserRef;
export const ZDeleteOtpUserOutput = z.object({ delete: z.literal(true) });

export const ZListOtpUserDownloadsInput = ZOtpUserRef.extend(ZPageQuery.shape);
export const ZListOtpUserDownloadsOutput = ZDownloadEventPage;

/** The console's usage column: downloads used by the users of one page. */
export const ZGetOtpUsersUsageInput = ZStoreScope.extend({ otpUserIds: z.array(ZObjectId).min(1).max(100) });
export const ZGetOtpUsersUsageOutput = z.array(z.object({ id: ZObjectId, downloadsCount: z.int().min(0) }));
