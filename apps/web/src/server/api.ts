import type { RunningApi } from '@otp-access/api';

/**
 * The API the server started (`startApi` in main.ts). Next bundles server components apart from
 * the custom server, so the instance lives on globalThis where both find it; server components
 * call its handlers in-process (`~/trpc/server`).
 */
const globalForApi = globalThis as unknown as { otpAccessApi?: RunningApi };

export function setApi(api: RunningApi): void {
  globalForApi.otpAccessApi = api;
}

export function getApi(): RunningApi {
  if (!globalForApi.otpAccessApi)
    throw new Error('The API is not running: start the app with `pnpm start` (src/server/main.ts).');
  return globalForApi.otpAccessApi;
}
