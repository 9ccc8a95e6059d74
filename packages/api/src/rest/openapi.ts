import {
  ZCreateOtpUsersBody,
  ZCreateStoreBody,
  ZDataportSettingBody,
  ZDataportSettingView,
  ZListOtpUsersFilter,
  ZLoginBody,
  ZNetgsmSettingBody,
  ZNetgsmSettingView,
  ZOtpSettingView,
  ZOtpUser,
  ZOtpUserPage,
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
import { ZLoginOutput, ZLogoutOutput, ZRefreshSessionInput, ZValidateInput } from '../router/auth/schema';
import { ZDeleteOtpUserOutput } from '../router/otp-user/schema';
import { ZDeleteStoreOutput } from '../router/store/schema';

/**
 * The OpenAPI 3.1 document of both REST surfaces, generated from the zod schemas the procedures
 * validate with (OpenAPI 3.1 speaks JSON Schema 2020-12, which zod emits directly).
 */
type JsonSchema = Record<string, unknown>;

const inputSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};
const outputSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

const appliverySuccess = (data: z.ZodType) => ({
  description: 'Success',
  content: json({
    type: 'object',
    required: ['status', 'data'],
    properties: { status: { const: true }, data: outputSchema(data) },
    additionalProperties: false,
  }),
});

const appliveryError = {
  description:
    'Failure: `error.code` is the product error code (see the README); 6001 names failing fields in `error.data`',
  content: json({
    type: 'object',
    required: ['status', 'error'],
    properties: {
      status: { const: false },
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'integer' }, message: { type: 'string' }, data: { type: 'object' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  }),
};

const springError = {
  description: 'Failure (Spring-style body)',
  content: json({
    type: 'object',
    required: ['timestamp', 'status', 'error', 'message', 'path'],
    properties: {
      timestamp: { type: 'string', format: 'date-time' },
      status: { type: 'integer' },
      error: { type: 'string' },
      message: { type: 'string' },
      path: { type: 'string' },
      errors: { type: 'object', additionalProperties: { type: 'string' } },
    },
    additionalProperties: false,
  }),
};

const errorStatuses = (body: typeof appliveryError | typeof springError, statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), body]));

const objectId = { type: 'string', pattern: '^[a-fA-F0-9]{24}$' };
const pathParam = (name: string, schema: JsonSchema = objectId) => ({
  name,
  in: 'path',
  required: true,
  schema,
});
const orgSlug = pathParam('organizationSlug', { type: 'string' });
const storeId = pathParam('storeId');
const otpUserId = pathParam('otpUserId');
const pageParams = [
  { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
  {
    name: 'limit',
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
];
const listFilterParams = (() => {
  const shape = inputSchema(ZListOtpUsersFilter) as { properties: Record<string, JsonSchema> };
  return Object.entries(shape.properties)
    .filter(([name]) => name !== 'page' && name !== 'limit')
    .map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
})();

const bearer = [{ apiKey: [] }];
const cookieSession = [{ session: [], space: [] }, { apiKey: [] }];
// 503: the database (or the limits store) cannot be reached; the request may be retried.
const APPLIVERY_ERRORS = [400, 401, 403, 404, 409, 429, 500, 503];
const SETTINGS_ERRORS = [400, 401, 403, 404, 429, 500, 503];

function settingsPut(summary: string, body: z.ZodType, view: z.ZodType) {
  return {
    put: {
      tags: ['OTP settings'],
      summary,
      security: cookieSession,
      requestBody: { required: true, content: json(inputSchema(body)) },
      responses: {
        '200': { description: 'The saved setting, secrets masked', content: json(outputSchema(view)) },
        ...errorStatuses(springError, SETTINGS_ERRORS),
      },
    },
  };
}

export function buildOpenApiDocument() {
  const users = '/v1/organizations/{organizationSlug}/stores/{storeId}/otp-users';
  return {
    openapi: '3.1.0',
    info: {
      title: 'OTP Access',
      version: '1.0.0',
      description: 'Applivery-compatible OTP users API and the OTP settings controller.',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the organization' },
        session: { type: 'apiKey', in: 'cookie', name: 'ins_access_token' },
        space: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Space',
          description: 'The active space (organization slug)',
        },
      },
    },
    paths: {
      '/v1/organizations/{organizationSlug}/stores': {
        get: {
          tags: ['Stores'],
          summary: 'List stores',
          security: bearer,
          parameters: [orgSlug, ...pageParams],
          responses: {
            '200': appliverySuccess(ZStorePage),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
        post: {
          tags: ['Stores'],
          summary: 'Create a store',
          description: 'Required permission: mad.store.manage',
          security: bearer,
          parameters: [orgSlug],
          requestBody: { required: true, content: json(inputSchema(ZCreateStoreBody)) },
          responses: {
            '200': appliverySuccess(ZStore),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
      },
      '/v1/organizations/{organizationSlug}/stores/{storeId}': {
        put: {
          tags: ['Stores'],
          summary: 'Rename a store or change its description (fields left out keep their values)',
          description: 'Required permission: mad.store.manage',
          security: bearer,
          parameters: [orgSlug, storeId],
          requestBody: { required: true, content: json(inputSchema(ZUpdateStoreBody)) },
          responses: {
            '200': appliverySuccess(ZStore),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
        delete: {
          tags: ['Stores'],
          summary: 'Delete a store with its published applications, OTP users and downloads',
          description: 'Required permission: mad.store.manage',
          security: bearer,
          parameters: [orgSlug, storeId],
          responses: {
            '200': appliverySuccess(ZDeleteStoreOutput),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
      },
      '/v1/organizations/{organizationSlug}/stores/{storeId}/published-applications': {
        get: {
          tags: ['Stores'],
          summary: 'List published applications of a store',
          security: bearer,
          parameters: [orgSlug, storeId, ...pageParams],
          responses: {
            '200': appliverySuccess(ZPublishedApplicationPage),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
      },
      [users]: {
        get: {
          tags: ['OTP users'],
          summary: 'List OTP users',
          description: 'Required permission: mad.store.otpUsers.list',
          security: bearer,
          parameters: [orgSlug, storeId, ...pageParams, ...listFilterParams],
          responses: {
            '200': appliverySuccess(ZOtpUserPage),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
        post: {
          tags: ['OTP users'],
          summary: 'Create OTP users (one email or many)',
          description: 'Required permission: mad.store.otpUsers.create',
          security: bearer,
          parameters: [orgSlug, storeId],
          requestBody: { required: true, content: json(inputSchema(ZCreateOtpUsersBody)) },
          responses: {
            '200': appliverySuccess(z.array(ZOtpUser)),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
      },
      [`${users}/{otpUserId}`]: {
        get: {
          tags: ['OTP users'],
          summary: 'Get an OTP user',
          description: 'Required permission: mad.store.otpUsers.get',
          security: bearer,
          parameters: [orgSlug, storeId, otpUserId],
          responses: {
            '200': appliverySuccess(ZOtpUser),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
        put: {
          tags: ['OTP users'],
          summary: 'Update an existing OTP user configuration',
          description: 'Required permission: mad.store.otpUsers.update',
          security: bearer,
          parameters: [orgSlug, storeId, otpUserId],
          requestBody: { required: true, content: json(inputSchema(ZUpdateOtpUserBody)) },
          responses: {
            '200': appliverySuccess(ZOtpUser),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
        delete: {
          tags: ['OTP users'],
          summary: 'Delete an OTP user',
          description: 'Required permission: mad.store.otpUsers.remove',
          security: bearer,
          parameters: [orgSlug, storeId, otpUserId],
          responses: {
            '200': appliverySuccess(ZDeleteOtpUserOutput),
            ...errorStatuses(appliveryError, APPLIVERY_ERRORS),
          },
        },
      },
      '/api/otp/settings': {
        get: {
          tags: ['OTP settings'],
          summary: 'Every setting of the space, secrets masked',
          security: cookieSession,
          responses: {
            '200': { description: 'Settings', content: json(outputSchema(z.array(ZOtpSettingView))) },
            ...errorStatuses(springError, SETTINGS_ERRORS),
          },
        },
      },
      '/api/otp/settings/sms/twilio': settingsPut(
        'Save the Twilio SMS setting',
        ZTwilioSettingBody,
        ZTwilioSettingView,
      ),
      '/api/otp/settings/sms/netgsm': settingsPut(
        'Save the NetGSM SMS setting',
        ZNetgsmSettingBody,
        ZNetgsmSettingView,
      ),
      '/api/otp/settings/sms/dataport': settingsPut(
        'Save the Dataport SMS setting',
        ZDataportSettingBody,
        ZDataportSettingView,
      ),
      '/api/otp/settings/mail/default': settingsPut(
        'Save the SMTP mail setting',
        ZSmtpSettingBody,
        ZSmtpSettingView,
      ),
      '/api/otp/settings/test': {
        post: {
          tags: ['OTP settings'],
          summary: 'Send a real test message through the default provider',
          security: cookieSession,
          requestBody: { required: false, content: json(inputSchema(ZTestSendBody.unwrap())) },
          responses: {
            '200': {
              description: 'What happened, attempt by attempt',
              content: json(outputSchema(ZTestSendResult)),
            },
            ...errorStatuses(springError, SETTINGS_ERRORS),
          },
        },
      },
      '/login': {
        post: {
          tags: ['Session'],
          summary: 'Sign in (sets ins_access_token and ins_refresh_token, or asks for a code)',
          requestBody: {
            required: true,
            content: {
              ...json(inputSchema(ZLoginBody)),
              'application/x-www-form-urlencoded': { schema: inputSchema(ZLoginBody) },
            },
          },
          responses: {
            '200': {
              description: 'Signed in, or a code was sent',
              content: json(outputSchema(ZLoginOutput)),
            },
            ...errorStatuses(springError, [400, 401, 403, 429, 503]),
          },
        },
      },
      '/validate': {
        post: {
          tags: ['Session'],
          summary: 'Complete a two-factor sign-in with the code',
          requestBody: { required: true, content: json(inputSchema(ZValidateInput)) },
          responses: {
            '200': { description: 'Signed in', content: json(outputSchema(ZLoginOutput)) },
            ...errorStatuses(springError, [400, 401, 403, 429]),
          },
        },
      },
      '/refresh': {
        post: {
          tags: ['Session'],
          summary: 'Rotate the session cookies (refresh token from the cookie or the body)',
          requestBody: { required: false, content: json(inputSchema(ZRefreshSessionInput.unwrap())) },
          responses: {
            '200': { description: 'Rotated', content: json(outputSchema(ZLoginOutput)) },
            ...errorStatuses(springError, [400, 401, 403]),
          },
        },
      },
      '/logout': {
        post: {
          tags: ['Session'],
          summary: 'End the session and clear its cookies',
          responses: {
            '200': { description: 'Signed out', content: json(outputSchema(ZLogoutOutput)) },
            ...errorStatuses(springError, [403]),
          },
        },
      },
    },
  };
}
