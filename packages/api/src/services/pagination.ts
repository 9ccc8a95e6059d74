export interface PageRequest {
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  totalDocs: number;
  limit: number;
  page: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPrevPage: boolean;
}

export function toPage<T>(items: T[], totalDocs: number, { page, limit }: PageRequest): Page<T> {
  const totalPages = Math.ceil(totalDocs / limit);
  return { items, totalDocs, limit, page, totalPages, hasNextPage: page < totalPages, hasPrevPage: page > 1 };
}

export function skipTake({ page, limit }: PageRequest) {
  return { skip: (page - 1) * limit, take: limit };
}
