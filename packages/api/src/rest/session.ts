import { appRouter } from '../root';
import type { ApiDependencies } from './context';
import { emptyAsUndefined, type Route, route } from './route-table';
import { springError } from './spring';
import { createRestSurface } from './surface';
import { json } from './wire';

/**
 * `/login`, `/validate`, `/refresh` and `/logout` of the settings API: the admin cookie session.
 * Each maps to an `auth.*` procedure; cookies the procedure sets travel back in the response
 * headers.
 */
// One whole route per operation on purpose, as in every route table (applivery.ts, settings.ts).
export const sessionRoutes: readonly Route[] = [
  route({
    method: 'POST',
    path: '/login',
    body: 'json-or-form',
    procedure: appRouter.auth.login,
    input: 'body',
  }),
  route({
    method: 'POST',
    path: '/validate',
    body: 'json-or-form',
    procedure: appRouter.auth.validate,
    input: 'body',
  }),
  route({
    method: 'POST',
    path: '/refresh',
    body: 'json-or-form',
    procedure: appRouter.auth.refresh,
    // No body: the refresh token comes from its cookie.
    input: ({ body }) => emptyAsUndefined(body),
  }),
  route({ method: 'POST', path: '/logout', procedure: appRouter.auth.logout }),
];

/** The paths of the session routes (the web server sends them to the API, not to pages). */
export const SESSION_PATHS: readonly string[] = sessionRoutes.map((r) => r.path);

export type SessionHandlerOptions = ApiDependencies;

export function createSessionHandler(options: SessionHandlerOptions) {
  return createRestSurface(options, {
    routes: sessionRoutes,
    table: { literal: true },
    answer: (body, { resHeaders }) => json(200, body, resHeaders),
    refuse: (described, { pathname, now, resHeaders }) => springError(described, pathname, now, resHeaders),
  });
}
