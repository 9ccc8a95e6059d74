import { z } from 'zod';
import { ZObjectId, ZPaginated } from './common';

export const ZStore = z
  .object({ id: ZObjectId, organizationId: ZObjectId, name: z.string() })
  .meta({ id: 'Store' });
export const ZStorePage = ZPaginated(ZStore).meta({ id: 'StorePage' });

export const ZPublishedApplication = z
  .object({
    id: ZObjectId,
    storeId: ZObjectId,
    applicationId: ZObjectId,
    name: z.string(),
    version: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PublishedApplication' });
export const ZPublishedApplicationPage = ZPaginated(ZPublishedApplication).meta({
  id: 'PublishedApplicationPage',
});
