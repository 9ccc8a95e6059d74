import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, describeError, ErrorCode } from './errors';
import { createAppliveryHandler } from './rest/applivery';
import {
  createTestOrganization,
  sessionCookieFor,
  type TestOrganization,
  testDb,
  testSession,
} from './testing/fixtures';
import {
  createTRPCContext,
  organizationProcedure,
  publicProcedure,
  runProcedure,
  sameSiteProcedure,
} from './trpc';

/**
 * The REST surfaces run plain organization procedures without tRPC's middleware chain. These
 * pin that they get the same answers as through tRPC, and that a procedure with a middleware of
 * its own still has it run.
 */

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

const contextFor = (key: string, requestedSpace: string | null = null) =>
  createTRPCContext({
    db: testDb(),
    session: testSession,
    headers: new Headers({ authorization: `Bearer ${key}` }),
    requestedSpace,
  });

const ZEcho = z.object({ text: z.string().min(1, 'Say something') });

/** Answers with the organization it ran in, and a field its output schema does not allow out. */
const echo = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.get' })
  .input(ZEcho)
  .output(z.object({ text: z.string(), organizationId: z.string() }))
  .query(({ ctx, input }) => ({ text: input.text, organizationId: ctx.organization.id, secret: 'leak' }));

const run = (procedure: Parameters<typeof runProcedure>[0], key: string, input: unknown, space?: string) =>
  runProcedure(procedure, contextFor(key, space ?? null), input, '/test');

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should have failed').toBeDefined();
  return describeError(error);
}

describe('runProcedure', () => {
  it('runs in the caller’s organization and answers only what the output schema allows', async () => {
    expect(await run(echo, org.apiKey, { text: 'hi' })).toEqual({ text: 'hi', organizationId: org.id });
  });

  it('refuses invalid input with the field and its message', async () => {
    const described = await failureOf(run(echo, org.apiKey, { text: '' }));
    expect(described.code).toBe(ErrorCode.VALIDATION);
    expect(described.data).toEqual({ text: 'Say something' });
  });

  it('refuses text the database could not store before anything else', async () => {
    const described = await failureOf(run(echo, org.apiKey, { text: 'a\u0000b' }));
    expect(described.code).toBe(ErrorCode.VALIDATION);
    expect(described.data).toEqual({ text: 'Must be well-formed Unicode text without NUL characters' });
  });

  it('answers 404 to a key addressing another organization, 403 without the permission, 401 without a key', async () => {
    expect((await failureOf(run(echo, org.apiKey, { text: 'hi' }, other.slug))).code).toBe(
      ErrorCode.ENTITY_NOT_FOUND,
    );
    const limited = await org.createApiKey(['mad.store.otpUsers.list']);
    expect((await failureOf(run(echo, limited, { text: 'hi' }))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await failureOf(run(echo, 'oa_not_a_key', { text: 'hi' }))).status).toBe(401);
  });

  it('gives a member of two organizations the one they address, and none of the other’s rows', async () => {
    const [mine, theirs] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const userId = mine.members.OWNER.userId;
    await testDb().membership.create({ data: { userId, organizationId: theirs.id, role: 'VIEWER' } });
    const cookie = await sessionCookieFor(userId);
    const applivery = createAppliveryHandler({ db: testDb(), session: testSession });
    const get = (space: string, path: string) =>
      applivery(new Request(`http://localhost/v1/organizations/${space}${path}`, { headers: { cookie } }));

    const created = await applivery(
      new Request(`http://localhost/v1/organizations/${mine.slug}/stores/${mine.storeId}/otp-users`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'two-spaces@mine.example',
          publishedApplicationId: mine.publishedApplicationId,
        }),
      }),
    );
    expect(created.status).toBe(200);
    const [user] = ((await created.json()) as { data: { id: string }[] }).data;
    const ours = `/stores/${mine.storeId}/otp-users/${user!.id}`;
    expect((await get(mine.slug, ours)).status).toBe(200);
    // The same ids addressed in the other organization: not found there.
    const fromTheirs = await get(theirs.slug, ours);
    expect({
      status: fromTheirs.status,
      code: ((await fromTheirs.json()) as { error: { code: number } }).error.code,
    }).toEqual({
      status: 404,
      code: ErrorCode.ENTITY_NOT_FOUND,
    });
    // Their own store's list, as a VIEWER there.
    expect((await get(theirs.slug, `/stores/${theirs.storeId}/otp-users`)).status).toBe(200);
  });

  it('runs a public and a same-site procedure: input and output schemas, and the same-site check first', async () => {
    const define = (base: typeof publicProcedure) =>
      base
        .input(ZEcho)
        .output(z.object({ text: z.string() }))
        .mutation(({ input }) => ({ text: input.text, secret: 'leak' }));
    const visitor = (headers: Record<string, string> = {}) =>
      createTRPCContext({ db: testDb(), session: testSession, headers: new Headers(headers) });
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

    for (const procedure of [define(publicProcedure), define(sameSiteProcedure)]) {
      expect(await runProcedure(procedure, visitor(), { text: 'hi' }, '/test')).toEqual({ text: 'hi' });
      const invalid = await failureOf(runProcedure(procedure, visitor(), { text: '' }, '/test'));
      expect(invalid.data).toEqual({ text: 'Say something' });
    }
    // Refused before the input is even read: a cross-site form learns nothing from the answer.
    const refused = await failureOf(
      runProcedure(define(sameSiteProcedure), visitor(crossSite), { text: '' }, '/test'),
    );
    expect(refused.code).toBe(ErrorCode.FORBIDDEN);
    expect(await runProcedure(define(publicProcedure), visitor(crossSite), { text: 'hi' }, '/test')).toEqual({
      text: 'hi',
    });
  });

  it('refuses input whose asynchronous refinement fails or throws, and leaves no rejection unhandled', async () => {
    // A schema zod cannot parse synchronously: tried that way first, its refinement's promise
    // would be dropped, and a rejection of it would stop the server's process.
    const ZChecked = z.object({
      text: z.string().refine(async (text) => {
        if (text === 'broken') throw new Error('The check itself failed');
        return text !== 'taken';
      }, 'That one is taken'),
    });
    const claim = organizationProcedure
      .meta({ permission: 'mad.store.otpUsers.get' })
      .input(ZChecked)
      .output(z.object({ text: z.string() }))
      .query(({ input }) => input);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect((await failureOf(run(claim, org.apiKey, { text: 'broken' }))).status).toBe(400);
      expect(await run(claim, org.apiKey, { text: 'free' })).toEqual({ text: 'free' });
      const refused = await failureOf(run(claim, org.apiKey, { text: 'taken' }));
      expect({ code: refused.code, data: refused.data }).toEqual({
        code: ErrorCode.VALIDATION,
        data: { text: 'That one is taken' },
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('still runs a middleware a procedure adds of its own', async () => {
    const guarded = organizationProcedure
      .meta({ permission: 'mad.store.otpUsers.get' })
      .use(() => {
        throw new AppError(ErrorCode.TOO_MANY_REQUESTS);
      })
      .input(ZEcho)
      .output(z.object({ text: z.string() }))
      .query(({ input }) => input);
    expect((await failureOf(run(guarded, org.apiKey, { text: 'hi' }))).code).toBe(
      ErrorCode.TOO_MANY_REQUESTS,
    );
  });
});
