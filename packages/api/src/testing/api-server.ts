/**
 * A test fixture process: the API's HTTP surfaces on a node:http server, over the database in
 * DATABASE_URL, with the test session secret (so a test can mint store sessions for it). Prints
 * its port once listening. Tests kill it however they need to.
 */
import { createServer } from 'node:http';
import { createNodeListener } from '../node-listener';
import { testHandlers } from './fixtures';

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');

const handlers = testHandlers();
const listener = createNodeListener(handlers.route);
const server = createServer(listener);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
