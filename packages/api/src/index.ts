export { AppError, describeError, ErrorCode } from './errors';
export { createHttpHandlers, type HttpHandlerOptions, TRPC_ENDPOINT } from './http';
export { type AppRouter, appRouter, createCaller } from './root';
export { isDatabaseReachable } from './services/health';
export { type CreateContextOptions, createTRPCContext, type TRPCContext } from './trpc';
