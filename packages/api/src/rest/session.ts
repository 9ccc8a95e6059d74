import { AppError, describeError, ErrorCode } from '../errors';
import { createCaller } from '../root';
import { type ApiDependencies, contextForRequest } from './context';
import { json, readJsonOrFormBody } from './http';
import { springError } from './spring';

/**
 * `/login`, `/refresh` and `/logout` of the settings API: the admin cookie session. Each maps to
 * an `auth.*` procedure; cookies the procedure sets travel back in the response headers.
 */
export const SESSION_PATHS = ['/login', '/validate', '/refresh', '/logout'] as const;

export type SessionHandlerOptions = ApiDependencies;

export function createSessionHandler(options: SessionHandlerOptions) {
  return async function handleSessionRequest(request: Request): Promise<Response> {
    const now = options.now ?? (() => new Date());
    const { pathname } = new URL(request.url);
    const resHeaders = new Headers();
    try {
      if (request.method !== 'POST') throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const caller = createCaller(contextForRequest(options, request, { resHeaders }));
      let body: unknown;
      switch (pathname) {
        case '/login':
          body = await caller.auth.login((await readJsonOrFormBody(request)) as never);
          break;
        case '/validate':
          body = await caller.auth.validate((await readJsonOrFormBody(request)) as never);
          break;
        case '/refresh': {
          const input = await readJsonOrFormBody(request);
          body = await caller.auth.refresh(
            input && typeof input === 'object' && Object.keys(input).length === 0
              ? undefined
              : (input as never),
          );
          break;
        }
        case '/logout':
          body = await caller.auth.logout();
          break;
        default:
          throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      }
      return json(200, body, resHeaders);
    } catch (error) {
      const described = describeError(error);
      if (described.unexpected !== undefined) options.onUnexpectedError?.(described.unexpected, request);
      return springError(described, pathname, now(), resHeaders);
    }
  };
}
