import { type Db, newObjectId, type Prisma } from '@otp-access/db';
import { AppError, ErrorCode, notFound } from '../../errors';
import { recordAudit, recordAudits } from '../audit';
import { findStoreId, publishedApplicationSelect, toPublishedApplicationDto } from '../catalog';
import { type PageRequest, readPage } from '../pagination';
import type { BuildStorage } from './storage';

/** An organization's store, as a path names it; every query below is bound to both. */
export interface PublicationScope {
  organizationId: string;
  storeId: string;
}

/** The published application, if it is in this organization's store; else 404. */
export async function findPublishedApplication(
  db: Db,
  scope: PublicationScope,
  publishedApplicationId: string,
) {
  const app = await db.publishedApplication.findFirst({
    where: {
      id: publishedApplicationId,
      storeId: scope.storeId,
      store: { organizationId: scope.organizationId },
    },
    select: { id: true, publishedBuildId: true, version: true },
  });
  if (!app) throw notFound();
  return app;
}

/** The published application and one of its builds, both in this organization's store; else 404. */
async function findBuildOfApplication<Select extends Prisma.BuildSelect>(
  db: Db,
  scope: PublicationScope,
  publishedApplicationId: string,
  buildId: string,
  select: Select,
) {
  const app = await findPublishedApplication(db, scope, publishedApplicationId);
  const build = await db.build.findFirst({
    where: { id: buildId, publishedApplicationId: app.id, organizationId: scope.organizationId },
    select,
  });
  if (!build) throw notFound();
  return { app, build };
}

export const buildSelect = {
  id: true,
  publishedApplicationId: true,
  fileName: true,
  contentType: true,
  size: true,
  sha256: true,
  kind: true,
  bundleId: true,
  version: true,
  buildNumber: true,
  icon: true,
  metadataNote: true,
  createdBy: true,
  createdAt: true,
  publishedIn: { select: { id: true } },
} satisfies Prisma.BuildSelect;

type BuildRow = Prisma.BuildGetPayload<{ select: typeof buildSelect }>;

export interface BuildDto {
  id: string;
  publishedApplicationId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  kind: 'APK' | 'IPA' | 'FILE';
  bundleId: string | null;
  version: string | null;
  buildNumber: string | null;
  icon: string | null;
  metadataNote: string | null;
  published: boolean;
  createdBy: string;
  createdAt: string;
}

export function toBuildDto(row: BuildRow): BuildDto {
  return {
    id: row.id,
    publishedApplicationId: row.publishedApplicationId,
    fileName: row.fileName,
    contentType: row.contentType,
    size: Number(row.size),
    sha256: row.sha256,
    kind: row.kind as BuildDto['kind'],
    bundleId: row.bundleId,
    version: row.version,
    buildNumber: row.buildNumber,
    icon: row.icon ? `data:image/png;base64,${Buffer.from(row.icon).toString('base64')}` : null,
    metadataNote: row.metadataNote,
    published: row.publishedIn !== null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listBuilds(
  db: Db,
  scope: PublicationScope,
  publishedApplicationId: string,
  page: PageRequest,
) {
  const app = await findPublishedApplication(db, scope, publishedApplicationId);
  const where = { publishedApplicationId: app.id } satisfies Prisma.BuildWhereInput;
  const orderBy: Prisma.BuildOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];
  return readPage(
    page,
    (range) => db.build.findMany({ where, orderBy, ...range, select: buildSelect }),
    () => db.build.count({ where }),
    toBuildDto,
  );
}

/** A new application in the store (and its organization-wide Application record). */
export async function createPublishedApplication(
  db: Db,
  scope: PublicationScope & { actor: string },
  input: { name: string; version?: string | undefined },
  now: Date,
) {
  const storeId = await findStoreId(db, scope);
  const applicationId = newObjectId(now);
  const id = newObjectId(now);
  return db.$transaction(async (tx) => {
    await tx.application.create({
      data: { id: applicationId, organizationId: scope.organizationId, name: input.name, createdAt: now },
      select: { id: true },
    });
    const row = await tx.publishedApplication.create({
      data: {
        id,
        storeId,
        applicationId,
        name: input.name,
        version: input.version ?? '',
        createdAt: now,
      },
      select: publishedApplicationSelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'publishedApplication.create',
      targetType: 'publishedApplication',
      targetId: id,
      changes: { storeId, name: input.name, version: input.version ?? '' },
    });
    return toPublishedApplicationDto(row);
  });
}

/** Makes `buildId` the build OTP users download; its version becomes the application's. */
export async function publishBuild(
  db: Db,
  scope: PublicationScope & { actor: string },
  publishedApplicationId: string,
  buildId: string,
) {
  const select = { id: true, version: true } satisfies Prisma.BuildSelect;
  const { app, build } = await findBuildOfApplication(db, scope, publishedApplicationId, buildId, select);
  return db.$transaction(async (tx) => {
    const row = await tx.publishedApplication.update({
      where: { id: app.id },
      data: { publishedBuildId: build.id, ...(build.version ? { version: build.version } : {}) },
      select: publishedApplicationSelect,
    });
    await recordAudits(tx, [
      {
        organizationId: scope.organizationId,
        actor: scope.actor,
        action: 'build.publish',
        targetType: 'publishedApplication',
        targetId: app.id,
        changes: {
          publishedBuildId: { before: app.publishedBuildId, after: build.id },
          ...(build.version && build.version !== app.version
            ? { version: { before: app.version, after: build.version } }
            : {}),
        },
      },
    ]);
    return toPublishedApplicationDto(row);
  });
}

/** Removes a build that is not the published one: its row, then its file. */
export async function deleteBuild(
  db: Db,
  storage: () => BuildStorage,
  scope: PublicationScope & { actor: string },
  publishedApplicationId: string,
  buildId: string,
) {
  const select = { id: true, storageKey: true, fileName: true, sha256: true } satisfies Prisma.BuildSelect;
  const { app, build } = await findBuildOfApplication(db, scope, publishedApplicationId, buildId, select);
  if (app.publishedBuildId === build.id) {
    throw new AppError(ErrorCode.CONFLICT, {
      message: 'This build is the published one: publish another build before deleting it',
    });
  }
  // Resolved first: without storage the call fails before anything is deleted.
  const files = build.storageKey ? storage() : null;
  await db.$transaction(async (tx) => {
    await tx.build.delete({ where: { id: build.id }, select: { id: true } });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'build.delete',
      targetType: 'build',
      targetId: build.id,
      changes: { publishedApplicationId: app.id, fileName: build.fileName, sha256: build.sha256 },
    });
  });
  if (files && build.storageKey) await files.delete(build.storageKey);
  return { delete: true as const };
}

/**
 * Removes every stored build file of an organization (its rows go with the organization's rows
 * by cascade). Call it when an organization is deleted, after its rows are gone.
 */
export async function deleteOrganizationBuilds(storage: BuildStorage, organizationId: string): Promise<void> {
  await storage.deletePrefix(organizationId);
}

/**
 * The stored files of a store's builds. Deleting a store removes its build rows by cascade but
 * not their files: read these first, delete the store, then `removeBuildFiles`.
 */
export async function buildFilesOfStore(db: Db, scope: PublicationScope): Promise<string[]> {
  const rows = await db.build.findMany({
    where: {
      organizationId: scope.organizationId,
      publishedApplication: { storeId: scope.storeId },
      storageKey: { not: null },
    },
    select: { storageKey: true },
  });
  return rows.flatMap((row) => (row.storageKey ? [row.storageKey] : []));
}

export async function removeBuildFiles(storage: BuildStorage, keys: readonly string[]): Promise<void> {
  for (const key of keys) await storage.delete(key);
}
