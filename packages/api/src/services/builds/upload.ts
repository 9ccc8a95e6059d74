import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Db, newObjectId } from '@otp-access/db';
import busboy from 'busboy';
import { AppError, ErrorCode } from '../../errors';
import { recordAudits } from '../audit';
import {
  type BuildDto,
  buildSelect,
  findPublishedApplication,
  type PublicationScope,
  toBuildDto,
} from './catalog';
import { readBuildMetadata } from './metadata';
import { type BuildStorage, buildStorageKey } from './storage';

/** The multipart request as the HTTP layer received it: nothing of it has been read yet. */
export interface UploadSource {
  contentType: string | null;
  contentLength: number | null;
  body: ReadableStream<Uint8Array> | null;
}

export interface UploadDeps {
  db: Db;
  storage: BuildStorage;
  maxBytes: number;
}

export const DEFAULT_BUILD_MAX_BYTES = 2 * 1024 ** 3;
/** Room for the multipart framing and the small text fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

const invalid = (field: string, message: string) =>
  new AppError(ErrorCode.VALIDATION, { message: 'Database Validation Error', data: { [field]: message } });

export function tooLarge(maxBytes: number) {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
    message: `The build is larger than the limit of ${formatBytes(maxBytes)}`,
    data: { file: `At most ${maxBytes} bytes`, maxBytes },
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${bytes} bytes`;
}

/** A file name that is safe in storage listings and Content-Disposition: no path, no controls. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(-200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'build.bin';
}

/** The type builds are served with: known package types, else a download of opaque bytes. */
function contentTypeOf(kind: string, fileName: string): string {
  const extension = path.extname(fileName).toLowerCase();
  if (kind === 'APK' || extension === '.apk') return 'application/vnd.android.package-archive';
  if (extension === '.zip') return 'application/zip';
  return 'application/octet-stream';
}

interface ReceivedFile {
  tempPath: string;
  fileName: string;
  size: number;
  sha256: string;
}

/**
 * Reads the multipart body once, front to back: the `file` part goes to a temporary file while
 * its SHA-256 and size are computed, so memory holds a few chunks whatever the file's size. The
 * size limit is enforced as the bytes arrive. On any failure the temporary file is removed.
 */
async function receiveMultipart(
  source: UploadSource,
  incomingDir: string,
  maxBytes: number,
): Promise<{ file: ReceivedFile | null; fields: Record<string, string> }> {
  await mkdir(incomingDir, { recursive: true });
  const tempPath = path.join(incomingDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  let truncated = false;
  let fileWork: Promise<void> | undefined;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': source.contentType ?? '' },
      limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 1000, parts: 25 },
    });
  } catch {
    throw invalid('file', 'Send the build as multipart/form-data with a "file" field');
  }
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || fileWork) {
      stream.resume();
      return;
    }
    const hash = createHash('sha256');
    let size = 0;
    stream.on('limit', () => {
      truncated = true;
    });
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    fileWork = pipeline(stream, measure, createWriteStream(tempPath, { flags: 'wx' })).then(() => {
      file = { tempPath, fileName: cleanFileName(info.filename), size, sha256: hash.digest('hex') };
    });
    // Reported through `fileWork`; without a listener a failure here would be unhandled first.
    fileWork.catch(() => {});
  });
  try {
    const body = source.body ? Readable.fromWeb(source.body as never) : Readable.from([]);
    await pipeline(body, parser);
    await fileWork;
  } catch (error) {
    await rm(tempPath, { force: true });
    // The request ended early (the client went away) or its framing is broken.
    throw new AppError(ErrorCode.VALIDATION, {
      data: { file: 'The upload was cut off or is not valid multipart/form-data' },
      cause: error,
    });
  }
  if (truncated) {
    await rm(tempPath, { force: true });
    throw tooLarge(maxBytes);
  }
  return { file, fields };
}

/**
 * Receives one build of a published application and records it. The row is written only after
 * the whole file is in storage, so an interrupted upload leaves neither a row nor a file; a
 * failure after storing removes the stored object again.
 */
export async function uploadBuild(
  deps: UploadDeps,
  scope: PublicationScope & { publishedApplicationId: string; actor: string },
  source: UploadSource,
  now: Date,
): Promise<BuildDto> {
  const app = await findPublishedApplication(deps.db, scope, scope.publishedApplicationId);
  if (!source.contentType?.toLowerCase().startsWith('multipart/form-data'))
    throw invalid('file', 'Send the build as multipart/form-data with a "file" field');
  if (source.contentLength !== null && source.contentLength > deps.maxBytes + MULTIPART_OVERHEAD)
    throw tooLarge(deps.maxBytes);

  const { file, fields } = await receiveMultipart(source, deps.storage.incomingDir, deps.maxBytes);
  if (!file) throw invalid('file', 'Attach the build in a form field named "file"');
  const received: ReceivedFile = file;
  let stored: string | undefined;
  try {
    if (received.size === 0) throw invalid('file', 'The file is empty');
    const publish = fields.publish;
    if (publish !== undefined && publish !== 'true' && publish !== 'false')
      throw invalid('publish', 'Must be "true" or "false"');

    const metadata = await readBuildMetadata(received.tempPath);
    const id = newObjectId(now);
    const key = buildStorageKey(scope.organizationId, id);
    const contentType = contentTypeOf(metadata.kind, received.fileName);
    await deps.storage.putFile(key, received.tempPath, contentType);
    stored = key;

    const build = await deps.db.$transaction(async (tx) => {
      const row = await tx.build.create({
        data: {
          id,
          organizationId: scope.organizationId,
          publishedApplicationId: app.id,
          fileName: received.fileName,
          contentType,
          size: BigInt(received.size),
          sha256: received.sha256,
          storageKey: key,
          kind: metadata.kind,
          bundleId: metadata.bundleId,
          version: metadata.version,
          buildNumber: metadata.buildNumber,
          icon: metadata.icon ? new Uint8Array(metadata.icon) : null,
          metadataNote: metadata.note,
          createdBy: scope.actor,
          createdAt: now,
        },
        select: buildSelect,
      });
      const audits = [
        {
          organizationId: scope.organizationId,
          actor: scope.actor,
          action: 'build.upload',
          targetType: 'build',
          targetId: id,
          changes: {
            publishedApplicationId: app.id,
            fileName: received.fileName,
            size: received.size,
            sha256: received.sha256,
            kind: metadata.kind,
            version: metadata.version,
          },
        },
      ];
      if (publish === 'true') {
        await tx.publishedApplication.update({
          where: { id: app.id },
          data: { publishedBuildId: id, ...(metadata.version ? { version: metadata.version } : {}) },
          select: { id: true },
        });
        audits.push({
          organizationId: scope.organizationId,
          actor: scope.actor,
          action: 'build.publish',
          targetType: 'publishedApplication',
          targetId: app.id,
          changes: { publishedBuildId: { before: app.publishedBuildId, after: id } } as never,
        });
      }
      await recordAudits(tx, audits);
      return { ...row, publishedIn: publish === 'true' ? { id: app.id } : null };
    });
    return toBuildDto(build);
  } catch (error) {
    if (stored) await deps.storage.delete(stored).catch(() => {});
    throw error;
  } finally {
    await rm(received.tempPath, { force: true });
  }
}
