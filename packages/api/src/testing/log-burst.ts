/**
 * Logs a burst of lines through the server's log destination, then exits at once: a check that
 * asynchronous writes lose nothing when the process ends.
 */
import { createLogger, serverLogDestination } from '../logger';

const count = Number(process.argv[2] ?? 1000);
const logger = createLogger({ destination: serverLogDestination() });
for (let i = 0; i < count; i++) logger.info({ line: i }, 'burst');
process.exit(0);
