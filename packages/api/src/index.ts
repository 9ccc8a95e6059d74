export { sessionConfigFromEnv } from './env';
export { AppError, describeError, ErrorCode } from './errors';
export { createHttpHandlers, type HttpHandlerOptions, TRPC_ENDPOINT } from './http';
export { SESSION_PATHS } from './rest/session';
export { type AppRouter, appRouter, createCaller } from './root';
export { isDatabaseReachable } from './services/health';
export { DEFAULT_SESSION_SETTINGS, type SessionConfig } from './services/session';
export { type CreateContextOptions, createTRPCContext, type TRPCContext } from './trpc';
