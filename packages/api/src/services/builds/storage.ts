import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where build files live. Keys are `<organizationId>/builds/<buildId>`, so one prefix holds all of
 * an organization's builds. Files come in through a local file (uploads are received on local disk
 * first: reading an APK's or IPA's metadata needs random access) and go out as streams.
 */
export interface BuildStorage {
  readonly kind: 'local' | 's3';
  /** A local directory for uploads being received (never served). */
  readonly incomingDir: string;
  /** Stores the complete local file `filePath` under `key`; the local file is gone afterwards. */
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Removes every object under `prefix/`. */
  deletePrefix(prefix: string): Promise<void>;
}

export const buildStorageKey = (organizationId: string, buildId: string) =>
  `${organizationId}/builds/${buildId}`;

/** The object is not there (a local file or an S3 key): a clear 404 rather than a failure. */
export function isMissingObject(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return code === 'ENOENT' || name === 'NoSuchKey' || name === 'NotFound';
}

const SAFE_KEY = /^[a-f0-9]{24}(\/[A-Za-z0-9_-]+)*$/;

function checkKey(key: string): string {
  // Keys are made by us from ids; anything else is a bug, never a path to follow.
  if (!SAFE_KEY.test(key)) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  return key;
}

export function createLocalBuildStorage(root: string): BuildStorage {
  const fullPath = (key: string) => path.join(root, ...checkKey(key).split('/'));
  return {
    kind: 'local',
    incomingDir: path.join(root, '.incoming'),
    async putFile(key, filePath) {
      const target = fullPath(key);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await rename(filePath, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await copyFile(filePath, target);
        await unlink(filePath);
      }
    },
    async read(key, range) {
      const file = fullPath(key);
      await stat(file); // a missing file is an error here, not a stream that fails later
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async delete(key) {
      await rm(fullPath(key), { force: true });
    },
    async deletePrefix(prefix) {
      await rm(fullPath(prefix), { recursive: true, force: true });
    },
  };
}

export interface S3StorageOptions {
  bucket: string;
  endpoint?: string | undefined;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Local directory for uploads being received. */
  incomingDir: string;
}

/** Parts of a multipart upload: 8 MiB each, two in flight, so an upload holds ~16 MiB at most. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export function createS3BuildStorage(options: S3StorageOptions): BuildStorage {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
  });
  const Bucket = options.bucket;
  return {
    kind: 's3',
    incomingDir: options.incomingDir,
    async putFile(key, filePath, contentType) {
      const upload = new Upload({
        client,
        params: { Bucket, Key: checkKey(key), Body: createReadStream(filePath), ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
      await rm(filePath, { force: true });
    },
    async read(key, range) {
      const result = await client.send(
        new GetObjectCommand({
          Bucket,
          Key: checkKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return result.Body as Readable;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checkKey(key) }));
    },
    async deletePrefix(prefix) {
      const Prefix = `${checkKey(prefix)}/`;
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
        const keys = (page.Contents ?? []).flatMap((item) => (item.Key ? [{ Key: item.Key }] : []));
        if (keys.length > 0)
          await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}

/**
 * Removes uploads that were being received when a process died (a crash or a kill leaves its
 * temporary file behind; an ordinary failure removes its own). Only files older than `olderThanMs`
 * go, so uploads in flight on another process sharing the directory are left alone.
 */
export async function removeStaleUploads(
  storage: Pick<BuildStorage, 'incomingDir'>,
  now: Date,
  olderThanMs = 24 * 60 * 60 * 1000,
): Promise<number> {
  const names = await readdir(storage.incomingDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const file = path.join(storage.incomingDir, name);
    const info = await stat(file).catch(() => null);
    if (info?.isFile() && now.getTime() - info.mtimeMs > olderThanMs) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
