import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { createS3BuildStorage } from '../services/builds/storage';
import { tempDir } from './builds';

/** A local S3-compatible server (s3rver) with one bucket, and build storage pointed at it. */
export async function startS3(bucket = 'builds') {
  const directory = await tempDir('s3rver');
  const incoming = await tempDir('s3-incoming');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const storage = createS3BuildStorage({
    bucket,
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    incomingDir: incoming,
  });
  return {
    endpoint,
    storage,
    /** Directory of the incoming uploads, to prove none are left behind. */
    incoming,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
      await rm(incoming, { recursive: true, force: true });
    },
  };
}
