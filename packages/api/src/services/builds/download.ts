import { Readable } from 'node:stream';
import { type Db, newObjectId } from '@otp-access/db';
import { combineRanges, parse as parseRange } from 'range-parser';
import { AppError, ErrorCode, notFound } from '../../errors';
import { requireActiveStoreSession, type StoreSession } from '../store-access';
import { type BuildStorage, type ByteRange, isMissingObject } from './storage';

/**
 * A ranged request that does not start at byte 0 continues a download: it is free when the same
 * OTP user downloaded the same build within this window, and counted like a new one otherwise.
 */
export const RESUME_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StoreDownload {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Null: the whole file (200). */
  range: ByteRange | null;
  body: Readable;
  counted: boolean;
}

export type StoreDownloadResult =
  | ({ kind: 'file' } & StoreDownload)
  | { kind: 'unsatisfiable'; size: number };

/**
 * The published build of `publishedApplicationId` for the signed-in OTP user, whole or the one
 * range asked for (several ranges are answered with the whole file, as HTTP allows). A download
 * starting at byte 0 spends one of the allowance, through one conditional UPDATE … RETURNING so
 * parallel downloads never exceed it.
 */
export async function openStoreDownload(
  deps: { db: Db; storage: () => BuildStorage },
  session: StoreSession,
  publishedApplicationId: string,
  rangeHeader: string | null,
  now: Date,
): Promise<StoreDownloadResult> {
  await requireActiveStoreSession(deps.db, session);
  const row = await deps.db.otpUser.findFirst({
    where: { storeId: session.storeId, email: session.email, publishedApplicationId },
    select: {
      id: true,
      publishedApplication: {
        select: {
          publishedBuild: {
            select: {
              id: true,
              fileName: true,
              contentType: true,
              size: true,
              sha256: true,
              storageKey: true,
              content: true,
            },
          },
        },
      },
    },
  });
  if (!row) throw notFound();
  const build = row.publishedApplication.publishedBuild;
  if (!build)
    throw new AppError(ErrorCode.ENTITY_NOT_FOUND, { message: 'This app has no build to download yet' });
  const size = Number(build.size);

  let range: ByteRange | null = null;
  if (rangeHeader && size > 0) {
    const parsed = parseRange(size, rangeHeader);
    // A malformed header, another unit or several ranges: the whole file, as HTTP allows.
    if (parsed.type === 'bytes' && (parsed.code & 1) === 0) {
      if (parsed.ranges.length === 0) return { kind: 'unsatisfiable', size };
      const ranges = combineRanges(parsed.ranges);
      const [only] = ranges;
      if (ranges.length === 1 && only && !(only.start === 0 && only.end === size - 1))
        range = { start: only.start, end: only.end };
    }
  }

  const resumes =
    range !== null &&
    range.start > 0 &&
    (await deps.db.downloadEvent.findFirst({
      where: {
        otpUserId: row.id,
        buildId: build.id,
        at: { gte: new Date(now.getTime() - RESUME_WINDOW_MS) },
      },
      select: { id: true },
    })) !== null;

  // Opened before counting, so a missing file never costs a download.
  const body = build.content
    ? Readable.from([Buffer.from(build.content).subarray(range?.start ?? 0, (range?.end ?? size - 1) + 1)])
    : build.storageKey
      ? await deps
          .storage()
          .read(build.storageKey, range ?? undefined)
          .catch((error: unknown) => {
            if (isMissingObject(error))
              throw new AppError(ErrorCode.ENTITY_NOT_FOUND, {
                message: 'The file of this build is missing from storage',
              });
            throw error;
          })
      : null;
  if (!body) throw notFound();

  if (!resumes) {
    try {
      await countDownload(deps.db, row.id, build.id, session, publishedApplicationId, now);
    } catch (error) {
      body.destroy();
      throw error;
    }
  }
  return {
    kind: 'file',
    fileName: build.fileName,
    contentType: build.contentType,
    size,
    sha256: build.sha256,
    range,
    body,
    counted: !resumes,
  };
}

/**
 * One download against the allowance, and its event, in one transaction. `lastDownloadDate`
 * never moves backwards: with parallel downloads the one that commits last may have started
 * first, so the column keeps the later of the two times.
 */
async function countDownload(
  db: Db,
  otpUserId: string,
  buildId: string,
  session: StoreSession,
  publishedApplicationId: string,
  now: Date,
) {
  await db.$transaction(async (tx) => {
    const taken = await tx.$queryRaw<{ id: string; organization_id: string }[]>`
      UPDATE otp_user
         SET downloads_count = downloads_count + 1,
             last_download_date = GREATEST(COALESCE(last_download_date, ${now}), ${now})
       WHERE id = ${otpUserId}
         AND store_id = ${session.storeId}
         AND email = ${session.email}
         AND published_application_id = ${publishedApplicationId}
         AND (allowed_downloads_num < 0 OR downloads_count < allowed_downloads_num)
       RETURNING id, organization_id`;
    if (!taken[0]) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        message: 'No downloads left for this app: ask the store owner for more',
      });
    }
    await tx.downloadEvent.create({
      data: {
        id: newObjectId(now),
        otpUserId,
        buildId,
        organizationId: taken[0].organization_id,
        publishedApplicationId,
        at: now,
      },
      select: { id: true },
    });
  });
}
