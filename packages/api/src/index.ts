export { setClientIp } from './client-ip';
export { type CapturedMail, type MailSink, startMailSink } from './delivery/mail-sink';
export {
  type ApiEnv,
  apiConfig,
  apiConfigFromEnv,
  buildStorageFromEnv,
  deliveryConfigFromEnv,
  keyringFromEnv,
  limitsFromEnv,
  readApiEnv,
  sessionConfigFromEnv,
} from './env';
export { AppError, describeError, ErrorCode } from './errors';
export { closeGracefully } from './graceful-shutdown';
export { createHttpHandlers, type HttpHandlerOptions, isApiPath } from './http';
export { localSecretsKeyring, localSessionSecret } from './local-secrets';
export { createLogger, type Logger } from './logger';
export { createNodeListener } from './node-listener';
export { SESSION_PATHS } from './rest/session';
export { type AppRouter, appRouter, createCaller } from './root';
export { type RunningApi, type StartApiEnv, startApi } from './server/start';
export { API_KEY_CHANNEL, type ApiKeyCache, createApiKeyCache } from './services/api-key-cache';
export { buildFilesOfStore, deleteOrganizationBuilds, removeBuildFiles } from './services/builds/catalog';
export {
  type BuildStorage,
  createLocalBuildStorage,
  createS3BuildStorage,
  removeStaleUploads,
} from './services/builds/storage';
export { generateSetupToken, hasAnyOrganization } from './services/first-run';
export { isDatabaseReachable } from './services/health';
export { createLimits, type Limits } from './services/limits';
export { useLocalMailSink } from './services/local-mail';
export { hashCode as hashOtpCode } from './services/otp-codes';
export {
  allowEndpoints,
  createOutboundPolicy,
  DEFAULT_OUTBOUND_POLICY,
  type OutboundPolicy,
} from './services/outbound-policy';
export { type Keyring, parseKeyringSpec } from './services/secret-box';
export { DEFAULT_SESSION_SETTINGS, deriveKey, type SessionConfig } from './services/session';
export { storeSubjectId } from './services/store-access';
export { CLIENT_IP_HEADER, type CreateContextOptions, createTRPCContext, type TRPCContext } from './trpc';
export { TRPC_ENDPOINT } from './trpc-endpoint';
