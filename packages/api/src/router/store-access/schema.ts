import { ZObjectId, ZOtpUserEmail } from '@otp-access/validators';
import { z } from 'zod';

export const ZGetStoreInput = z.strictObject({ storeId: ZObjectId });
export const ZGetStoreOutput = z.object({
  id: ZObjectId,
  name: z.string(),
  description: z.string(),
  organizationName: z.string(),
  /** This browser holds a valid session of this store. */
  signedIn: z.boolean(),
});

export const ZRequestStoreCodeInput = z.strictObject({ storeId: ZObjectId, email: ZOtpUserEmail });
export const ZRequestStoreCodeOutput = z.object({ status: z.literal('sent'), expiresInSeconds: z.int() });

export const ZVerifyStoreCodeInput = z.strictObject({
  storeId: ZObjectId,
  email: ZOtpUserEmail,
  code: z
    .string()
    .trim()
    .regex(/^\d{6,10}$/, 'The code is 6 to 10 digits'),
});
export const ZVerifyStoreCodeOutput = z.object({ storeId: ZObjectId, email: z.string() });

export const ZStoreAppsOutput = z.object({
  store: z.object({ id: ZObjectId, name: z.string() }),
  email: z.string(),
  apps: z.array(
    z.object({
      publishedApplicationId: ZObjectId,
      name: z.string(),
      version: z.string(),
      /** null: no build is published yet. */
      fileName: z.string().nullable(),
      size: z.int().nullable(),
      allowedDownloadsNum: z.int(),
      downloadsCount: z.int(),
      /** null = unlimited. */
      remainingDownloads: z.int().nullable(),
      lastDownloadDate: z.string().nullable(),
    }),
  ),
});

export const ZStoreLogoutOutput = z.object({ status: z.literal('ok') });

export const ZDownloadBuildInput = z.strictObject({
  storeId: ZObjectId,
  publishedApplicationId: ZObjectId,
  /** The request's `Range` header, as sent: the service decides what it means. */
  range: z.string().nullish(),
});
