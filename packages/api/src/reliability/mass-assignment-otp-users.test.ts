/**
 * Mass assignment on OTP users (both surfaces) and on the Applivery lists' query strings.
 * The shared fixture is in mass-assignment-support.ts.
 */
import { describe, expect, it } from 'vitest';
import { testDb } from '../testing/fixtures';
import { CHECKSUMMED_TABLES, type RowChecksums } from '../testing/row-checksums';
// Each mass-assignment file takes the same pieces of the shared fixture, so their imports look alike.
import {
  bearer,
  checksumBoth,
  figures,
  freshEmail,
  oneByOne,
  other,
  otpUserExtras,
  own,
  ownCallers,
  ownUserId,
  readOtpUser,
  refused,
  send,
  trpcFailure,
  useMassAssignment,
} from './mass-assignment-support';

// Every mass-assignment file starts the same way: the shared server, then its own describe.
useMassAssignment('mass-assignment, OTP users and list queries');

describe('mass assignment: OTP users', () => {
  it('Applivery POST otp-users refuses every extra field, and creates no one', async () => {
    const path = `/v1/organizations/${own.slug}/stores/${own.storeId}/otp-users`;
    for (const [field, extra] of oneByOne(otpUserExtras())) {
      const email = freshEmail();
      const got = await refused(`POST otp-users + ${field}`, () =>
        send('POST', path, bearer(own.apiKey), {
          email,
          publishedApplicationId: own.publishedApplicationId,
          ...extra,
        }),
      );
      expect(got.status, field).toBe(400);
      expect(got.body.error, field).toMatchObject({
        code: 6001,
        message: 'Database Validation Error',
        data: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
      });
      figures.rowsReadBack++;
      expect(await testDb().otpUser.count({ where: { email } }), field).toBe(0);
    }
  });

  it('Applivery PUT otp-user refuses every extra field, and the row stays as it was', async () => {
    const path = `/v1/organizations/${own.slug}/stores/${own.storeId}/otp-users/${ownUserId}`;
    const extras = {
      ...otpUserExtras(),
      publishedApplicationId: other.publishedApplicationId,
      email: freshEmail(),
    };
    for (const [field, extra] of oneByOne(extras)) {
      const before = await readOtpUser(ownUserId);
      const got = await refused(`PUT otp-user + ${field}`, () =>
        send('PUT', path, bearer(own.apiKey), { allowedDownloadsNum: 42, ...extra }),
      );
      expect(got.status, field).toBe(400);
      expect(got.body.error, field).toMatchObject({
        code: 6001,
        data: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
      });
      expect(await readOtpUser(ownUserId), field).toEqual(before);
    }
  });

  it('tRPC otpUser.create refuses extra fields in the body and beside it', async () => {
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of oneByOne(otpUserExtras())) {
        const email = freshEmail();
        const what = `otpUser.create as ${who} + data.${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.otpUser.create({
              storeId: own.storeId,
              data: { email, publishedApplicationId: own.publishedApplicationId, ...extra } as never,
            }),
          ),
        );
        expect(got, what).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra).map((key) => `data.${key}`),
        });
        figures.rowsReadBack++;
        expect(await testDb().otpUser.count({ where: { email } }), what).toBe(0);
      }
      const email = freshEmail();
      const what = `otpUser.create as ${who} + organizationId beside the body`;
      const got = await refused(what, () =>
        trpcFailure(() =>
          caller.otpUser.create({
            storeId: own.storeId,
            organizationId: other.id,
            data: { email, publishedApplicationId: own.publishedApplicationId },
          } as never),
        ),
      );
      expect(got, what).toEqual({ status: 400, code: 6001, fields: ['organizationId'] });
      expect(await testDb().otpUser.count({ where: { email } }), what).toBe(0);
    }
  });

  it('tRPC otpUser.update refuses extra fields, and the row stays as it was', async () => {
    const extras = {
      ...otpUserExtras(),
      publishedApplicationId: other.publishedApplicationId,
      email: freshEmail(),
    };
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of [
        ...oneByOne(extras),
        ['organizationId beside the body', { organizationId: other.id }] as const,
      ]) {
        const beside = field === 'organizationId beside the body';
        const before = await readOtpUser(ownUserId);
        const what = `otpUser.update as ${who} + ${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.otpUser.update({
              storeId: own.storeId,
              otpUserId: ownUserId,
              data: { allowedDownloadsNum: 42, ...(beside ? {} : extra) },
              ...(beside ? extra : {}),
            } as never),
          ),
        );
        expect(got, what).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra).map((key) => (beside ? key : `data.${key}`)),
        });
        expect(await readOtpUser(ownUserId), what).toEqual(before);
      }
    }
  });
});

describe('mass assignment: query strings of the Applivery lists', () => {
  it('an organizationId in the query is refused; a storeId in the query never replaces the path', async () => {
    const organization = `/v1/organizations/${own.slug}`;
    const lists = [
      `${organization}/stores`,
      `${organization}/stores/${own.storeId}/published-applications`,
      `${organization}/stores/${own.storeId}/otp-users`,
    ];
    for (const path of lists) {
      const got = await refused(`GET ${path}?organizationId`, () =>
        send('GET', `${path}?organizationId=${other.id}`, bearer(own.apiKey), undefined),
      );
      expect(got.status, path).toBe(400);
      expect(got.body.error, path).toMatchObject({ code: 6001, data: { organizationId: 'Unknown field' } });
    }
    for (const path of lists.slice(1)) {
      const got = await refused(`GET ${path}?storeId`, () =>
        send('GET', `${path}?storeId=${other.storeId}`, bearer(own.apiKey), undefined),
      );
      expect(got.status, path).toBe(200);
      const items = (got.body.data as { items: Record<string, unknown>[] }).items;
      expect(items.length, path).toBeGreaterThan(0);
      for (const item of items) {
        expect(item.storeId ?? own.storeId, path).toBe(own.storeId);
        expect(JSON.stringify(item), path).not.toContain(other.storeId);
      }
    }
  });
});

describe('mass assignment: figures', () => {
  it('covered every checksummed table and recorded what it did', async () => {
    const checksums: RowChecksums = await checksumBoth();
    expect(Object.keys(checksums).sort()).toEqual([...CHECKSUMMED_TABLES].sort());
    expect(figures.refused).toBeGreaterThan(0);
  });
});
