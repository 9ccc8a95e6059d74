import type { Db, Prisma } from '@otp-access/db';
import { notFound } from '../errors';
import { type Page, type PageRequest, skipTake, toPage } from './pagination';

const storeSelect = { id: true, organizationId: true, name: true } satisfies Prisma.StoreSelect;

export async function listStores(db: Db, organizationId: string, page: PageRequest) {
  const where = { organizationId } satisfies Prisma.StoreWhereInput;
  const [items, totalDocs] = await Promise.all([
    db.store.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      ...skipTake(page),
      select: storeSelect,
    }),
    db.store.count({ where }),
  ]);
  return toPage(items, totalDocs, page);
}

const publishedApplicationSelect = {
  id: true,
  storeId: true,
  applicationId: true,
  name: true,
  version: true,
  publishedBuildId: true,
  createdAt: true,
} satisfies Prisma.PublishedApplicationSelect;

export interface PublishedApplicationDto {
  id: string;
  storeId: string;
  applicationId: string;
  name: string;
  version: string;
  publishedBuildId: string | null;
  createdAt: string;
}

export async function listPublishedApplications(
  db: Db,
  scope: { organizationId: string; storeId: string },
  page: PageRequest,
): Promise<Page<PublishedApplicationDto>> {
  const store = await db.store.findFirst({
    where: { id: scope.storeId, organizationId: scope.organizationId },
    select: { id: true },
  });
  if (!store) throw notFound();
  const where = { storeId: store.id } satisfies Prisma.PublishedApplicationWhereInput;
  const [rows, totalDocs] = await Promise.all([
    db.publishedApplication.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      ...skipTake(page),
      select: publishedApplicationSelect,
    }),
    db.publishedApplication.count({ where }),
  ]);
  return toPage(
    rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    totalDocs,
    page,
  );
}
