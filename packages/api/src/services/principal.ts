import type { Db } from '@otp-access/db';
import { AppError, ErrorCode } from '../errors';
import { type ApiKeyPrincipal, authenticateApiKey } from './api-key-auth';
import type { ApiKeyCache } from './api-key-cache';
import { authenticateSession, type SessionConfig, type UserPrincipal } from './session';

export type Principal = ApiKeyPrincipal | UserPrincipal;

/** What a caller presented: an `Authorization` value (scripts) and/or an admin access token (the web UI). */
export interface Credentials {
  authorization: string | null | undefined;
  accessToken: string | null | undefined;
}

/** The API key first (scripts), else the admin session (the web UI). */
export async function resolvePrincipal(
  db: Db,
  session: SessionConfig,
  credentials: Credentials,
  now: Date,
  apiKeyCache?: ApiKeyCache,
): Promise<Principal> {
  const { authorization, accessToken } = credentials;
  if (authorization?.trim()) return authenticateApiKey(db, authorization, now, apiKeyCache);
  if (accessToken) return authenticateSession(db, session, accessToken, now);
  throw new AppError(ErrorCode.NO_AUTH_TOKEN);
}
