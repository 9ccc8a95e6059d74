import { z } from 'zod';
import { ZObjectId, ZPaginated } from './common';

export const ZStore = z
  .object({
    id: ZObjectId,
    organizationId: ZObjectId,
    name: z.string(),
    description: z.string(),
  })
  .meta({ id: 'Store' });
export const ZStorePage = ZPaginated(ZStore).meta({ id: 'StorePage' });

export const ZPublishedApplication = z
  .object({
    id: ZObjectId,
    storeId: ZObjectId,
    applicationId: ZObjectId,
    name: z.string(),
    version: z.string(),
    /** The build OTP users download; null until one is published. */
    publishedBuildId: ZObjectId.nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PublishedApplication' });
export const ZPublishedApplicationPage = ZPaginated(ZPublishedApplication).meta({
  id: 'PublishedApplicationPage',
});

/** Body of creating a published application in a store. */
export const ZPublishedApplicationFields = z
  .object({
    name: z.string().trim().min(1, 'Give the application a name').max(200, 'At most 200 characters'),
    version: z.string().trim().max(100, 'At most 100 characters').optional(),
  })
  .strict()
  .meta({ id: 'CreatePublishedApplicationBody' });

export const BUILD_KINDS = ['APK', 'IPA', 'FILE'] as const;

// Each response schema lists its fields in full on purpose: it is the OpenAPI component readers see.
export const ZBuild = z
  .object({
    id: ZObjectId,
    publishedApplicationId: ZObjectId,
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    kind: z.enum(BUILD_KINDS),
    bundleId: z.string().nullable(),
    version: z.string().nullable(),
    buildNumber: z.string().nullable(),
    /** `data:image/png;base64,…` when the package had an icon we could read. */
    icon: z.string().nullable(),
    /** Why no metadata was read (not an APK/IPA, or an unreadable one); null when it was. */
    metadataNote: z.string().nullable(),
    published: z.boolean(),
    createdBy: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Build' });
export const ZBuildPage = ZPaginated(ZBuild).meta({ id: 'BuildPage' });

/** Body of choosing the published build. */
export const ZPublishBuildFields = z.object({ buildId: ZObjectId }).strict().meta({ id: 'PublishBuildBody' });
