import { type Db, newObjectId, type Prisma } from '@otp-access/db';
import { notFound } from '../errors';
import { recordAudit } from './audit';
import type { Actor } from './otp-user';
import { type Page, type PageRequest, readPage } from './pagination';
import type { RemoveStoredBuilds } from './stored-builds';

const storeSelect = {
  id: true,
  organizationId: true,
  name: true,
  description: true,
} satisfies Prisma.StoreSelect;

export async function listStores(db: Db, organizationId: string, page: PageRequest) {
  const where = { organizationId } satisfies Prisma.StoreWhereInput;
  const orderBy: Prisma.StoreOrderByWithRelationInput[] = [{ name: 'asc' }, { id: 'asc' }];
  return readPage(
    page,
    (range) => db.store.findMany({ where, orderBy, ...range, select: storeSelect }),
    () => db.store.count({ where }),
  );
}

export async function createStore(
  db: Db,
  scope: Actor,
  data: { name: string; description?: string | undefined },
  now: Date,
) {
  // Same shape as every audited write on purpose: the row and its audit entry in one transaction (audit.ts).
  return db.$transaction(async (tx) => {
    const store = await tx.store.create({
      data: {
        id: newObjectId(now),
        organizationId: scope.organizationId,
        name: data.name,
        description: data.description ?? '',
        createdAt: now,
      },
      select: storeSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'store.create',
      targetType: 'Store',
      targetId: store.id,
      changes: { name: store.name, description: store.description },
    });
    return store;
  });
}

export async function updateStore(
  db: Db,
  scope: Actor,
  storeId: string,
  data: { name?: string | undefined; description?: string | undefined },
) {
  return db.$transaction(async (tx) => {
    const before = await tx.store.findFirst({
      where: { id: storeId, organizationId: scope.organizationId },
      select: storeSelect,
    });
    if (!before) throw notFound();
    const changes: Record<string, { from: string; to: string }> = {};
    if (data.name !== undefined && data.name !== before.name)
      changes.name = { from: before.name, to: data.name };
    if (data.description !== undefined && data.description !== before.description)
      changes.description = { from: before.description, to: data.description };
    if (Object.keys(changes).length === 0) return before;
    const store = await tx.store.update({
      where: { id: storeId },
      data: { name: data.name, description: data.description },
      select: storeSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'store.update',
      targetType: 'Store',
      targetId: storeId,
      changes,
    });
    return store;
  });
}

/**
 * Deletes a store with everything it holds (published applications, OTP users, their downloads)
 * in one transaction; the build files of its published applications go afterwards.
 */
export async function deleteStore(
  db: Db,
  scope: Actor,
  storeId: string,
  removeStoredBuilds: RemoveStoredBuilds,
) {
  const storageKeys = await db.$transaction(async (tx) => {
    const store = await tx.store.findFirst({
      where: { id: storeId, organizationId: scope.organizationId },
      select: { name: true, otpUserCount: true },
    });
    if (!store) throw notFound();
    const published = await tx.publishedApplication.findMany({ where: { storeId }, select: { id: true } });
    // Read before the cascade removes the rows: the files are removed once the transaction holds.
    const stored = await tx.build.findMany({
      where: {
        organizationId: scope.organizationId,
        publishedApplication: { storeId },
        storageKey: { not: null },
      },
      select: { storageKey: true },
    });
    await tx.store.delete({ where: { id: storeId }, select: { id: true } });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'store.delete',
      targetType: 'Store',
      targetId: storeId,
      changes: {
        name: store.name,
        otpUsers: store.otpUserCount,
        publishedApplications: published.length,
      },
    });
    return stored.flatMap((row) => (row.storageKey ? [row.storageKey] : []));
  });
  await removeStoredBuilds({ organizationId: scope.organizationId, storageKeys });
  return { delete: true as const };
}

export const publishedApplicationSelect = {
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

export const toPublishedApplicationDto = (
  row: Prisma.PublishedApplicationGetPayload<{ select: typeof publishedApplicationSelect }>,
): PublishedApplicationDto => ({ ...row, createdAt: row.createdAt.toISOString() });

/** The store's id, if it is this organization's; else 404. */
export async function findStoreId(db: Db, scope: { organizationId: string; storeId: string }) {
  const store = await db.store.findFirst({
    where: { id: scope.storeId, organizationId: scope.organizationId },
    select: { id: true },
  });
  if (!store) throw notFound();
  return store.id;
}

export async function listPublishedApplications(
  db: Db,
  scope: { organizationId: string; storeId: string },
  page: PageRequest,
): Promise<Page<PublishedApplicationDto>> {
  const where = { storeId: await findStoreId(db, scope) } satisfies Prisma.PublishedApplicationWhereInput;
  const orderBy: Prisma.PublishedApplicationOrderByWithRelationInput[] = [{ name: 'asc' }, { id: 'asc' }];
  return readPage(
    page,
    (range) =>
      db.publishedApplication.findMany({ where, orderBy, ...range, select: publishedApplicationSelect }),
    () => db.publishedApplication.count({ where }),
    toPublishedApplicationDto,
  );
}
