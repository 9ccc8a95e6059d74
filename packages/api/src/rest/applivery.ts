import { AppError, describeError, ErrorCode, type ErrorDescription } from '../errors';
import { createCaller } from '../root';
import { type ApiDependencies, contextForRequest } from './context';
import { json, readJsonBody, retryAfterHeaders } from './http';
import { createRouteTable, type HttpMethod } from './router';

/**
 * The Applivery-compatible surface (`/v1/organizations/{organizationSlug}/...`). Each route only
 * maps HTTP to a tRPC procedure called through `createCaller`: validation, authorization and
 * tenancy live in the procedures, once, for both wire formats.
 */

type Caller = ReturnType<typeof createCaller>;

interface RouteRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

interface AppliveryRoute {
  method: HttpMethod;
  path: string;
  /** Whether the route reads a JSON body (passed to the procedure as `data`). */
  hasBody?: boolean;
  /** A build upload: the multipart body is handed to the procedure unread, to be streamed. */
  upload?: boolean;
  call(caller: Caller, request: RouteRequest): Promise<unknown>;
}

const OTP_USERS = '/v1/organizations/:organizationSlug/stores/:storeId/otp-users';
const PUBLISHED_APPLICATIONS = '/v1/organizations/:organizationSlug/stores/:storeId/published-applications';
const PUBLISHED_APPLICATION = `${PUBLISHED_APPLICATIONS}/:publishedApplicationId`;

const appRef = (params: Record<string, string>) => ({
  storeId: params.storeId!,
  publishedApplicationId: params.publishedApplicationId!,
});

export const appliveryRoutes: readonly AppliveryRoute[] = [
  {
    method: 'GET',
    path: '/v1/organizations/:organizationSlug/stores',
    call: (caller, { query }) => caller.store.list(query as never),
  },
  {
    method: 'POST',
    path: '/v1/organizations/:organizationSlug/stores',
    hasBody: true,
    call: (caller, { body }) => caller.store.create({ data: body as never }),
  },
  {
    method: 'PUT',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    hasBody: true,
    call: (caller, { params, body }) =>
      caller.store.update({ storeId: params.storeId!, data: body as never }),
  },
  {
    method: 'DELETE',
    path: '/v1/organizations/:organizationSlug/stores/:storeId',
    call: (caller, { params }) => caller.store.delete({ storeId: params.storeId! }),
  },
  {
    method: 'GET',
    path: '/v1/organizations/:organizationSlug/stores/:storeId/published-applications',
    call: (caller, { params, query }) =>
      caller.publishedApplication.list({ ...query, storeId: params.storeId } as never),
  },
  {
    method: 'POST',
    path: PUBLISHED_APPLICATIONS,
    hasBody: true,
    call: (caller, { params, body }) =>
      caller.publishedApplication.create({ storeId: params.storeId!, data: body as never }),
  },
  {
    method: 'GET',
    path: `${PUBLISHED_APPLICATION}/builds`,
    call: (caller, { params, query }) => caller.build.list({ ...query, ...appRef(params) } as never),
  },
  {
    method: 'POST',
    path: `${PUBLISHED_APPLICATION}/builds`,
    upload: true,
    call: (caller, { params }) => caller.build.upload(appRef(params)),
  },
  {
    method: 'DELETE',
    path: `${PUBLISHED_APPLICATION}/builds/:buildId`,
    call: (caller, { params }) => caller.build.delete({ ...appRef(params), buildId: params.buildId! }),
  },
  {
    method: 'PUT',
    path: `${PUBLISHED_APPLICATION}/published-build`,
    hasBody: true,
    call: (caller, { params, body }) => caller.build.publish({ ...appRef(params), data: body as never }),
  },
  {
    method: 'GET',
    path: OTP_USERS,
    call: (caller, { params, query }) => caller.otpUser.list({ ...query, storeId: params.storeId } as never),
  },
  {
    method: 'POST',
    path: OTP_USERS,
    hasBody: true,
    call: (caller, { params, body }) =>
      caller.otpUser.create({ storeId: params.storeId!, data: body as never }),
  },
  {
    method: 'GET',
    path: `${OTP_USERS}/:otpUserId`,
    call: (caller, { params }) =>
      caller.otpUser.byId({ storeId: params.storeId!, otpUserId: params.otpUserId! }),
  },
  {
    method: 'PUT',
    path: `${OTP_USERS}/:otpUserId`,
    hasBody: true,
    call: (caller, { params, body }) =>
      caller.otpUser.update({ storeId: params.storeId!, otpUserId: params.otpUserId!, data: body as never }),
  },
  {
    method: 'DELETE',
    path: `${OTP_USERS}/:otpUserId`,
    call: (caller, { params }) =>
      caller.otpUser.delete({ storeId: params.storeId!, otpUserId: params.otpUserId! }),
  },
];

const routeTable = createRouteTable(appliveryRoutes);

/** Query parameters that are numbers on the procedure side. */
const NUMERIC_QUERY_PARAMS = new Set(['page', 'limit']);

/** Query string → procedure input; integers become numbers, anything else is left for validation to name. */
function queryToInput(searchParams: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of searchParams) {
    input[key] = NUMERIC_QUERY_PARAMS.has(key) && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return input;
}

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

function contentLengthOf(headers: Headers): number | null {
  const value = headers.get('content-length');
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}

export type AppliveryHandlerOptions = ApiDependencies;

export function createAppliveryHandler(options: AppliveryHandlerOptions) {
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown, request: Request) =>
      console.error(`Unexpected error on ${request.method} ${new URL(request.url).pathname}:`, error));

  return async function handleAppliveryRequest(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const match = routeTable.match(request.method, url.pathname.replace(/\/+$/, '') || '/');
      if (!match) throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const body = match.route.hasBody ? await readJsonBody(request) : undefined;
      const caller = createCaller(
        contextForRequest(options, request, {
          requestedSpace: match.params.organizationSlug ?? null,
          ...(match.route.upload
            ? {
                upload: {
                  contentType: request.headers.get('content-type'),
                  contentLength: contentLengthOf(request.headers),
                  body: request.body,
                },
              }
            : {}),
        }),
      );
      const data = await match.route.call(caller, {
        params: match.params,
        query: queryToInput(url.searchParams),
        body,
      });
      return json(200, { status: true, data });
    } catch (error) {
      const described = describeError(error);
      if (described.unexpected !== undefined) onUnexpectedError(described.unexpected, request);
      return appliveryError(described);
    }
  };
}
