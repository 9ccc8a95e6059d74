/**
 * The REST APIs through a client generated from the OpenAPI document (openapi-typescript types +
 * openapi-fetch): no hand-written types, no casts. Paths, parameters, bodies, answers and each
 * error's `data` are checked by the compiler against `schema.d.ts`.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type OtpUser = components['schemas']['OtpUser'];
export type DeliverySetting = components['schemas']['DeliverySetting'];

export function createRestClient(baseUrl: string, headers: Record<string, string> = {}) {
  return createClient<paths>({ baseUrl, headers });
}
type RestClient = ReturnType<typeof createRestClient>;

/** An error answer of either surface (Applivery envelope or Spring-style body), as a sentence. */
function failure(
  what: string,
  body: { status: false; error: { code: number; message: string } } | { status: number; message: string },
) {
  const detail =
    body.status === false ? `${body.error.code} ${body.error.message}` : `${body.status} ${body.message}`;
  return new Error(`${what}: ${detail}`);
}

/**
 * The Applivery-compatible API with an API key: find the store and its application, add an OTP
 * user, see a conflict, change the allowance, read it back, remove it. Leaves nothing behind.
 */
export async function appliveryFlow(
  client: RestClient,
  organizationSlug: string,
  email = `openapi-example-${Date.now()}@example.com`,
) {
  const stores = await client.GET('/v1/organizations/{organizationSlug}/stores', {
    params: { path: { organizationSlug }, query: { page: 1, limit: 10 } },
  });
  if (stores.error) throw failure('List stores', stores.error);
  const store = stores.data.data.items[0];
  if (!store) throw new Error('This organization has no store.');
  const path = { organizationSlug, storeId: store.id };

  const apps = await client.GET(
    '/v1/organizations/{organizationSlug}/stores/{storeId}/published-applications',
    {
      params: { path },
    },
  );
  if (apps.error) throw failure('List published applications', apps.error);
  const app = apps.data.data.items[0];
  if (!app) throw new Error(`${store.name} has no published application.`);

  const users = '/v1/organizations/{organizationSlug}/stores/{storeId}/otp-users';
  const created = await client.POST(users, {
    params: { path },
    body: { email, publishedApplicationId: app.id, allowedDownloadsNum: 3 },
  });
  if (created.error) throw failure('Create an OTP user', created.error);
  const [user] = created.data.data;
  if (!user) throw new Error('The server created no OTP user.');

  // Creating it again is a conflict; the error names the emails that exist (typed per code).
  const again = await client.POST(users, {
    params: { path },
    body: { email, publishedApplicationId: app.id },
  });
  const existing = again.error?.error.code === 5001 ? (again.error.error.data?.emails ?? []) : [];

  const one = { params: { path: { ...path, otpUserId: user.id } } };
  const updated = await client.PUT(`${users}/{otpUserId}`, { ...one, body: { allowedDownloadsNum: -1 } });
  if (updated.error) throw failure('Update the OTP user', updated.error);
  const read = await client.GET(`${users}/{otpUserId}`, one);
  if (read.error) throw failure('Get the OTP user', read.error);

  // A bad value (a fraction: any negative is a valid "unlimited") is a 6001 naming the field.
  const invalid = await client.PUT(`${users}/{otpUserId}`, { ...one, body: { allowedDownloadsNum: 1.5 } });
  const fieldErrors = invalid.error?.error.code === 6001 ? (invalid.error.error.data ?? {}) : {};

  const removed = await client.DELETE(`${users}/{otpUserId}`, one);
  if (removed.error) throw failure('Delete the OTP user', removed.error);
  const gone = await client.GET(`${users}/{otpUserId}`, one);

  return {
    store: store.name,
    application: `${app.name} ${app.version}`,
    created: user,
    conflictEmails: existing,
    allowance: read.data.data.allowedDownloadsNum,
    fieldErrors,
    deleted: removed.data.data.delete,
    afterDelete: gone.response.status,
  };
}

/**
 * The settings API with an admin session: sign in, list the space's delivery settings, save the
 * mail setting as it is (a PUT merges, so fields left out keep their values), send a test
 * message, sign out. Needs a mail setting in the space.
 */
export async function settingsFlow(
  baseUrl: string,
  account: { username: string; password: string; space: string },
) {
  const client = createRestClient(baseUrl);
  const login = await client.POST('/login', {
    body: { username: account.username, password: account.password },
  });
  if (login.error) throw failure('Sign in', login.error);
  if ('otp_required' in login.data)
    throw new Error(`This account signs in with a ${login.data.otp_type} code.`);
  // Node's fetch keeps no cookies: carry the two session cookies by hand.
  const cookie = login.response.headers
    .getSetCookie()
    .map((setCookie) => setCookie.split(';')[0])
    .join('; ');
  const session = { params: { header: { 'X-Space': account.space } }, headers: { cookie } };

  const listed = await client.GET('/api/otp/settings', session);
  if (listed.error) throw failure('List settings', listed.error);
  const mail = listed.data.find((setting) => setting.provider === 'DEFAULT');
  if (!mail) throw new Error(`Space ${account.space} has no mail setting.`);

  const saved = await client.PUT('/api/otp/settings/mail/default', {
    ...session,
    body: { isDefault: mail.isDefault, type: 'MAIL', provider: 'DEFAULT' },
  });
  if (saved.error) throw failure('Save the mail setting', saved.error);

  const sent = await client.POST('/api/otp/settings/test', { ...session, body: { type: 'MAIL' } });
  if (sent.error) throw failure('Send a test message', sent.error);

  const loggedOut = await client.POST('/logout', { headers: { cookie } });
  if (loggedOut.error) throw failure('Sign out', loggedOut.error);

  return {
    spaces: login.data.spaces.map((space) => `${space.slug} (${space.role})`),
    settings: listed.data.map(
      (setting) => `${setting.type}/${setting.provider}${setting.isDefault ? ' (default)' : ''}`,
    ),
    mailHost: saved.data.smtpHost,
    passwordKept: saved.data.passwordSet,
    delivered: sent.data.delivered,
    recipient: sent.data.recipient,
    attempts: sent.data.attempts.map((attempt) => `${attempt.provider}: ${attempt.status}`),
  };
}
