/**
 * A server process for the upload memory test: the API's handlers on node:http through the same
 * bridge the app's server uses, build storage in the directory given as argv[2]. Prints its port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createDb } from '@otp-access/db';
import { createLocalBuildStorage } from '../services/builds/storage';
import { testHandlers } from './fixtures';

const connectionString = process.env.DATABASE_URL;
const storageDir = process.argv[2];
if (!connectionString || !storageDir) throw new Error('usage: DATABASE_URL=… upload-server.ts <storage dir>');
const db = createDb({ connectionString, max: 2 });
const handlers = testHandlers({
  db,
  storage: createLocalBuildStorage(storageDir),
  buildMaxBytes: 2 * 1024 ** 3,
});
const listener = getRequestListener(
  (request) => handlers.route(request) ?? new Response(null, { status: 404 }),
);
const server = createServer((req, res) => void listener(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`port=${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  void db.$disconnect().finally(() => process.exit(0));
});
