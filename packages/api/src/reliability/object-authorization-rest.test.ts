/**
 * Object-level authorization of the REST routes (Applivery and OTP settings): A's credentials
 * with B's ids get the refusal a missing id gets, and change nothing. The shared fixture is in
 * object-authorization-support.ts.
 */
import type { Permission } from '@otp-access/validators';
import { describe, expect, it } from 'vitest';
import { sessionCookieFor } from '../testing/fixtures';
// Both surfaces' files take the same pieces of the shared fixture, so their imports look alike.
import {
  type Credential,
  comparableToMissing,
  credentials,
  EMPTY_PAGE,
  expected,
  foreign,
  freshEmail,
  type Ids,
  label,
  missingIds,
  NOT_FOUND,
  own,
  type Scope,
  send,
  unchanged,
  useObjectAuthorization,
  withoutTimestamp,
} from './object-authorization-support';

useObjectAuthorization('object-authorization, REST routes');

interface RestCase {
  name: string;
  permission: Permission;
  scopes: readonly Scope[];
  /** What a caller holding the permission gets in that scope (default 404). */
  held?: Partial<Record<Scope, 'emptyPage'>>;
  request: (slug: string, storeId: string, ids: Ids) => { method: string; path: string; body?: unknown };
}

const ALL_SCOPES = ['organization', 'store', 'object'] as const;
const otpUsers = (slug: string, storeId: string) => `/v1/organizations/${slug}/stores/${storeId}/otp-users`;

// One entry per route, written out: the table is what a reader checks.
// One entry per route on purpose: each reads as the request it sends, alike in shape only.
const restCases: RestCase[] = [
  {
    name: 'GET /v1/organizations/{slug}/stores',
    permission: 'mad.store.otpUsers.list',
    scopes: ['organization'],
    request: (slug) => ({ method: 'GET', path: `/v1/organizations/${slug}/stores` }),
  },
  {
    name: 'GET published-applications',
    permission: 'mad.store.otpUsers.list',
    scopes: ['organization', 'store'],
    request: (slug, storeId) => ({
      method: 'GET',
      path: `/v1/organizations/${slug}/stores/${storeId}/published-applications`,
    }),
  },
  {
    name: 'GET otp-users',
    permission: 'mad.store.otpUsers.list',
    scopes: ALL_SCOPES,
    held: { object: 'emptyPage' },
    request: (slug, storeId, ids) => ({
      method: 'GET',
      path: `${otpUsers(slug, storeId)}?publishedApplicationId=${ids.publishedApplicationId}`,
    }),
  },
  {
    name: 'POST otp-users',
    permission: 'mad.store.otpUsers.create',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'POST',
      path: otpUsers(slug, storeId),
      body: { email: freshEmail(), publishedApplicationId: ids.publishedApplicationId },
    }),
  },
  {
    name: 'GET otp-user',
    permission: 'mad.store.otpUsers.get',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({ method: 'GET', path: `${otpUsers(slug, storeId)}/${ids.otpUserId}` }),
  },
  {
    name: 'PUT otp-user',
    permission: 'mad.store.otpUsers.update',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'PUT',
      path: `${otpUsers(slug, storeId)}/${ids.otpUserId}`,
      body: { allowedDownloadsNum: 999 },
    }),
  },
  {
    name: 'DELETE otp-user',
    permission: 'mad.store.otpUsers.remove',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'DELETE',
      path: `${otpUsers(slug, storeId)}/${ids.otpUserId}`,
    }),
  },
];

async function credentialHeaders(credential: Credential): Promise<Headers> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (credential.kind === 'apiKey') headers.set('authorization', `Bearer ${own.apiKey}`);
  else headers.set('cookie', await sessionCookieFor(own.members[credential.role].userId));
  return headers;
}

function restExpected(credential: Credential, scope: Scope, op: RestCase) {
  const want = expected(
    credential,
    scope,
    op.permission,
    op.held?.[scope] === 'emptyPage' ? EMPTY_PAGE : NOT_FOUND,
  );
  if (want.ok) {
    return {
      status: 200,
      body: { status: true, data: expect.objectContaining({ items: [], totalDocs: 0 }) },
    };
  }
  return {
    status: want.status,
    body: { status: false, error: expect.objectContaining({ code: want.code }) },
  };
}

describe('object-level authorization: Applivery REST routes', () => {
  for (const op of restCases) {
    it(op.name, async () => {
      for (const credential of credentials) {
        const headers = await credentialHeaders(credential);
        for (const scope of op.scopes) {
          const what = `${op.name} as ${label(credential)}, ${scope} of B`;
          const call = (ids: Ids) => {
            const slug = scope === 'organization' ? ids.slug : own.slug;
            const storeId = scope === 'object' ? own.storeId : ids.storeId;
            const { method, path, body } = op.request(slug, storeId, ids);
            return send(
              new Request(`http://localhost${path}`, {
                method,
                headers,
                ...(body ? { body: JSON.stringify(body) } : {}),
              }),
            );
          };
          const got = await unchanged(what, () => call(foreign));
          const forMissing = await unchanged(what, () => call(missingIds()));
          expect(got, what).toMatchObject(restExpected(credential, scope, op));
          if (comparableToMissing(credential, scope)) {
            expect(got, `${what}: reads exactly like a missing id`).toEqual(forMissing);
          }
        }
      }
    });
  }
});

const settingsBodies: Record<string, unknown> = {
  '/api/otp/settings/sms/twilio': {
    isDefault: true,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: 'taken-over',
    twilioNumber: '+15005550006',
  },
  '/api/otp/settings/sms/netgsm': {
    isDefault: true,
    type: 'SMS',
    provider: 'NETGSM',
    username: 'attacker',
    password: 'taken-over',
    header: 'EVIL',
  },
  '/api/otp/settings/sms/dataport': {
    isDefault: true,
    type: 'SMS',
    provider: 'DATAPORT',
    username: 'attacker',
    password: 'taken-over',
    accountNumber: '1',
    originator: 'EVIL',
  },
  '/api/otp/settings/mail/default': {
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: 'smtp.attacker.example',
    smtpPort: 25,
    transportStrategy: 'SMTP',
    fromAddress: 'evil@attacker.example',
  },
  '/api/otp/settings/test': { type: 'MAIL', to: 'evil@attacker.example' },
};

describe('object-level authorization: OTP settings REST routes (X-Space of B)', () => {
  const routes = [
    { method: 'GET', path: '/api/otp/settings' },
    ...Object.keys(settingsBodies).map((path) => ({ method: path.endsWith('/test') ? 'POST' : 'PUT', path })),
  ];
  for (const { method, path } of routes) {
    it(`${method} ${path}`, async () => {
      for (const credential of credentials) {
        const what = `${method} ${path} as ${label(credential)} in B's space`;
        const call = async (slug: string) => {
          const headers = await credentialHeaders(credential);
          headers.set('x-space', slug);
          const body = settingsBodies[path];
          return send(
            new Request(`http://localhost${path}`, {
              method,
              headers,
              ...(body ? { body: JSON.stringify(body) } : {}),
            }),
          );
        };
        const got = await unchanged(what, () => call(foreign.slug));
        const forMissing = await unchanged(what, () => call(missingIds().slug));
        const want = expected(credential, 'organization', 'otp.settings.read', NOT_FOUND);
        const status = want.ok ? 200 : want.status;
        expect({ status: got.status, bodyStatus: got.body?.status }, what).toEqual({
          status,
          bodyStatus: status,
        });
        if (comparableToMissing(credential, 'organization')) {
          expect(withoutTimestamp(got.body), `${what}: reads exactly like a missing space`).toEqual(
            withoutTimestamp(forMissing.body),
          );
        }
      }
    });
  }
});
