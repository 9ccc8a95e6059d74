import { z } from 'zod';

/** Ids everywhere are ObjectId-shaped, as the spec's `^[a-fA-F0-9]{24}$`. */
export const ZObjectId = z.string().regex(/^[a-fA-F0-9]{24}$/, 'Must be 24 hexadecimal characters');

export const ZIsoDateTime = z.iso.datetime({ offset: true });

/** Largest integer a JSON number carries exactly (2^53 - 1). */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const ZPageQuery = z.object({
  page: z.int().min(1).max(1_000_000).default(1),
  limit: z.int().min(1).max(100).default(20),
});

export function ZPaginated<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    totalDocs: z.int().min(0),
    limit: z.int().min(1),
    page: z.int().min(1),
    totalPages: z.int().min(0),
    hasNextPage: z.boolean(),
    hasPrevPage: z.boolean(),
  });
}
