import { AppError, describeError, ErrorCode } from '../errors';
import { createCaller } from '../root';
import { type ApiDependencies, contextForRequest } from './context';
import { json, readJsonBody } from './http';
import { createRouteTable, type HttpMethod } from './router';
import { springError } from './spring';

/**
 * The OTP settings controller (`/api/otp/settings…`): cookie session + `X-Space`, or an API key.
 * Each route maps to an `otpSettings.*` procedure; errors use the Spring-style body.
 */
type Caller = ReturnType<typeof createCaller>;

interface SettingsRoute {
  method: HttpMethod;
  path: string;
  hasBody?: boolean;
  call(caller: Caller, body: unknown): Promise<unknown>;
}

export const settingsRoutes: readonly SettingsRoute[] = [
  { method: 'GET', path: '/api/otp/settings', call: (caller) => caller.otpSettings.list() },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/twilio',
    hasBody: true,
    call: (c, body) => c.otpSettings.upsertTwilio(body as never),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/netgsm',
    hasBody: true,
    call: (c, body) => c.otpSettings.upsertNetgsm(body as never),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/sms/dataport',
    hasBody: true,
    call: (c, body) => c.otpSettings.upsertDataport(body as never),
  },
  {
    method: 'PUT',
    path: '/api/otp/settings/mail/default',
    hasBody: true,
    call: (c, body) => c.otpSettings.upsertSmtp(body as never),
  },
  {
    method: 'POST',
    path: '/api/otp/settings/test',
    hasBody: true,
    call: (c, body) =>
      c.otpSettings.test(
        body && typeof body === 'object' && Object.keys(body).length === 0 ? undefined : (body as never),
      ),
  },
];

export const SETTINGS_PATH_PREFIX = '/api/otp';
const routeTable = createRouteTable(settingsRoutes);

export type SettingsHandlerOptions = ApiDependencies;

export function createSettingsHandler(options: SettingsHandlerOptions) {
  return async function handleSettingsRequest(request: Request): Promise<Response> {
    const now = options.now ?? (() => new Date());
    const { pathname } = new URL(request.url);
    try {
      const match = routeTable.match(request.method, pathname.replace(/\/+$/, ''));
      if (!match) throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const body = match.route.hasBody ? await readJsonBody(request) : undefined;
      const caller = createCaller(contextForRequest(options, request));
      return json(200, await match.route.call(caller, body));
    } catch (error) {
      const described = describeError(error);
      if (described.unexpected !== undefined) options.onUnexpectedError?.(described.unexpected, request);
      return springError(described, pathname, now());
    }
  };
}
