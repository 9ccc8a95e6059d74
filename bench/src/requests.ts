import { CODE, DEMO_KEY, OTHER_KEY } from './config';
import type { BenchDatabase } from './database';
import type { RequestFactory } from './load';

export type SampledUser = { id: string; email: string };

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * The requests of every scenario, sent alike to the app and to its bare reference (which answers
 * the same paths): users picked at random from samples of the stores.
 */
export function benchRequests(
  database: BenchDatabase,
  bigSample: readonly SampledUser[],
  smallSample: readonly SampledUser[],
) {
  const demoAuth = { authorization: `Bearer ${DEMO_KEY}` };
  const otherAuth = { authorization: `Bearer ${OTHER_KEY}` };
  const otpUsersPath = (slug: string, storeId: string) =>
    `/v1/organizations/${slug}/stores/${storeId}/otp-users`;
  const bigUsers = otpUsersPath(database.big.organizationSlug, database.big.storeId);

  /** An admin looking a user up by part of the address: the local part, which matches one user. */
  const emailSearch =
    (usersPath: string, headers: Record<string, string>, sample: readonly SampledUser[]): RequestFactory =>
    () => ({
      method: 'GET',
      path: `${usersPath}?email=${encodeURIComponent(`${pick(sample).email.split('@')[0]}@`)}&limit=20`,
      headers,
    });

  let nextCode = 0;
  // Never restarted: an address is never reused within a run, so the verify-per-address limit
  // (60 in 10 minutes) is not what the verify windows measure, however many there are.
  let nextAddress = 0;
  return {
    put: (() => ({
      method: 'PUT',
      path: `${bigUsers}/${pick(bigSample).id}`,
      headers: demoAuth,
      body: JSON.stringify({ allowedDownloadsNum: Math.floor(Math.random() * 100) }),
    })) as RequestFactory,
    getOne: (() => ({
      method: 'GET',
      path: `${bigUsers}/${pick(bigSample).id}`,
      headers: demoAuth,
    })) as RequestFactory,
    emailSearchBig: emailSearch(bigUsers, demoAuth, bigSample),
    emailSearchSmall: emailSearch(
      otpUsersPath(database.small.organizationSlug, database.small.storeId),
      otherAuth,
      smallSample,
    ),
    listPage: (() => ({
      method: 'GET',
      path: `/api/trpc/otpUser.list?input=${encodeURIComponent(
        JSON.stringify({
          storeId: database.big.storeId,
          page: 1 + Math.floor(Math.random() * 50),
          limit: 20,
        }),
      )}`,
      headers: demoAuth,
    })) as RequestFactory,
    /** The REST list in its default order, a random page 1–50 (the in-process comparison with `listPage`). */
    restListPage: (() => ({
      method: 'GET',
      path: `${bigUsers}?page=${1 + Math.floor(Math.random() * 50)}&limit=20`,
      headers: demoAuth,
    })) as RequestFactory,
    /** The list sorted by allowance (unlimited first or last), a random page 1–50, either direction. */
    sortAllowance: (() => ({
      method: 'GET',
      path: `${bigUsers}?page=${1 + Math.floor(Math.random() * 50)}&limit=20&sort=allowedDownloadsNum:${
        Math.random() < 0.5 ? 'asc' : 'desc'
      }`,
      headers: demoAuth,
    })) as RequestFactory,
    /** Spends the live code of the next sampled user: codes must be issued before each window. */
    verify: (() => {
      const user = bigSample[nextCode++ % bigSample.length]!;
      const address = ++nextAddress;
      return {
        method: 'POST',
        path: '/api/trpc/storeAccess.verifyCode',
        // Store visitors come from many addresses; the per-address verify limit is not what this measures.
        headers: {
          'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
        },
        body: JSON.stringify({ storeId: database.big.storeId, email: user.email, code: CODE }),
      };
    }) as RequestFactory,
    /** Restarts the verify requests at the first sampled user (after codes were issued again). */
    resetCodes() {
      nextCode = 0;
    },
  };
}
