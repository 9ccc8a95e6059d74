/**
 * Mass assignment on API keys, members and the admin's own account. The shared fixture is in
 * mass-assignment-support.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerAsUser, testDb } from '../testing/fixtures';
// Each mass-assignment file takes the same pieces of the shared fixture, so their imports look alike.
import {
  figures,
  freshEmail,
  LONG_AGO,
  oneByOne,
  other,
  otherApiKeyId,
  own,
  ownCallers,
  refused,
  trpcFailure,
  useMassAssignment,
} from './mass-assignment-support';

useMassAssignment('mass-assignment, API keys, members, own account');

describe('mass assignment: API keys, members, own account', () => {
  it('apiKey.create refuses owner, id, hash and timestamps', async () => {
    for (const [who, caller] of await ownCallers()) {
      const extras = {
        organizationId: other.id,
        id: otherApiKeyId,
        keyHash: 'f'.repeat(64),
        prefix: 'otpk_attacker',
        createdAt: LONG_AGO,
        lastUsedAt: LONG_AGO,
        revokedAt: null,
        createdBy: other.members.OWNER.email,
      };
      for (const [field, extra] of oneByOne(extras)) {
        const name = `mass-${randomBytes(4).toString('hex')}`;
        const what = `apiKey.create as ${who} + ${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.apiKey.create({ name, permissions: ['org.audit.read'], ...extra } as never),
          ),
        );
        expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
        figures.rowsReadBack++;
        expect(await testDb().apiKey.count({ where: { name } }), what).toBe(0);
      }
    }
  });

  it('apiKey.revoke and member operations refuse an organization beside the id', async () => {
    const viewer = own.members.VIEWER.userId;
    for (const [who, caller] of await ownCallers()) {
      const email = freshEmail();
      const calls: [string, () => Promise<unknown>][] = [
        ['apiKey.revoke', () => caller.apiKey.revoke({ id: otherApiKeyId, organizationId: own.id } as never)],
        [
          'member.invite',
          () =>
            caller.member.invite({
              email,
              role: 'OWNER',
              organizationId: other.id,
              userId: other.members.OWNER.userId,
              createdAt: LONG_AGO,
            } as never),
        ],
        [
          'member.changeRole',
          () =>
            caller.member.changeRole({ userId: viewer, role: 'OWNER', organizationId: other.id } as never),
        ],
        ['member.remove', () => caller.member.remove({ userId: viewer, organizationId: other.id } as never)],
        ['member.unlock', () => caller.member.unlock({ userId: viewer, organizationId: other.id } as never)],
      ];
      for (const [name, call] of calls) {
        const what = `${name} as ${who}`;
        const got = await refused(what, () => trpcFailure(call));
        expect(got.status, what).toBe(400);
        expect(got.code, what).toBe(6001);
        expect(got.fields, what).toContain('organizationId');
      }
      figures.rowsReadBack += 2;
      expect(await testDb().adminUser.count({ where: { email } })).toBe(0);
      expect(
        await testDb().membership.findUniqueOrThrow({
          where: { userId_organizationId: { userId: viewer, organizationId: own.id } },
        }),
      ).toMatchObject({ role: 'VIEWER' });
    }
  });

  it("auth.setTwoFactor changes only the caller's own account", async () => {
    const caller = await callerAsUser(own.members.ADMIN.userId, own.slug);
    for (const [field, extra] of oneByOne({
      userId: other.members.OWNER.userId,
      email: other.members.OWNER.email,
    })) {
      const what = `auth.setTwoFactor + ${field}`;
      const got = await refused(what, () =>
        trpcFailure(() => caller.auth.setTwoFactor({ otpType: 'MAIL', ...extra } as never)),
      );
      expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
    }
    figures.rowsReadBack += 2;
    for (const userId of [own.members.ADMIN.userId, other.members.OWNER.userId]) {
      expect(await testDb().adminUser.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
        otpType: 'NONE',
      });
    }
  });
});
