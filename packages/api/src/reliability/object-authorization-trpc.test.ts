/**
 * Object-level authorization of every tRPC procedure that takes an id: A's credentials with B's
 * ids get the refusal a missing id gets, and change nothing. The shared fixture is in
 * object-authorization-support.ts.
 */
import type { Permission } from '@otp-access/validators';
import { describe, expect, it } from 'vitest';
// The same support as object-authorization-rest.test.ts: one check, run over REST and over tRPC.
// Both surfaces' files take the same pieces of the shared fixture, so their imports look alike.
import {
  anyForeignValue,
  type Caller,
  callerWith,
  comparableToMissing,
  credentials,
  EMPTY_PAGE,
  type Expected,
  expected,
  foreign,
  freshEmail,
  type Ids,
  label,
  missingIds,
  NOT_FOUND,
  outcomeOf,
  own,
  unchanged,
  useObjectAuthorization,
} from './object-authorization-support';

useObjectAuthorization('object-authorization, tRPC procedures');

interface TrpcCase {
  name: string;
  permission: Permission;
  /** What a caller holding the permission gets for B's object in A's space. */
  held?: Expected;
  /** A's own store, or the store of `ids`. */
  store: 'own' | 'ids';
  call: (caller: Caller, ids: Ids, storeId: string) => Promise<unknown>;
}

const trpcCases: TrpcCase[] = [
  {
    name: 'apiKey.revoke',
    permission: 'org.apiKeys.manage',
    store: 'own',
    call: (c, ids) => c.apiKey.revoke({ id: ids.apiKeyId }),
  },
  {
    name: 'member.changeRole',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.changeRole({ userId: ids.lockedMemberId, role: 'OWNER' }),
  },
  {
    name: 'member.remove',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.remove({ userId: ids.memberId }),
  },
  {
    name: 'member.unlock',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.unlock({ userId: ids.lockedMemberId }),
  },
  ...(['own', 'ids'] as const).flatMap((store): TrpcCase[] => [
    {
      name: `otpUser.byId (${store} store)`,
      permission: 'mad.store.otpUsers.get',
      store,
      call: (c, ids, storeId) => c.otpUser.byId({ storeId, otpUserId: ids.otpUserId }),
    },
    {
      name: `otpUser.downloads (${store} store)`,
      permission: 'mad.store.otpUsers.get',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.downloads({ storeId, otpUserId: ids.otpUserId, page: 1, limit: 5 }),
    },
    {
      name: `otpUser.update (${store} store)`,
      permission: 'mad.store.otpUsers.update',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.update({ storeId, otpUserId: ids.otpUserId, data: { allowedDownloadsNum: 999 } }),
    },
    {
      name: `otpUser.delete (${store} store)`,
      permission: 'mad.store.otpUsers.remove',
      store,
      call: (c, ids, storeId) => c.otpUser.delete({ storeId, otpUserId: ids.otpUserId }),
    },
    {
      name: `otpUser.create with B's published application (${store} store)`,
      permission: 'mad.store.otpUsers.create',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.create({
          storeId,
          data: { email: freshEmail(), publishedApplicationId: ids.publishedApplicationId },
        }),
    },
  ]),
  {
    name: 'otpUser.list (B store)',
    permission: 'mad.store.otpUsers.list',
    store: 'ids',
    call: (c, _ids, storeId) => c.otpUser.list({ storeId, page: 1, limit: 5 }),
  },
  {
    name: "otpUser.list filtered by B's published application",
    permission: 'mad.store.otpUsers.list',
    // A filter, not an address: the list of A's store, with nothing matching.
    held: EMPTY_PAGE,
    store: 'own',
    call: (c, ids, storeId) =>
      c.otpUser.list({ storeId, publishedApplicationId: ids.publishedApplicationId, page: 1, limit: 5 }),
  },
  {
    name: 'publishedApplication.list (B store)',
    permission: 'mad.store.otpUsers.list',
    store: 'ids',
    call: (c, _ids, storeId) => c.publishedApplication.list({ storeId, page: 1, limit: 5 }),
  },
];

describe('object-level authorization: tRPC procedures', () => {
  for (const op of trpcCases) {
    it(op.name, async () => {
      for (const credential of credentials) {
        for (const scope of ['organization', op.store === 'ids' ? 'store' : 'object'] as const) {
          const what = `${op.name} as ${label(credential)}, ${scope} of B`;
          const missing = missingIds();
          const spaceOf = (ids: Ids) => (scope === 'organization' ? ids.slug : own.slug);
          const storeOf = (ids: Ids) =>
            op.store === 'ids' || scope === 'organization' ? ids.storeId : own.storeId;
          const [foreignCaller, missingCaller] = await Promise.all([
            callerWith(credential, spaceOf(foreign)),
            callerWith(credential, spaceOf(missing)),
          ]);
          const got = await unchanged(what, () =>
            outcomeOf(() => op.call(foreignCaller, foreign, storeOf(foreign))),
          );
          const forMissing = await unchanged(what, () =>
            outcomeOf(() => op.call(missingCaller, missing, storeOf(missing))),
          );
          expect(got, what).toMatchObject(expected(credential, scope, op.permission, op.held ?? NOT_FOUND));
          if (comparableToMissing(credential, scope)) {
            expect(got, `${what}: reads exactly like a missing id`).toEqual(forMissing);
          }
          expect(JSON.stringify(got), `${what}: no id of B in the answer`).not.toMatch(anyForeignValue());
        }
      }
    });
  }
});
