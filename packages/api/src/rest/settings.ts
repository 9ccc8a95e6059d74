import { appRouter } from '../root';
import type { ApiDependencies } from './context';
import { emptyAsUndefined, type Route, route } from './route-table';
import { springError } from './spring';
import { createRestSurface } from './surface';
import { json } from './wire';

/**
 * The OTP settings controller (`/api/otp/settings…`): cookie session + `X-Space`, or an API key.
 * Each route maps to an `otpSettings.*` procedure; errors use the Spring-style body.
 */
export const settingsRoutes: readonly Route[] = [
  route({ method: 'GET', path: '/api/otp/settings', procedure: appRouter.otpSettings.list }),
  route({
    method: 'PUT',
    path: '/api/otp/settings/sms/twilio',
    body: 'json',
    procedure: appRouter.otpSettings.upsertTwilio,
    input: 'body',
  }),
  route({
    method: 'PUT',
    path: '/api/otp/settings/sms/netgsm',
    body: 'json',
    procedure: appRouter.otpSettings.upsertNetgsm,
    input: 'body',
  }),
  route({
    method: 'PUT',
    path: '/api/otp/settings/sms/dataport',
    body: 'json',
    procedure: appRouter.otpSettings.upsertDataport,
    input: 'body',
  }),
  route({
    method: 'PUT',
    path: '/api/otp/settings/mail/default',
    body: 'json',
    procedure: appRouter.otpSettings.upsertSmtp,
    input: 'body',
  }),
  route({
    method: 'POST',
    path: '/api/otp/settings/test',
    body: 'json',
    procedure: appRouter.otpSettings.test,
    input: ({ body }) => emptyAsUndefined(body),
  }),
];

export const SETTINGS_PATH_PREFIX = '/api/otp';

export type SettingsHandlerOptions = ApiDependencies;

export function createSettingsHandler(options: SettingsHandlerOptions) {
  return createRestSurface(options, {
    routes: settingsRoutes,
    pathOf: (pathname) => pathname.replace(/\/+$/, ''),
    answer: (data) => json(200, data),
    refuse: (described, { pathname, now }) => springError(described, pathname, now),
  });
}
