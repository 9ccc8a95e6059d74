import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from '../../delivery/mail-sink';
import { createCaller } from '../../root';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  mailCodesTo,
  sessionCookieFor,
  snapshotOrganization,
  testDb,
  testHandlers,
  testKeyring,
  testLimits,
  testSession,
} from '../../testing/fixtures';
import { CLIENT_IP_HEADER, createTRPCContext } from '../../trpc';

let sink: MailSink;

beforeAll(async () => {
  sink = await startMailSink();
});

afterAll(async () => {
  await sink.stop();
});

const policy = {
  codeLength: 8,
  codeTtlMinutes: 3,
  mailSubject: 'Sign in to {{organization}}',
  mailBody: 'Code {{code}}, valid {{minutes}} minutes, from {{ organization }}.',
  smsText: '{{code}} is your {{organization}} code',
};

async function useSink(apiKey: string) {
  await mailCodesTo(apiKey, sink.port, 'policy@test.example');
}

describe('organization settings', () => {
  it('renames and saves the code policy, each change in the audit log with before and after', async () => {
    const org = await createTestOrganization();
    const admin = await callerAsUser(org.members.ADMIN.userId, org.slug);
    const initial = await admin.organization.get();
    expect(initial.policy).toEqual({
      codeLength: 6,
      codeTtlMinutes: 10,
      mailSubject: null,
      mailBody: null,
      smsText: null,
    });
    expect(initial.defaults.mailBody).toContain('{{code}}');

    const renamed = await admin.organization.rename({ name: '  Renamed Org  ' });
    expect(renamed.name).toBe('Renamed Org');
    const saved = await admin.organization.updateOtpPolicy(policy);
    expect(saved.policy).toEqual(policy);
    const row = await testDb().organization.findUniqueOrThrow({
      where: { id: org.id },
      select: { name: true, otpCodeLength: true, otpCodeTtlSeconds: true, otpSmsTemplate: true },
    });
    expect(row).toEqual({
      name: 'Renamed Org',
      otpCodeLength: 8,
      otpCodeTtlSeconds: 180,
      otpSmsTemplate: policy.smsText,
    });

    // Saving the same values again records nothing.
    await admin.organization.updateOtpPolicy(policy);
    const events = await testDb().auditEvent.findMany({
      where: { organizationId: org.id, action: { startsWith: 'organization.' } },
      orderBy: { at: 'asc' },
      select: { action: true, changes: true, actor: true },
    });
    expect(events.map((e) => e.action)).toEqual(['organization.rename', 'organization.updateOtpPolicy']);
    expect(events[0]!.changes).toEqual({ name: { from: `Test ${org.slug.slice(5)}`, to: 'Renamed Org' } });
    expect(events[1]!.changes).toMatchObject({
      codeLength: { from: 6, to: 8 },
      codeTtlMinutes: { from: 10, to: 3 },
    });
    expect(events[1]!.actor).toContain(org.members.ADMIN.email);
  });

  it('refuses a policy out of range or with an unknown placeholder, and changes nothing', async () => {
    const org = await createTestOrganization();
    const owner = callerFor(org.apiKey);
    const before = await snapshotOrganization(testDb(), org.id);
    for (const bad of [
      { ...policy, codeLength: 5 },
      { ...policy, codeLength: 11 },
      { ...policy, codeTtlMinutes: 0 },
      { ...policy, mailBody: 'Your code is {{cod}}' },
      { ...policy, smsText: 'No code here, {{organization}}' },
      { ...policy, mailSubject: '   ' },
    ]) {
      await expect(owner.organization.updateOtpPolicy(bad), JSON.stringify(bad)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    await expect(owner.organization.rename({ name: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await snapshotOrganization(testDb(), org.id)).toEqual(before);
    expect((await owner.organization.get()).policy.codeLength).toBe(6);
  });

  it('previews the saved templates, or a draft, with a sample code of the policy length', async () => {
    const org = await createTestOrganization();
    const viewer = await callerAsUser(org.members.VIEWER.userId, org.slug);
    const saved = await viewer.organization.previewMessages();
    expect(saved.sampleCode).toMatch(/^\d{6}$/);
    expect(saved.mail.text).toContain(saved.sampleCode);
    expect(saved.mail.text).toContain('10 minutes');

    const draft = await viewer.organization.previewMessages({ name: 'Draft Co', policy });
    expect(draft.sampleCode).toMatch(/^\d{8}$/);
    expect(draft.mail).toEqual({
      subject: 'Sign in to Draft Co',
      text: `Code ${draft.sampleCode}, valid 3 minutes, from Draft Co.`,
    });
    expect(draft.sms.text).toBe(`${draft.sampleCode} is your Draft Co code`);
    // A preview saves nothing.
    expect((await viewer.organization.get()).policy.codeLength).toBe(6);
  });

  it('test-sends the code message of the templates through the default provider', async () => {
    const org = await createTestOrganization();
    await useSink(org.apiKey);
    const owner = callerFor(org.apiKey);
    await owner.organization.updateOtpPolicy(policy);
    const result = await owner.organization.testMessage({ type: 'MAIL', to: 'templates@policy.example' });
    expect(result.delivered).toBe(true);
    const mail = await sink.waitFor((m) => m.to.includes('templates@policy.example'));
    expect(mail.subject).toBe(`Sign in to Test ${org.slug.slice(5)}`);
    expect(mail.text.trim()).toBe(`Code 12345678, valid 3 minutes, from Test ${org.slug.slice(5)}.`);

    // A draft goes out as drafted, unsaved.
    await owner.organization.testMessage({
      type: 'MAIL',
      to: 'draft@policy.example',
      policy: { ...policy, mailSubject: 'Draft subject', codeLength: 6 },
    });
    expect((await sink.waitFor((m) => m.to.includes('draft@policy.example'))).subject).toBe('Draft subject');
    expect((await owner.organization.get()).policy.mailSubject).toBe(policy.mailSubject);
  });

  it('a store sign-in code follows the saved templates', async () => {
    const org = await createTestOrganization();
    await useSink(org.apiKey);
    await callerFor(org.apiKey).organization.updateOtpPolicy(policy);
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: 'follows@policy.example', publishedApplicationId: org.publishedApplicationId },
    });
    const handlers = testHandlers();
    const response = await handlers.route(
      new Request('http://localhost/api/trpc/storeAccess.requestCode', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: '198.51.100.201' },
        body: JSON.stringify({ storeId: org.storeId, email: 'follows@policy.example' }),
      }),
    )!;
    expect(response.status).toBe(200);
    const mail = await sink.waitFor((m) => m.to.includes('follows@policy.example'));
    expect(mail.text.trim()).toMatch(
      new RegExp(`^Code \\d{8}, valid 3 minutes, from Test ${org.slug.slice(5)}\\.$`),
    );
  });
});

describe('organization.delete', () => {
  it('needs an owner typing the exact name; removes everything the organization owns and nothing else', async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email: 'gone@delete.example', publishedApplicationId: org.publishedApplicationId },
    });
    const otherBefore = await snapshotOrganization(testDb(), other.id);
    const name = `Test ${org.slug.slice(5)}`;

    const admin = await callerAsUser(org.members.ADMIN.userId, org.slug);
    await expect(admin.organization.delete({ confirmName: name })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // An API key, even one with every permission, cannot end the organization.
    await expect(callerFor(org.apiKey).organization.delete({ confirmName: name })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const owner = await callerAsUser(org.members.OWNER.userId, org.slug);
    await expect(owner.organization.delete({ confirmName: name.toUpperCase() })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await testDb().organization.count({ where: { id: org.id } })).toBe(1);

    const removed: unknown[] = [];
    const ownerWithHook = createCaller(
      createTRPCContext({
        db: testDb(),
        session: testSession,
        keyring: testKeyring,
        limits: testLimits(),
        headers: new Headers({ cookie: await sessionCookieFor(org.members.OWNER.userId) }),
        requestedSpace: org.slug,
        removeStoredBuilds: async (builds) => {
          removed.push(builds);
        },
      }),
    );
    expect(await ownerWithHook.organization.delete({ confirmName: name })).toEqual({ deleted: true });
    expect(removed).toEqual([{ organizationId: org.id, wholeOrganization: true }]);

    const db = testDb();
    const left = await Promise.all([
      db.organization.count({ where: { id: org.id } }),
      db.store.count({ where: { organizationId: org.id } }),
      db.application.count({ where: { organizationId: org.id } }),
      db.publishedApplication.count({ where: { storeId: org.storeId } }),
      db.otpUser.count({ where: { organizationId: org.id } }),
      db.apiKey.count({ where: { organizationId: org.id } }),
      db.membership.count({ where: { organizationId: org.id } }),
      db.auditEvent.count({ where: { organizationId: org.id } }),
      db.deliverySetting.count({ where: { organizationId: org.id } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // The accounts stay (they may belong elsewhere); its key no longer works.
    expect(await db.adminUser.count({ where: { id: org.members.OWNER.userId } })).toBe(1);
    await expect(callerFor(org.apiKey).store.list({ page: 1, limit: 5 })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await snapshotOrganization(testDb(), other.id)).toEqual(otherBefore);
  });

  it("another organization's owner cannot delete it, even with its exact name", async () => {
    const [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const before = await snapshotOrganization(testDb(), org.id);
    const intruder = await callerAsUser(other.members.OWNER.userId, org.slug);
    await expect(
      intruder.organization.delete({ confirmName: `Test ${org.slug.slice(5)}` }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // By key, the other organization's slug is simply not there.
    await expect(
      callerFor(other.apiKey, { space: org.slug }).organization.rename({ name: 'Taken over' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshotOrganization(testDb(), org.id)).toEqual(before);
    expect(await testDb().organization.count({ where: { id: org.id, name: { not: 'Taken over' } } })).toBe(1);
  });
});
