/**
 * The OpenAPI 3.1 document of every HTTP route the server answers (both REST surfaces, the session
 * endpoints, store downloads and the operational endpoints), generated from the zod schemas the
 * procedures validate with. OpenAPI 3.1 speaks JSON Schema 2020-12, which zod emits directly.
 *
 * Adding an operation is one entry in `OPERATIONS` below:
 *
 *   {
 *     operationId: 'stores.create',              // unique and stable: generated clients name it
 *     method: 'post',
 *     path: '/v1/organizations/{organizationSlug}/stores', // path parameters: PATH_PARAMETERS
 *     surface: 'applivery',                      // security, envelope and error bodies
 *     tags: ['Stores'],                          // declared in TAGS
 *     summary: 'Create a store',
 *     procedure: 'store.create',                 // its `.meta({ permission })` is the permission stated
 *     body: ZCreateStoreBody,                    // or { schema, mediaTypes: ['multipart/form-data'] }
 *     response: { schema: ZStore, description: 'The created store' },
 *     errors: [400, 401, 403, 404, 409],
 *   }
 *
 * plus one scenario in `openapi.test.ts` that calls it on a real server: the test checks the real
 * answers against the document and against `openapi.examples.json`, the examples the document
 * shows (`OPENAPI_RECORD=1` re-records them). A zod schema named with `.meta({ id })` becomes
 * `components/schemas/<id>` and is referenced wherever it is used; a name must mean one JSON
 * Schema, so a schema read both as input and as output (defaults, transforms) needs two names.
 */
import {
  ZBuild,
  ZBuildPage,
  ZCreateOtpUsersBody,
  ZCreateStoreBody,
  ZDataportSettingBody,
  ZDataportSettingView,
  ZListOtpUsersFilter,
  ZLoginBody,
  ZLoginResult,
  ZNetgsmSettingBody,
  ZNetgsmSettingView,
  ZObjectId,
  ZOtpSettingView,
  ZOtpUser,
  ZOtpUserPage,
  ZPageQuery,
  ZPublishBuildFields,
  ZPublishedApplication,
  ZPublishedApplicationFields,
  ZPublishedApplicationPage,
  ZSmtpSettingBody,
  ZSmtpSettingView,
  ZStore,
  ZStorePage,
  ZTestSendBody,
  ZTestSendResult,
  ZTwilioSettingBody,
  ZTwilioSettingView,
  ZUpdateOtpUserBody,
  ZUpdateStoreBody,
} from '@otp-access/validators';
import { z } from 'zod';
import { ErrorCode } from '../errors';
import { appRouter } from '../root';
import { ZLoginOutput, ZLogoutOutput, ZRefreshSessionInput, ZValidateInput } from '../router/auth/schema';
import { ZDeleteOtpUserOutput } from '../router/otp-user/schema';
import recordedExamples from './openapi.examples.json' with { type: 'json' };

type JsonSchema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who answers, and how: security, success envelope and error body.
 * - `applivery`: Bearer API key; `{status:true,data}` / `{status:false,error:{code,message,data?}}`.
 * - `settings`: cookie session + `X-Space`, or an API key; plain JSON / Spring-style errors.
 * - `session`: `/login` … `/logout`; plain JSON / Spring-style errors; sets cookies.
 * - `store`: an OTP user's store session cookie; Spring-style errors.
 * - `operations`: no authentication.
 */
type Surface = 'applivery' | 'settings' | 'session' | 'store' | 'operations';

interface HeaderDoc {
  description: string;
  schema?: JsonSchema;
  required?: boolean;
}

interface ResponseDoc {
  description: string;
  /** JSON body; `undefined` with `content` for other media types, or none at all. */
  schema?: z.ZodType;
  /** Non-JSON bodies (downloads): media type → JSON Schema. */
  content?: Record<string, JsonSchema>;
  headers?: Record<string, HeaderDoc>;
}

interface OperationEntry {
  operationId: string;
  method: Method;
  /** OpenAPI path template; every `{name}` is described in PATH_PARAMETERS. */
  path: string;
  surface: Surface;
  tags: [Tag, ...Tag[]];
  summary: string;
  description?: string;
  /** The tRPC procedure the route calls: the permission the document states is its `.meta`. */
  procedure?: string;
  /** Overrides the surface's security requirements. */
  security?: Record<string, string[]>[];
  query?: z.ZodObject;
  /** Request headers beyond the surface's own (`X-Space` on settings). */
  headers?: Record<string, HeaderDoc & { schema: JsonSchema }>;
  body?:
    | z.ZodType
    | {
        schema: z.ZodType;
        mediaTypes: readonly string[];
        required?: boolean;
        /** Per-part encoding of a multipart body (OpenAPI `encoding`). */
        encoding?: Record<string, { contentType: string }>;
      };
  /** The success answer (200, or `status`). */
  response: ResponseDoc & { status?: number };
  /** Other non-error answers (206 …). */
  otherResponses?: Record<number, ResponseDoc>;
  errors: readonly number[];
}

const TAGS = {
  Stores: 'Applivery-compatible API: the stores and published applications an API key sees.',
  Publishing:
    'Applivery-compatible API: applications of a store, their builds (multipart uploads) and the build OTP users download.',
  'OTP users': 'Applivery-compatible API: the OTP users of a store (Bearer API key).',
  'OTP settings':
    'OTP settings controller: how the space sends its codes (cookie session + X-Space, or API key).',
  Session: 'Admin sign-in with the cookies of the settings API.',
  'Store downloads': 'What an OTP user signed in to a store downloads (store session cookie).',
  Operations: 'Health, readiness and this document.',
} as const;
type Tag = keyof typeof TAGS;

const ZObjectIdParam = ZObjectId.meta({
  description: '24 hexadecimal characters',
  example: '65f1c0de0000000000000001',
});
const PATH_PARAMETERS: Record<string, { schema: z.ZodType; description: string }> = {
  organizationSlug: {
    schema: z.string().min(1).max(64),
    description: "The organization's slug; an API key may name its own organization only (any other is 404)",
  },
  storeId: { schema: ZObjectIdParam, description: 'A store of the organization' },
  otpUserId: { schema: ZObjectIdParam, description: 'An OTP user of the store' },
  publishedApplicationId: { schema: ZObjectIdParam, description: 'A published application of the store' },
  buildId: { schema: ZObjectIdParam, description: 'A build of the published application' },
};

// ---- Error bodies --------------------------------------------------------------------------------

const ZFieldErrors = z.record(z.string(), z.string()).meta({
  id: 'FieldErrors',
  description: 'Each failing field (dotted path; `body` for an unreadable body) → what is wrong with it',
});

const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
  1000: 'internal failure (500; logged, no details returned)',
  1002: 'no such route or method (404)',
  1003: 'a dependency (the database, a provider, the limits store) is briefly unavailable (503)',
  3001: 'Entity not found (404): unknown id, or one of another organization',
  4001: 'unauthorized (401)',
  4002: 'no Authorization header (401)',
  4003: 'forbidden: the key lacks the permission (403)',
  4004: 'unknown, malformed or revoked key (401)',
  4005: 'token expired (401)',
  5001: 'conflict (409)',
  6001: 'Database Validation Error (400): `error.data` names the failing fields',
  7001: 'too many requests (429): `error.data.retryAfterSeconds`, and `Retry-After`',
  6002: 'Payload too large (413): the build is larger than the server accepts (BUILD_MAX_BYTES)',
};
function appliveryErrorBody<C extends ErrorCode>(
  id: string,
  codes: readonly [C, ...C[]],
  description: string,
  data?: z.ZodType,
) {
  return z
    .object({
      status: z.literal(false),
      error: z.object({
        code: z
          .literal(codes)
          .meta({ description: codes.map((c) => `${c}: ${ERROR_CODE_MEANINGS[c]}`).join('; ') }),
        message: z.string(),
        ...(data ? { data } : {}),
      }),
    })
    .meta({ id, description });
}

/** The Applivery error envelope of each status, with the codes it carries and their `data`. */
const APPLIVERY_ERRORS: Record<number, z.ZodType> = {
  400: appliveryErrorBody(
    'ValidationError',
    [ErrorCode.VALIDATION],
    'Invalid input: nothing was changed',
    ZFieldErrors.optional(),
  ),
  401: appliveryErrorBody(
    'UnauthorizedError',
    [ErrorCode.UNAUTHORIZED, ErrorCode.NO_AUTH_TOKEN, ErrorCode.INVALID_TOKEN, ErrorCode.TOKEN_EXPIRED],
    'No, or an unusable, API key',
  ),
  403: appliveryErrorBody('ForbiddenError', [ErrorCode.FORBIDDEN], 'The key lacks the permission'),
  404: appliveryErrorBody(
    'NotFoundError',
    [ErrorCode.ROUTE_NOT_FOUND, ErrorCode.ENTITY_NOT_FOUND],
    'No such route, or no such object in this organization',
  ),
  409: appliveryErrorBody(
    'ConflictError',
    [ErrorCode.CONFLICT],
    'Conflicts with what is stored (the object already exists, or the build is the published one); nothing was changed',
    z
      .object({ emails: z.array(z.string()).meta({ description: 'The emails that already exist' }) })
      .optional(),
  ),
  413: appliveryErrorBody(
    'PayloadTooLargeError',
    [ErrorCode.PAYLOAD_TOO_LARGE],
    'The build is larger than the server accepts; nothing was stored',
    z.object({
      file: z.string().meta({ description: 'What the limit is, as a sentence' }),
      maxBytes: z.int().min(1).meta({ description: 'The limit (BUILD_MAX_BYTES)' }),
    }),
  ),
  429: appliveryErrorBody(
    'TooManyRequestsError',
    [ErrorCode.TOO_MANY_REQUESTS],
    'A limit was reached',
    z.object({ retryAfterSeconds: z.int().min(0) }),
  ),
  500: appliveryErrorBody('InternalError', [ErrorCode.INTERNAL], 'Unexpected failure (logged)'),
  503: appliveryErrorBody('UnavailableError', [ErrorCode.UNAVAILABLE], 'Briefly unavailable; retry'),
};

const ZSpringError = z
  .object({
    timestamp: z.iso.datetime({ offset: true }),
    status: z.int(),
    error: z.string().meta({ description: 'The HTTP reason phrase' }),
    message: z.string(),
    path: z.string(),
    errors: ZFieldErrors.optional(),
  })
  .meta({
    id: 'SpringError',
    description: 'Failure on the settings, session and store surfaces (Spring Boot-style body)',
  });

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (nothing was changed)',
  401: 'Not signed in, or the credentials are not valid',
  403: 'Not allowed (permission, space, cross-site request, or no downloads left)',
  404: 'No such route, or no such object here',
  409: 'Conflict with what is stored: it already exists, or it is in use',
  413: 'Too large: the build is larger than the server accepts',
  416: 'Range not satisfiable',
  429: 'Too many requests: wait `Retry-After` seconds',
  500: 'Unexpected failure (logged; no details are returned)',
  503: 'Briefly unavailable (database, provider or limits store); retry',
};

// ---- Shared pieces -------------------------------------------------------------------------------

const SET_COOKIE: HeaderDoc = {
  description:
    'The session cookies `ins_access_token` and `ins_refresh_token` (HttpOnly, SameSite=Lax, Secure over https), one header each',
  schema: { type: 'string' },
};
const RETRY_AFTER: HeaderDoc = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer', minimum: 1 },
  required: true,
};
const X_SPACE = {
  name: 'X-Space',
  in: 'header',
  required: false,
  description:
    'The space (organization slug) a cookie session works in; required with a session cookie (missing or unknown: 400, not a member: 403), unused with an API key',
  schema: { type: 'string', maxLength: 64 },
  example: 'demo',
};

const SECURITY: Record<Surface, Record<string, string[]>[]> = {
  applivery: [{ apiKey: [] }],
  settings: [{ session: [] }, { apiKey: [] }],
  session: [],
  store: [{ storeSession: [] }],
  operations: [],
};

const DOWNLOAD_CONTENT = { '*/*': { type: 'string', contentMediaType: 'application/octet-stream' } };
const DOWNLOAD_HEADERS: Record<string, HeaderDoc> = {
  'Content-Disposition': {
    description: '`attachment; filename="…"; filename*=UTF-8\'\'…` with the build’s file name (RFC 6266)',
    schema: { type: 'string' },
    required: true,
  },
  'Content-Length': { description: 'The bytes in this answer', schema: { type: 'integer', minimum: 0 } },
  'Accept-Ranges': {
    description: 'Ranges are served',
    schema: { type: 'string', const: 'bytes' },
    required: true,
  },
  ETag: {
    description: 'The build’s SHA-256 in quotes: the same ETag is the same file',
    schema: { type: 'string', pattern: '^"[0-9a-f]{64}"$' },
    required: true,
  },
};

const ZSettingsList = z.array(ZOtpSettingView);
const ZCreatedOtpUsers = z.array(ZOtpUser);
const ZHealth = z
  .union([
    z.object({ status: z.literal('ok') }),
    z.object({ status: z.literal('unavailable'), database: z.literal('unreachable') }),
  ])
  .meta({ id: 'Health' });
const ZReadiness = z
  .object({
    ready: z.boolean(),
    database: z.enum(['ok', 'unreachable']),
    pendingMigrations: z.array(z.string()).meta({ description: 'Migrations of this build not yet applied' }),
  })
  .meta({ id: 'Readiness' });

// ---- The operations ------------------------------------------------------------------------------

const STORES = '/v1/organizations/{organizationSlug}/stores';
const OTP_USERS = `${STORES}/{storeId}/otp-users`;
const APPLICATIONS = `${STORES}/{storeId}/published-applications`;
const APPLICATION = `${APPLICATIONS}/{publishedApplicationId}`;
const APPLIVERY_READ_ERRORS = [400, 401, 403, 404, 429, 500, 503] as const;

/** The OTP user, store and build delete answers are one shape (`{ delete: true }`), so one name. */
const ZDeleteResult = ZDeleteOtpUserOutput.meta({ id: 'DeleteResult' });

/**
 * The multipart body of a build upload. The server streams it (busboy) rather than parsing it with
 * zod: this schema only describes it.
 */
const ZUploadBuildForm = z
  .object({
    file: z.string().meta({
      format: 'binary',
      contentMediaType: 'application/octet-stream',
      description:
        'The build (APK, IPA or any file), sent as a file part: its file name is kept (cleaned of any path)',
    }),
    publish: z
      .enum(['true', 'false'])
      .optional()
      .meta({ description: '`true` also makes it the published build (default `false`)' }),
  })
  .meta({ id: 'UploadBuildForm' });
const SETTINGS_ERRORS = [400, 401, 403, 404, 429, 500, 503] as const;

// One whole entry per operation on purpose: each reads as the operation it documents.
export const OPERATIONS: readonly OperationEntry[] = [
  {
    operationId: 'stores.list',
    method: 'get',
    path: STORES,
    surface: 'applivery',
    tags: ['Stores'],
    summary: 'List the stores of the organization',
    procedure: 'store.list',
    query: ZPageQuery,
    response: { schema: ZStorePage, description: 'A page of stores' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'stores.create',
    method: 'post',
    path: STORES,
    surface: 'applivery',
    tags: ['Stores'],
    summary: 'Create a store',
    description: 'Names and descriptions are trimmed; a description left out is empty.',
    procedure: 'store.create',
    body: ZCreateStoreBody,
    response: { schema: ZStore, description: 'The created store' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'stores.update',
    method: 'put',
    path: `${STORES}/{storeId}`,
    surface: 'applivery',
    tags: ['Stores'],
    summary: 'Rename a store or change its description',
    description: 'Fields left out keep their values.',
    procedure: 'store.update',
    body: ZUpdateStoreBody,
    response: { schema: ZStore, description: 'The updated store' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'stores.delete',
    method: 'delete',
    path: `${STORES}/{storeId}`,
    surface: 'applivery',
    tags: ['Stores'],
    summary: 'Delete a store',
    description:
      'Deletes its published applications, their builds (stored files included), its OTP users and their downloads.',
    procedure: 'store.delete',
    response: { schema: ZDeleteResult, description: 'Deleted' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'publishedApplications.list',
    method: 'get',
    path: APPLICATIONS,
    surface: 'applivery',
    tags: ['Stores'],
    summary: 'List the published applications of a store',
    procedure: 'publishedApplication.list',
    query: ZPageQuery,
    response: { schema: ZPublishedApplicationPage, description: 'A page of published applications' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'publishedApplications.create',
    method: 'post',
    path: APPLICATIONS,
    surface: 'applivery',
    tags: ['Publishing'],
    summary: 'Create an application in a store (no build yet)',
    description: 'OTP users can be added to it at once; they can download once a build is published.',
    procedure: 'publishedApplication.create',
    body: ZPublishedApplicationFields,
    response: { schema: ZPublishedApplication, description: 'The created application' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'builds.list',
    method: 'get',
    path: `${APPLICATION}/builds`,
    surface: 'applivery',
    tags: ['Publishing'],
    summary: 'List the builds of a published application, newest first',
    procedure: 'build.list',
    query: ZPageQuery,
    response: { schema: ZBuildPage, description: 'A page of builds' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'builds.upload',
    method: 'post',
    path: `${APPLICATION}/builds`,
    surface: 'applivery',
    tags: ['Publishing'],
    summary: 'Upload a build (APK, IPA or any file)',
    description:
      'The body is streamed to storage and its SHA-256 computed on the way. Version, bundle id, build number and icon are read from APK and IPA files; any other file (or an unreadable package) is kept as a plain build with `metadataNote` saying why. Larger than the limit (BUILD_MAX_BYTES, default 2 GiB): 413 with error code 6002, nothing stored. `publish=true` also makes it the published build. Example: `curl -F file=@app.apk -F publish=true -H "Authorization: Bearer $KEY" <url>`',
    procedure: 'build.upload',
    body: {
      schema: ZUploadBuildForm,
      mediaTypes: ['multipart/form-data'],
      encoding: { file: { contentType: 'application/octet-stream' } },
    },
    response: { schema: ZBuild, description: 'The stored build' },
    errors: [400, 401, 403, 404, 413, 429, 500, 503],
  },
  {
    operationId: 'builds.delete',
    method: 'delete',
    path: `${APPLICATION}/builds/{buildId}`,
    surface: 'applivery',
    tags: ['Publishing'],
    summary: 'Delete a build that is not the published one',
    description: 'The published build is 409: publish another build first. The stored file is removed too.',
    procedure: 'build.delete',
    response: { schema: ZDeleteResult, description: 'Deleted' },
    errors: [400, 401, 403, 404, 409, 429, 500, 503],
  },
  {
    operationId: 'builds.publish',
    method: 'put',
    path: `${APPLICATION}/published-build`,
    surface: 'applivery',
    tags: ['Publishing'],
    summary: 'Choose the build OTP users download',
    description: "A build of another application is 404. The application's version becomes the build's.",
    procedure: 'build.publish',
    body: ZPublishBuildFields,
    response: { schema: ZPublishedApplication, description: 'The application with its published build' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'otpUsers.list',
    method: 'get',
    path: OTP_USERS,
    surface: 'applivery',
    tags: ['OTP users'],
    summary: 'List OTP users',
    description:
      'Filter by published application or by part of the email (case-insensitive); sort by `field:asc|desc`.',
    procedure: 'otpUser.list',
    query: ZListOtpUsersFilter,
    response: { schema: ZOtpUserPage, description: 'A page of OTP users' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'otpUsers.create',
    method: 'post',
    path: OTP_USERS,
    surface: 'applivery',
    tags: ['OTP users'],
    summary: 'Create OTP users (one email or many)',
    description:
      'All or nothing: if any email already exists for the published application, nothing is created and the answer is 409 with those emails in `error.data.emails`.',
    procedure: 'otpUser.create',
    body: ZCreateOtpUsersBody,
    response: { schema: ZCreatedOtpUsers, description: 'The created OTP users' },
    errors: [400, 401, 403, 404, 409, 429, 500, 503],
  },
  {
    operationId: 'otpUsers.get',
    method: 'get',
    path: `${OTP_USERS}/{otpUserId}`,
    surface: 'applivery',
    tags: ['OTP users'],
    summary: 'Get an OTP user',
    procedure: 'otpUser.byId',
    response: { schema: ZOtpUser, description: 'The OTP user' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'otpUsers.update',
    method: 'put',
    path: `${OTP_USERS}/{otpUserId}`,
    surface: 'applivery',
    tags: ['OTP users'],
    summary: 'Update an existing OTP user configuration',
    description: 'Omitting `allowedDownloadsNum` changes nothing but `updatedAt`; -1 means unlimited.',
    procedure: 'otpUser.update',
    body: ZUpdateOtpUserBody,
    response: { schema: ZOtpUser, description: 'The updated OTP user' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'otpUsers.delete',
    method: 'delete',
    path: `${OTP_USERS}/{otpUserId}`,
    surface: 'applivery',
    tags: ['OTP users'],
    summary: 'Delete an OTP user',
    procedure: 'otpUser.delete',
    response: { schema: ZDeleteResult, description: 'Deleted' },
    errors: APPLIVERY_READ_ERRORS,
  },
  {
    operationId: 'otpSettings.list',
    method: 'get',
    path: '/api/otp/settings',
    surface: 'settings',
    tags: ['OTP settings'],
    summary: 'Every delivery setting of the space, secrets masked',
    procedure: 'otpSettings.list',
    response: { schema: ZSettingsList, description: 'The settings' },
    errors: SETTINGS_ERRORS,
  },
  ...(
    [
      [
        'putTwilio',
        'sms/twilio',
        'Save the Twilio SMS setting',
        'upsertTwilio',
        ZTwilioSettingBody,
        ZTwilioSettingView,
      ],
      [
        'putNetgsm',
        'sms/netgsm',
        'Save the NetGSM SMS setting',
        'upsertNetgsm',
        ZNetgsmSettingBody,
        ZNetgsmSettingView,
      ],
      [
        'putDataport',
        'sms/dataport',
        'Save the Dataport SMS setting',
        'upsertDataport',
        ZDataportSettingBody,
        ZDataportSettingView,
      ],
      [
        'putMail',
        'mail/default',
        'Save the SMTP mail setting',
        'upsertSmtp',
        ZSmtpSettingBody,
        ZSmtpSettingView,
      ],
    ] as const
  ).map(
    ([name, path, summary, procedure, body, view]): OperationEntry => ({
      operationId: `otpSettings.${name}`,
      method: 'put',
      path: `/api/otp/settings/${path}`,
      surface: 'settings',
      tags: ['OTP settings'],
      summary,
      description:
        'Merges: fields left out keep their stored values (a new setting must end up with every field its provider needs). Secrets are write-only: the answer says `…Set` instead. `id` and the audit fields are read-only: accepted and ignored.',
      procedure: `otpSettings.${procedure}`,
      body,
      response: { schema: view, description: 'The saved setting, secrets masked' },
      errors: SETTINGS_ERRORS,
    }),
  ),
  {
    operationId: 'otpSettings.test',
    method: 'post',
    path: '/api/otp/settings/test',
    surface: 'settings',
    tags: ['OTP settings'],
    summary: 'Send a real test message through the default provider',
    description: 'Default: MAIL to the signed-in admin. Answers what each provider said, attempt by attempt.',
    procedure: 'otpSettings.test',
    body: { schema: ZTestSendBody.unwrap(), mediaTypes: ['application/json'], required: false },
    response: { schema: ZTestSendResult, description: 'What happened, attempt by attempt' },
    errors: SETTINGS_ERRORS,
  },
  {
    operationId: 'session.login',
    method: 'post',
    path: '/login',
    surface: 'session',
    tags: ['Session'],
    summary: 'Sign in',
    description:
      'Sets `ins_access_token` and `ins_refresh_token`; an account with a second factor gets `otp_required` instead (no cookies) and completes with `/validate`. Any failed sign-in is the same 401.',
    body: { schema: ZLoginBody, mediaTypes: ['application/json', 'application/x-www-form-urlencoded'] },
    response: {
      schema: ZLoginOutput.meta({ id: 'LoginResponse' }),
      description: 'Signed in (cookies set), or a code was sent',
      headers: { 'Set-Cookie': SET_COOKIE },
    },
    errors: [400, 401, 403, 429, 500, 503],
  },
  {
    operationId: 'session.validate',
    method: 'post',
    path: '/validate',
    surface: 'session',
    tags: ['Session'],
    summary: 'Complete a two-factor sign-in with the code',
    body: {
      schema: ZValidateInput.meta({ id: 'ValidateBody' }),
      mediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
    },
    response: { schema: ZLoginResult, description: 'Signed in', headers: { 'Set-Cookie': SET_COOKIE } },
    errors: [400, 401, 403, 429, 500, 503],
  },
  {
    operationId: 'session.refresh',
    method: 'post',
    path: '/refresh',
    surface: 'session',
    tags: ['Session'],
    summary: 'Rotate the session cookies',
    description:
      'The refresh token comes from the `ins_refresh_token` cookie or the body. A token used twice revokes the whole session chain.',
    security: [{ refreshToken: [] }, {}],
    body: {
      schema: ZRefreshSessionInput.unwrap().meta({ id: 'RefreshBody' }),
      mediaTypes: ['application/json'],
      required: false,
    },
    response: { schema: ZLoginResult, description: 'Rotated', headers: { 'Set-Cookie': SET_COOKIE } },
    errors: [400, 401, 403, 500, 503],
  },
  {
    operationId: 'session.logout',
    method: 'post',
    path: '/logout',
    surface: 'session',
    tags: ['Session'],
    summary: 'End the session and clear its cookies',
    security: [{ refreshToken: [] }, {}],
    response: {
      schema: ZLogoutOutput.meta({ id: 'LogoutResult' }),
      description: 'Signed out (cookies cleared)',
      headers: { 'Set-Cookie': { ...SET_COOKIE, description: 'Clears both session cookies' } },
    },
    errors: [403, 500, 503],
  },
  {
    operationId: 'storeApps.download',
    method: 'get',
    path: '/api/store/{storeId}/apps/{publishedApplicationId}/download',
    surface: 'store',
    tags: ['Store downloads'],
    summary: 'Download the published build of an application',
    description: [
      'A download that starts at byte 0 (no `Range`, or a range from 0) is counted against the OTP user’s allowance by one conditional update; past it the answer is 403. Downloads started from another site are refused (403).',
      'A `Range` of one byte range resumes a download: 206 with that part. A range that does not start at 0 is free when the same OTP user downloaded the same build within the last 24 hours, and counted otherwise. Several ranges, another unit or a malformed header get the whole file (200); a range past the end is 416.',
    ].join('\n\n'),
    headers: {
      Range: {
        description: 'One byte range, to resume an interrupted download (e.g. `bytes=1048576-`)',
        schema: { type: 'string' },
      },
    },
    response: {
      description: 'The whole build, with the type it was stored with',
      content: DOWNLOAD_CONTENT,
      headers: DOWNLOAD_HEADERS,
    },
    otherResponses: {
      206: {
        description: 'The requested range of the build',
        content: DOWNLOAD_CONTENT,
        headers: {
          ...DOWNLOAD_HEADERS,
          'Content-Range': {
            description: '`bytes start-end/size`',
            schema: { type: 'string', pattern: '^bytes \\d+-\\d+/\\d+$' },
            required: true,
          },
        },
      },
      416: {
        description: STATUS_TEXT[416]!,
        schema: ZSpringError,
        headers: {
          'Content-Range': {
            description: '`bytes */size`: the size of the build',
            schema: { type: 'string', pattern: '^bytes \\*/\\d+$' },
            required: true,
          },
        },
      },
    },
    errors: [400, 401, 403, 404, 500, 503],
  },
  {
    operationId: 'operations.health',
    method: 'get',
    path: '/api/health',
    surface: 'operations',
    tags: ['Operations'],
    summary: 'Liveness: whether the database answers',
    response: { schema: ZHealth, description: 'The database answers' },
    otherResponses: { 503: { schema: ZHealth, description: 'The database does not answer' } },
    errors: [],
  },
  {
    operationId: 'operations.ready',
    method: 'get',
    path: '/api/ready',
    surface: 'operations',
    tags: ['Operations'],
    summary: 'Readiness: the database answers and has every migration of this build',
    response: { schema: ZReadiness, description: 'Ready for traffic' },
    otherResponses: {
      503: { schema: ZReadiness, description: 'Not ready: see `database` and `pendingMigrations`' },
    },
    errors: [],
  },
  {
    operationId: 'operations.openapi',
    method: 'get',
    path: '/api/openapi.json',
    surface: 'operations',
    tags: ['Operations'],
    summary: 'This document',
    response: {
      description: 'The OpenAPI 3.1 document',
      content: { 'application/json': { type: 'object' } },
    },
    errors: [],
  },
];

// ---- Building the document -----------------------------------------------------------------------

/** Converts zod schemas, moving every named one into `components/schemas`. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const { $schema: _, $defs, ...root } = converted as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, definition] of Object.entries($defs ?? {}))
      this.add(id, relink(definition) as JsonSchema);
    return relink(root) as JsonSchema;
  }

  private add(id: string, definition: JsonSchema) {
    const existing = this.components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(
        `Schema "${id}" reads differently where it is used (input and output?): give each its own id`,
      );
    }
    this.components[id] = definition;
  }
}

function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/$defs/', '#/components/schemas/')
        : relink(inner),
    ]),
  );
}

interface RecordedExample {
  request?: unknown;
  responses: Record<string, unknown>;
}
export type RecordedExamples = Record<string, RecordedExample>;
const EXAMPLES = recordedExamples as RecordedExamples;

/** The permission a procedure checks (its `.meta({ permission })`), if any. */
export function permissionOf(procedure: string): string | undefined {
  // tRPC keeps each procedure's `.meta()` on its definition, keyed by its dotted path.
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { permission?: string } } }
  >;
  const found = procedures[procedure];
  if (!found) throw new Error(`No procedure "${procedure}" in the router`);
  return found._def.meta?.permission;
}

function describeOperation(entry: OperationEntry, schemas: SchemaCollector) {
  const examples = EXAMPLES[entry.operationId];
  const permission = entry.procedure ? permissionOf(entry.procedure) : undefined;

  const pathParameters = [...entry.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const described = PATH_PARAMETERS[name!];
    if (!described)
      throw new Error(`Path parameter {${name}} of ${entry.operationId} is not in PATH_PARAMETERS`);
    return {
      name,
      in: 'path',
      required: true,
      description: described.description,
      schema: schemas.convert(described.schema, 'input'),
    };
  });
  const query = entry.query
    ? (schemas.convert(entry.query, 'input') as {
        properties: Record<string, JsonSchema>;
        required?: string[];
      })
    : undefined;
  const queryParameters = Object.entries(query?.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return {
      name,
      in: 'query',
      required: query?.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
  const headerParameters = [
    ...(entry.surface === 'settings' ? [X_SPACE] : []),
    ...Object.entries(entry.headers ?? {}).map(([name, header]) => ({
      name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: header.schema,
    })),
  ];

  const body =
    entry.body === undefined
      ? undefined
      : 'mediaTypes' in entry.body
        ? entry.body
        : { schema: entry.body, mediaTypes: ['application/json'] };
  const requestBody = body && {
    required: body.required ?? true,
    content: Object.fromEntries(
      body.mediaTypes.map((mediaType) => [
        mediaType,
        {
          schema: schemas.convert(body.schema, 'input'),
          ...('encoding' in body && body.encoding && mediaType === 'multipart/form-data'
            ? { encoding: body.encoding }
            : {}),
          ...(mediaType === 'application/json' && examples?.request !== undefined
            ? { example: examples.request }
            : {}),
        },
      ]),
    ),
  };

  const describeResponse = (status: number, response: ResponseDoc) => {
    const example = examples?.responses[String(status)];
    let content: Record<string, unknown> | undefined;
    if (response.schema) {
      const schema =
        entry.surface === 'applivery' && status < 300
          ? {
              type: 'object',
              required: ['status', 'data'],
              properties: { status: { const: true }, data: schemas.convert(response.schema, 'output') },
              additionalProperties: false,
            }
          : schemas.convert(response.schema, 'output');
      content = { 'application/json': { schema, ...(example !== undefined ? { example } : {}) } };
    } else if (response.content) {
      content = Object.fromEntries(
        Object.entries(response.content).map(([type, schema]) => [type, { schema }]),
      );
    }
    return {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, header]) => [
                name,
                {
                  description: header.description,
                  required: header.required ?? false,
                  schema: header.schema ?? { type: 'string' },
                },
              ]),
            ),
          }
        : {}),
      ...(content ? { content } : {}),
    };
  };

  const errorResponse = (status: number): ResponseDoc => ({
    description: STATUS_TEXT[status] ?? 'Error',
    schema: entry.surface === 'applivery' ? APPLIVERY_ERRORS[status] : ZSpringError,
    ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
  });

  const responses: Record<string, unknown> = {
    [String(entry.response.status ?? 200)]: describeResponse(entry.response.status ?? 200, entry.response),
  };
  for (const [status, response] of Object.entries(entry.otherResponses ?? {}))
    responses[status] = describeResponse(Number(status), response);
  for (const status of [...entry.errors].sort())
    responses[String(status)] = describeResponse(status, errorResponse(status));

  const description = [
    entry.description,
    permission ? `Requires the permission \`${permission}\`.` : undefined,
  ]
    .filter(Boolean)
    .join('\n\n');

  return {
    operationId: entry.operationId,
    tags: entry.tags,
    summary: entry.summary,
    ...(description ? { description } : {}),
    ...(permission ? { 'x-permission': permission } : {}),
    security: entry.security ?? SECURITY[entry.surface],
    ...(pathParameters.length + queryParameters.length + headerParameters.length > 0
      ? { parameters: [...pathParameters, ...queryParameters, ...headerParameters] }
      : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export function buildOpenApiDocument() {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Set<string>();
  for (const entry of OPERATIONS) {
    if (ids.has(entry.operationId)) throw new Error(`operationId ${entry.operationId} is used twice`);
    ids.add(entry.operationId);
    paths[entry.path] ??= {};
    const item = paths[entry.path]!;
    if (item[entry.method]) throw new Error(`${entry.method.toUpperCase()} ${entry.path} is described twice`);
    item[entry.method] = describeOperation(entry, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OTP Access',
      version: '1.0.0',
      description: [
        'The Applivery-compatible OTP users API, the OTP settings controller with its sign-in endpoints, store downloads and the operational endpoints. The typed tRPC API at `/api/trpc` is described by its router, not here.',
        'Error codes of the Applivery-compatible API (`error.code`):',
        Object.entries(ERROR_CODE_MEANINGS)
          .map(([code, meaning]) => `- ${code}: ${meaning}`)
          .join('\n'),
      ].join('\n\n'),
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the organization' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'ins_access_token',
          description: 'The admin session (set by /login); send X-Space with it',
        },
        refreshToken: {
          type: 'apiKey',
          in: 'cookie',
          name: 'ins_refresh_token',
          description: 'The rotating refresh token (set by /login)',
        },
        storeSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'ota_store_session',
          description: "An OTP user's store session (set by a store sign-in)",
        },
      },
    },
  };
}
