import { ErrorCode, type ErrorDescription } from '../errors';
import { createCaller } from '../root';
import type { ApiDependencies } from './context';
import { type Route, type RouteRequest, route } from './route-table';
import { createRestSurface } from './surface';
import { json, retryAfterHeaders } from './wire';

/**
 * The Applivery-compatible surface (`/v1/organizations/{organizationSlug}/...`). Each route only
 * maps HTTP to a tRPC procedure called through `createCaller`: validation, authorization and
 * tenancy live in the procedures, once, for both wire formats.
 */

type Caller = ReturnType<typeof createCaller>;

const OTP_USERS = '/v1/organizations/:organizationSlug/stores/:storeId/otp-users';
const PUBLISHED_APPLICATIONS = '/v1/organizations/:organizationSlug/stores/:storeId/published-applications';
const PUBLISHED_APPLICATION = `${PUBLISHED_APPLICATIONS}/:publishedApplicationId`;

const appRef = ({ params }: RouteRequest) => ({
  storeId: params.storeId,
  publishedApplicationId: params.publishedApplicationId,
});

// One whole route per operation on purpose: each reads as the mapping from its HTTP request to its procedure.
export const appliveryRoutes: readonly Route<Caller>[] = [
  route({
    method: 'GET',
    path: '/v1/organizations/:organizationSlug/stores',
    procedure: (c: Caller) => c.store.list,
    input: ({ query }) => query,
  }),
  route({
    method: 'POST',
    path: '/v1/organizations/:organizationSlug/stores',
    body: 'json',
    procedure: (c: Caller) => c.store.create,
    input: ({ body }) => ({ data: body }),
  }),
  route({
    method: 'PUT',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    body: 'json',
    procedure: (c: Caller) => c.store.update,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'DELETE',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    procedure: (c: Caller) => c.store.delete,
    input: ({ params }) => ({ storeId: params.storeId }),
  }),
  route({
    method: 'GET',
    path: PUBLISHED_APPLICATIONS,
    procedure: (c: Caller) => c.publishedApplication.list,
    input: ({ params, query }) => ({ ...query, storeId: params.storeId }),
  }),
  route({
    method: 'POST',
    path: PUBLISHED_APPLICATIONS,
    body: 'json',
    procedure: (c: Caller) => c.publishedApplication.create,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'GET',
    path: `${PUBLISHED_APPLICATION}/builds`,
    procedure: (c: Caller) => c.build.list,
    input: (request) => ({ ...request.query, ...appRef(request) }),
  }),
  route({
    method: 'POST',
    path: `${PUBLISHED_APPLICATION}/builds`,
    // A build upload: the multipart body is handed to the procedure unread, to be streamed.
    body: 'stream',
    procedure: (c: Caller) => c.build.upload,
    input: appRef,
  }),
  route({
    method: 'DELETE',
    path: `${PUBLISHED_APPLICATION}/builds/:buildId`,
    procedure: (c: Caller) => c.build.delete,
    input: (request) => ({ ...appRef(request), buildId: request.params.buildId }),
  }),
  route({
    method: 'PUT',
    path: `${PUBLISHED_APPLICATION}/published-build`,
    body: 'json',
    procedure: (c: Caller) => c.build.publish,
    input: (request) => ({ ...appRef(request), data: request.body }),
  }),
  route({
    method: 'GET',
    path: OTP_USERS,
    procedure: (c: Caller) => c.otpUser.list,
    input: ({ params, query }) => ({ ...query, storeId: params.storeId }),
  }),
  route({
    method: 'POST',
    path: OTP_USERS,
    body: 'json',
    procedure: (c: Caller) => c.otpUser.create,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'GET',
    path: `${OTP_USERS}/:otpUserId`,
    procedure: (c: Caller) => c.otpUser.byId,
    input: ({ params }) => ({ storeId: params.storeId, otpUserId: params.otpUserId }),
  }),
  route({
    method: 'PUT',
    path: `${OTP_USERS}/:otpUserId`,
    body: 'json',
    procedure: (c: Caller) => c.otpUser.update,
    input: ({ params, body }) => ({ storeId: params.storeId, otpUserId: params.otpUserId, data: body }),
  }),
  route({
    method: 'DELETE',
    path: `${OTP_USERS}/:otpUserId`,
    procedure: (c: Caller) => c.otpUser.delete,
    input: ({ params }) => ({ storeId: params.storeId, otpUserId: params.otpUserId }),
  }),
];

/** Procedure inputs nest the body under `data`; on this surface fields are named as sent. */
function restFieldNames(fields: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, message] of Object.entries(fields)) {
    const name = key === 'data' ? 'body' : key.startsWith('data.') ? key.slice(5) : key;
    renamed[name] = message;
  }
  return renamed;
}

export function appliveryError(described: ErrorDescription): Response {
  const data =
    described.code === ErrorCode.VALIDATION && described.data
      ? restFieldNames(described.data)
      : described.data;
  return json(
    described.status,
    { status: false, error: { code: described.code, message: described.message, ...(data ? { data } : {}) } },
    retryAfterHeaders(described),
  );
}

export type AppliveryHandlerOptions = ApiDependencies;

export function createAppliveryHandler(options: AppliveryHandlerOptions) {
  return createRestSurface(options, {
    routes: appliveryRoutes,
    pathOf: (pathname) => pathname.replace(/\/+$/, '') || '/',
    caller: createCaller,
    requestedSpace: (params) => params.organizationSlug ?? null,
    answer: (data) => json(200, { status: true, data }),
    refuse: appliveryError,
  });
}
