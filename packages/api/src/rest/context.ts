import type { Db } from '@otp-access/db';
import { describeError, type ErrorDescription } from '../errors';
import { type Logger, requestIdOf, requestLogger } from '../logger';
import type { ApiKeyCache } from '../services/api-key-cache';
import type { BuildStorage } from '../services/builds/storage';
import type { UploadSource } from '../services/builds/upload';
import type { DeliveryConfig } from '../services/delivery';
import type { Limits } from '../services/limits';
import type { Keyring } from '../services/secret-box';
import type { SessionConfig } from '../services/session';
import type { RemoveStoredBuilds } from '../services/stored-builds';
import { createTRPCContext } from '../trpc';

/** What every HTTP surface is built from: the process's services and settings. */
export interface ApiDependencies {
  db: Db;
  session: SessionConfig;
  keyring?: Keyring | undefined;
  delivery?: DeliveryConfig | undefined;
  limits?: Limits | undefined;
  now?: (() => Date) | undefined;
  logger?: Logger | undefined;
  apiKeyCache?: ApiKeyCache | undefined;
  /** Where builds live; uploads and downloads of stored builds need it. */
  storage?: BuildStorage | undefined;
  buildMaxBytes?: number | undefined;
  /** Opens the one-time setup page (first run); unset = the page is closed. */
  setupToken?: string | undefined;
  /** Removes the build files of deleted published applications (stores, organizations). */
  removeStoredBuilds?: RemoveStoredBuilds | undefined;
  /**
   * Called with failures that are not part of the error model (they answer a bare 500); unset,
   * they are logged with `logger`.
   */
  onUnexpectedError?: ((error: unknown, request: Request) => void) | undefined;
}

/**
 * The one place a failure of any surface (tRPC or REST) is reported: to `onUnexpectedError` when
 * the caller gave one, else to the logger with the request it broke.
 */
export function reportUnexpectedError(deps: ApiDependencies, error: unknown, request: Request): void {
  if (deps.onUnexpectedError) {
    deps.onUnexpectedError(error, request);
    return;
  }
  deps.logger?.error(
    {
      reqId: requestIdOf(request),
      method: request.method,
      path: new URL(request.url).pathname,
      err: error,
    },
    'unexpected error',
  );
}

/** Any thrown value → the error model; a failure outside the model is reported on the way. */
export function describeFailure(deps: ApiDependencies, error: unknown, request: Request): ErrorDescription {
  const described = describeError(error);
  if (described.unexpected !== undefined) reportUnexpectedError(deps, described.unexpected, request);
  return described;
}

/** The tRPC context of one HTTP request, the same for every surface. */
export function contextForRequest(
  deps: ApiDependencies,
  request: Request,
  extra: { resHeaders?: Headers; requestedSpace?: string | null; upload?: UploadSource } = {},
) {
  return createTRPCContext({
    db: deps.db,
    session: deps.session,
    keyring: deps.keyring,
    delivery: deps.delivery,
    limits: deps.limits,
    now: deps.now,
    apiKeyCache: deps.apiKeyCache,
    storage: deps.storage,
    buildMaxBytes: deps.buildMaxBytes,
    setupToken: deps.setupToken,
    removeStoredBuilds: deps.removeStoredBuilds,
    logger: deps.logger && requestLogger(deps.logger, { reqId: requestIdOf(request) }),
    headers: request.headers,
    url: request.url,
    ...extra,
  });
}
