/**
 * Mass assignment on the OTP delivery settings (both surfaces): read-only fields are accepted
 * and ignored, as documented. The shared fixture is in mass-assignment-support.ts.
 */
import { describe, expect, it } from 'vitest';
import { callerFor, testDb } from '../testing/fixtures';
import { rowChecksums } from '../testing/row-checksums';
// Each mass-assignment file takes the same pieces of the shared fixture, so their imports look alike.
import {
  bearer,
  figures,
  oneByOne,
  other,
  otherSettingIds,
  own,
  ownCallers,
  PROVIDERS,
  readOnlyFields,
  refused,
  SETTING_PATHS,
  send,
  sessionHeaders,
  settingBodies,
  settingExtras,
  trpcFailure,
  upsert,
  useMassAssignment,
} from './mass-assignment-support';

// Every mass-assignment file starts the same way: the shared server, then its own describe.
useMassAssignment('mass-assignment, OTP delivery settings');

describe('mass assignment: OTP delivery settings', () => {
  it('PUT /api/otp/settings/* and otpSettings.upsert* refuse columns the body does not have', async () => {
    const keyCaller = callerFor(own.apiKey);
    for (const provider of PROVIDERS) {
      for (const [field, extra] of oneByOne(settingExtras())) {
        const body = { ...settingBodies[provider], ...extra };
        const rest = await refused(`PUT ${provider} + ${field}`, () =>
          send('PUT', SETTING_PATHS[provider], bearer(own.apiKey), body),
        );
        expect({ status: rest.status, errors: rest.body.errors }, `${provider} + ${field}`).toEqual({
          status: 400,
          errors: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
        });
        const trpc = await refused(`upsert ${provider} + ${field}`, () =>
          trpcFailure(() => upsert(keyCaller, provider, body)),
        );
        expect(trpc, `${provider} + ${field}`).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra),
        });
        figures.rowsReadBack++;
        expect(await testDb().deliverySetting.count({ where: { organizationId: own.id } })).toBe(0);
      }
    }
  });

  it("accepts and ignores id and audit fields: B's setting untouched, A's row keeps its own", async () => {
    const otherOwner = other.members.OWNER.email;
    const ownKey = callerFor(own.apiKey);
    for (const provider of PROVIDERS) {
      const body = { ...settingBodies[provider], ...readOnlyFields(provider) };
      const otherBefore = await rowChecksums(testDb(), [other.id]);
      const started = Date.now();

      // Created over REST by a signed-in owner of A, then changed over tRPC by A's key.
      const created = await send('PUT', SETTING_PATHS[provider], await sessionHeaders(own), body);
      expect(created.status, provider).toBe(200);
      figures.calls++;
      figures.ignored++;
      const row = await testDb().deliverySetting.findUniqueOrThrow({
        where: {
          organizationId_type_provider: {
            organizationId: own.id,
            type: settingBodies[provider].type as never,
            provider,
          },
        },
      });
      figures.rowsReadBack++;
      expect(row.id).not.toBe(otherSettingIds[provider]);
      expect(created.body.id).toBe(row.id);
      expect(row.createdBy).toContain(own.members.OWNER.userId);
      expect(row.lastModifiedBy).toContain(own.members.OWNER.userId);
      expect(row.creationDate.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(row.lastModifiedDate.getTime()).toBeGreaterThanOrEqual(started - 1000);

      const updated = (await upsert(ownKey, provider, body)) as { id: string; createdBy: string };
      figures.calls++;
      figures.ignored++;
      const after = await testDb().deliverySetting.findUniqueOrThrow({ where: { id: row.id } });
      figures.rowsReadBack++;
      expect(updated.id).toBe(row.id);
      expect(after.organizationId).toBe(own.id);
      expect(after.createdBy).toBe(row.createdBy);
      expect(after.creationDate).toEqual(row.creationDate);
      expect(after.lastModifiedBy).toMatch(/^apiKey:/);
      expect(after.lastModifiedDate.getTime()).toBeGreaterThanOrEqual(row.lastModifiedDate.getTime());
      for (const value of [after.createdBy, after.lastModifiedBy]) expect(value).not.toContain(otherOwner);

      expect(await rowChecksums(testDb(), [other.id]), `${provider}: B unchanged`).toEqual(otherBefore);
    }
  });

  it('setDefault and remove refuse an organization or id beside the target', async () => {
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of oneByOne({ organizationId: other.id, id: otherSettingIds.NETGSM })) {
        for (const [name, call] of [
          [
            'setDefault',
            () => caller.otpSettings.setDefault({ type: 'SMS', provider: 'NETGSM', ...extra } as never),
          ],
          ['remove', () => caller.otpSettings.remove({ type: 'SMS', provider: 'NETGSM', ...extra } as never)],
        ] as const) {
          const what = `otpSettings.${name} as ${who} + ${field}`;
          const got = await refused(what, () => trpcFailure(call));
          expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
        }
      }
    }
  });
});
