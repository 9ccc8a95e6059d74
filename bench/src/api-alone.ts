/**
 * The API of the production server without Next in its process: what apps/web's server does for
 * an API path (its request handler, with `startApi`'s handlers on node:http), and nothing else:
 * no pages. The harness runs it in place of the production server (`cpu-per-request --alone`,
 * `pnpm bench --api-alone`) to measure what sharing a process with the pages costs the API.
 * servers.ts compiles it against the packages' compiled files, as the production server is.
 */
import { createServer } from 'node:http';
import { createNodeListener, readApiEnv, startApi } from '@otp-access/api';
import { readDbEnv } from '@otp-access/db';
import { createRequestHandler } from '../../apps/web/src/server/request-handler';

const env = { ...readDbEnv(process.env), ...readApiEnv(process.env) };
const port = Number(process.env.PORT);
const trustProxy = process.env.TRUST_PROXY === 'true';
const api = await startApi(env, { publicUrl: `http://localhost:${port}` });
const handleApi = createNodeListener(api.handlers.route);

const server = createServer(
  createRequestHandler({
    dev: false,
    trustProxy,
    handleApi,
    handlePage: (_req, res) => res.writeHead(404).end(),
  }),
);
server.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  void api.close().finally(() => process.exit(0));
});
