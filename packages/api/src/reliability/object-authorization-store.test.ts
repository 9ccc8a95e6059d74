/**
 * Object-level authorization of store sign-in and downloads, and of every list of A's space:
 * nothing of B is reachable or shown. The shared fixture is in object-authorization-support.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Permission } from '@otp-access/validators';
import { describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { STORE_SESSION_COOKIE } from '../services/store-access';
import { callerFor, testDb, testKeyring, testLimits, testSession } from '../testing/fixtures';
import { CLIENT_IP_HEADER, createTRPCContext } from '../trpc';
import {
  anyForeignValue,
  callerWith,
  credentials,
  foreign,
  freshEmail,
  holds,
  type Ids,
  label,
  missingIds,
  outcomeOf,
  own,
  ownCode,
  resetBaseline,
  send,
  sharedEmail,
  unchanged,
  useObjectAuthorization,
  withoutTimestamp,
} from './object-authorization-support';

useObjectAuthorization('object-authorization, store access and lists');

function storeCaller(cookie?: string, resHeaders = new Headers()) {
  const headers = new Headers({ [CLIENT_IP_HEADER]: `2001:db8::${randomBytes(4).toString('hex')}` });
  if (cookie) headers.set('cookie', cookie);
  return createCaller(
    createTRPCContext({
      db: testDb(),
      session: testSession,
      keyring: testKeyring,
      limits: testLimits(),
      headers,
      resHeaders,
    }),
  );
}

describe('object-level authorization: store sign-in and downloads', () => {
  let storeCookie: string;

  it("a code of A's store does not open B's store for the same email", async () => {
    const what = "verifyCode in B's store with A's code";
    const got = await unchanged(what, () =>
      outcomeOf(() =>
        storeCaller().storeAccess.verifyCode({ storeId: foreign.storeId, email: sharedEmail, code: ownCode }),
      ),
    );
    const forMissing = await unchanged(what, () =>
      outcomeOf(() =>
        storeCaller().storeAccess.verifyCode({
          storeId: missingIds().storeId,
          email: sharedEmail,
          code: ownCode,
        }),
      ),
    );
    expect(got).toEqual({ ok: false, status: 401, code: 4001, message: 'Invalid or expired code' });
    expect(got).toEqual(forMissing);

    // The refused try neither used up nor spent a try of A's code: it still signs in, in A's store.
    const lastSignIn = (storeId: string) =>
      testDb()
        .otpUser.findFirstOrThrow({ where: { storeId, email: sharedEmail }, select: { lastLoginDate: true } })
        .then((user) => user.lastLoginDate);
    const foreignBefore = await lastSignIn(foreign.storeId);
    const resHeaders = new Headers();
    await storeCaller(undefined, resHeaders).storeAccess.verifyCode({
      storeId: own.storeId,
      email: sharedEmail,
      code: ownCode,
    });
    const cookie = resHeaders.getSetCookie().find((c) => c.startsWith(`${STORE_SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    storeCookie = cookie!.split(';')[0]!;
    // The sign-in is stamped on A's user only: B's user of the same email keeps its date.
    expect(await lastSignIn(own.storeId)).toBeInstanceOf(Date);
    expect(await lastSignIn(foreign.storeId)).toEqual(foreignBefore);
    await resetBaseline();
  });

  it("a store session of A lists only A's apps", async () => {
    const apps = await unchanged('storeAccess.apps', () => storeCaller(storeCookie).storeAccess.apps());
    expect(apps.store.id).toBe(own.storeId);
    expect(apps.apps.map((a) => a.publishedApplicationId)).toEqual([own.publishedApplicationId]);
    expect(JSON.stringify(apps)).not.toMatch(anyForeignValue());
  });

  it("requesting a code in B's store for an email only A has issues nothing", async () => {
    const onlyOwnEmail = freshEmail();
    await callerFor(own.apiKey).otpUser.create({
      storeId: own.storeId,
      data: { email: onlyOwnEmail, publishedApplicationId: own.publishedApplicationId },
    });
    await resetBaseline();
    // The store page is public (storeAccess.store names it), so the answer is the usual "sent".
    const got = await unchanged("requestCode in B's store", () =>
      storeCaller().storeAccess.requestCode({ storeId: foreign.storeId, email: onlyOwnEmail }),
    );
    expect(got.status).toBe('sent');
  });

  it("downloads with A's store session never reach B's published applications", async () => {
    const download = (storeId: string, publishedApplicationId: string) =>
      send(
        new Request(`http://localhost/api/store/${storeId}/apps/${publishedApplicationId}/download`, {
          headers: { cookie: storeCookie, 'sec-fetch-site': 'same-origin' },
        }),
      );
    const variants: { name: string; ids: (ids: Ids) => [string, string] }[] = [
      { name: "A's store, B's app", ids: (ids) => [own.storeId, ids.publishedApplicationId] },
      { name: "B's store, B's app", ids: (ids) => [ids.storeId, ids.publishedApplicationId] },
      { name: "B's store, A's app", ids: (ids) => [ids.storeId, own.publishedApplicationId] },
    ];
    for (const variant of variants) {
      const what = `download: ${variant.name}`;
      const got = await unchanged(what, () => download(...variant.ids(foreign)));
      const forMissing = await unchanged(what, () => download(...variant.ids(missingIds())));
      expect(got.status, what).toBe(404);
      expect(got.body, what).toMatchObject({ status: 404, message: 'Entity not found' });
      expect(withoutTimestamp(got.body), `${what}: reads exactly like a missing id`).toEqual(
        withoutTimestamp(forMissing.body),
      );
    }
  });
});

describe('object-level authorization: lists of A never show B', () => {
  it("every list of A's space, under every credential", async () => {
    for (const credential of credentials) {
      const caller = await callerWith(credential, own.slug);
      const lists: [string, Permission, () => Promise<unknown>][] = [
        ['store.list', 'mad.store.otpUsers.list', () => caller.store.list({ page: 1, limit: 100 })],
        [
          'publishedApplication.list',
          'mad.store.otpUsers.list',
          () => caller.publishedApplication.list({ storeId: own.storeId, page: 1, limit: 100 }),
        ],
        [
          'otpUser.list',
          'mad.store.otpUsers.list',
          () =>
            caller.otpUser.list({
              storeId: own.storeId,
              email: sharedEmail.slice(0, 12),
              page: 1,
              limit: 100,
            }),
        ],
        ['apiKey.list', 'org.apiKeys.manage', () => caller.apiKey.list()],
        ['member.list', 'org.members.read', () => caller.member.list()],
        ['audit.list', 'org.audit.read', () => caller.audit.list({ page: 1, limit: 100 })],
        ['deliveryLog.list', 'otp.settings.read', () => caller.deliveryLog.list({ page: 1, limit: 100 })],
        ['otpSettings.list', 'otp.settings.read', () => caller.otpSettings.list()],
      ];
      for (const [name, permission, list] of lists) {
        const what = `${name} as ${label(credential)}`;
        const got = await unchanged(what, () => outcomeOf(list));
        expect(got.ok, what).toBe(holds(credential, permission));
        expect(JSON.stringify(got), what).not.toMatch(anyForeignValue());
      }
    }
  });
});
