import { z } from 'zod';
import { ZObjectId, ZPaginated } from './common';

export const ZStore = z.object({
  id: ZObjectId,
  organizationId: ZObjectId,
  name: z.string(),
  description: z.string(),
});
export const ZStorePage = ZPaginated(ZStore);

export const ZPublishedApplication = z.object({
  id: ZObjectId,
  storeId: ZObjectId,
  applicationId: ZObjectId,
  name: z.string(),
  version: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export const ZPublishedApplicationPage = ZPaginated(ZPublishedApplication);
