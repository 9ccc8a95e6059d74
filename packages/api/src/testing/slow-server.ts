/**
 * A test fixture process: serves slow requests, and on SIGTERM shuts down with closeGracefully.
 * Prints its port once listening.
 */
import { createServer } from 'node:http';
import { closeGracefully } from '../graceful-shutdown';

const server = createServer((req, res) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`done ${req.url}`);
  }, 300);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => {
  void closeGracefully(server, { graceMs: 5_000 }).then(() => process.exit(0));
});
