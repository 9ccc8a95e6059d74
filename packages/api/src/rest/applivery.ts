import { ErrorCode, type ErrorDescription } from '../errors';
import { appRouter } from '../root';
import type { ApiDependencies } from './context';
import { type Route, type RouteRequest, route } from './route-table';
import { createRestSurface } from './surface';
import { json, retryAfterHeaders } from './wire';

/**
 * The Applivery-compatible surface (`/v1/organizations/{organizationSlug}/...`). Each route only
 * maps HTTP to a tRPC procedure (run by `runProcedure`): validation, authorization and tenancy
 * live in the procedures, once, for both wire formats.
 */

const OTP_USERS = '/v1/organizations/:organizationSlug/stores/:storeId/otp-users';
const PUBLISHED_APPLICATIONS = '/v1/organizations/:organizationSlug/stores/:storeId/published-applications';
const PUBLISHED_APPLICATION = `${PUBLISHED_APPLICATIONS}/:publishedApplicationId`;

const appRef = ({ params }: RouteRequest) => ({
  storeId: params.storeId,
  publishedApplicationId: params.publishedApplicationId,
});

// One whole route per operation on purpose: each reads as the mapping from its HTTP request to its procedure.
export const appliveryRoutes: readonly Route[] = [
  route({
    method: 'GET',
    path: '/v1/organizations/:organizationSlug/stores',
    procedure: appRouter.store.list,
    input: ({ query }) => query,
  }),
  route({
    method: 'POST',
    path: '/v1/organizations/:organizationSlug/stores',
    body: 'json',
    procedure: appRouter.store.create,
    input: ({ body }) => ({ data: body }),
  }),
  route({
    method: 'PUT',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    body: 'json',
    procedure: appRouter.store.update,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'DELETE',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    procedure: appRouter.store.delete,
    input: ({ params }) => ({ storeId: params.storeId }),
  }),
  route({
    method: 'GET',
    path: PUBLISHED_APPLICATIONS,
    procedure: appRouter.publishedApplication.list,
    input: ({ params, query }) => ({ ...query, storeId: params.storeId }),
  }),
  route({
    method: 'POST',
    path: PUBLISHED_APPLICATIONS,
    body: 'json',
    procedure: appRouter.publishedApplication.create,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'GET',
    path: `${PUBLISHED_APPLICATION}/builds`,
    procedure: appRouter.build.list,
    input: (request) => ({ ...request.query, ...appRef(request) }),
  }),
  route({
    method: 'POST',
    path: `${PUBLISHED_APPLICATION}/builds`,
    // A build upload: the multipart body is handed to the procedure unread, to be streamed.
    body: 'stream',
    procedure: appRouter.build.upload,
    input: appRef,
  }),
  route({
    method: 'DELETE',
    path: `${PUBLISHED_APPLICATION}/builds/:buildId`,
    procedure: appRouter.build.delete,
    input: (request) => ({ ...appRef(request), buildId: request.params.buildId }),
  }),
  route({
    method: 'PUT',
    path: `${PUBLISHED_APPLICATION}/published-build`,
    body: 'json',
    procedure: appRouter.build.publish,
    input: (request) => ({ ...appRef(request), data: request.body }),
  }),
  route({
    method: 'GET',
    path: OTP_USERS,
    procedure: appRouter.otpUser.list,
    input: ({ params, query }) => ({ ...query, storeId: params.storeId }),
  }),
  route({
    method: 'POST',
    path: OTP_USERS,
    body: 'json',
    procedure: appRouter.otpUser.create,
    input: ({ params, body }) => ({ storeId: params.storeId, data: body }),
  }),
  route({
    method: 'GET',
    path: `${OTP_USERS}/:otpUserId`,
    procedure: appRouter.otpUser.byId,
    input: ({ params }) => ({ storeId: params.storeId, otpUserId: params.otpUserId }),
  }),
  route({
    method: 'PUT',
    path: `${OTP_USERS}/:otpUserId`,
    body: 'json',
    procedure: appRouter.otpUser.update,
    input: ({ params, body }) => ({ storeId: params.storeId, otpUserId: params.otpUserId, data: body }),
  }),
  route({
    method: 'DELETE',
    path: `${OTP_USERS}/:otpUserId`,
    procedure: appRouter.otpUser.delete,
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
    requestedSpace: (params) => params.organizationSlug ?? null,
    answer: (data) => json(200, { status: true, data }),
    refuse: appliveryError,
  });
}
