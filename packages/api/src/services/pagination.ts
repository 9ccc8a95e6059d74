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

type Range = { skip: number; take: number };

/** Reads one page of rows and the count of all rows together; `toItem` maps a row to what leaves. */
export function readPage<Row>(
  page: PageRequest,
  rows: (range: Range) => Promise<Row[]>,
  count: () => Promise<number>,
): Promise<Page<Row>>;
export function readPage<Row, Item>(
  page: PageRequest,
  rows: (range: Range) => Promise<Row[]>,
  count: () => Promise<number>,
  toItem: (row: Row) => Item,
): Promise<Page<Item>>;
export async function readPage<Row, Item>(
  page: PageRequest,
  rows: (range: Range) => Promise<Row[]>,
  count: () => Promise<number>,
  toItem?: (row: Row) => Item,
): Promise<Page<Row | Item>> {
  const [found, totalDocs] = await Promise.all([rows(skipTake(page)), count()]);
  return toPage<Row | Item>(toItem ? found.map(toItem) : found, totalDocs, page);
}
