/**
 * Store sign-in code requests under bursts: per address, per recipient and per organization.
 * The shared server and helpers are in limits-burst-support.ts.
 */
import { newObjectId } from '@otp-access/db';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../services/limits';
import { recordFigures } from '../testing/figures';
import { testDb } from '../testing/fixtures';
import { CLIENT_IP_HEADER } from '../trpc';
import {
  addOtpUsers,
  burst,
  burstFigures,
  countBy,
  expectTrpcTooMany,
  freshEmail,
  freshIp,
  mailingOrganization,
  mailsTo,
  requestCode,
  sink,
  useBurstServer,
} from './limits-burst-support';

useBurstServer();

describe('store code requests under a burst', () => {
  it('one address gets exactly its 30 requests, and only those reach the mail provider', async () => {
    const org = await mailingOrganization();
    const emails = Array.from({ length: 200 }, (_, i) => freshEmail(`per-ip-${i}`));
    // Half are OTP users of the store; the rest get the same answer and no mail.
    const real = new Set(emails.filter((_, i) => i % 2 === 0));
    await addOtpUsers(org, [...real]);
    const ip = freshIp();

    const result = await burst(emails.map((email) => requestCode(org.storeId, email, ip)));

    const limit = LIMITS.sendPerIp.points;
    const accepted = result.answers.flatMap((a, i) => (a.status === 200 ? [emails[i]!] : []));
    expect(accepted).toHaveLength(limit);
    for (const answer of result.answers) {
      if (answer.status === 200) {
        expect(answer.body).toEqual({ result: { data: { status: 'sent', expiresInSeconds: 600 } } });
      } else {
        expectTrpcTooMany(answer, LIMITS.sendPerIp.duration);
      }
    }
    const acceptedReal = accepted.filter((email) => real.has(email));
    const delivered = await mailsTo(real, acceptedReal.length);
    expect(delivered).toBe(acceptedReal.length);
    // Exactly the accepted OTP users got a code: none of the refused ones.
    const mailed = new Set(sink.messages().flatMap((m) => m.to.filter((to) => real.has(to))));
    expect([...mailed].sort()).toEqual([...acceptedReal].sort());
    expect(await testDb().deliveryLog.count({ where: { organizationId: org.id } })).toBe(acceptedReal.length);

    recordFigures('limits burst: code requests from one IP (limit 30 / 10 min)', {
      ...burstFigures(emails.length, result),
      accepted: accepted.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });

  it('a client cannot pick its own address: forged X-Forwarded-For entries and client-IP headers are ignored', async () => {
    const org = await mailingOrganization();
    const ip = freshIp();
    const calls = Array.from({ length: 100 }, (_, i) => {
      const forged = `198.51.100.${i + 1}`;
      return {
        ...requestCode(org.storeId, freshEmail(`forged-${i}`), ip),
        // What nginx forwards when the client sent its own X-Forwarded-For: the proxy appends
        // the address it saw.
        headers: { 'x-forwarded-for': `${forged}, ${ip}`, [CLIENT_IP_HEADER]: forged },
      };
    });

    const result = await burst(calls);

    expect(countBy(result.answers, 200)).toBe(LIMITS.sendPerIp.points);
    expect(countBy(result.answers, 429)).toBe(calls.length - LIMITS.sendPerIp.points);

    recordFigures('limits burst: code requests from one IP with forged address headers (limit 30 / 10 min)', {
      ...burstFigures(calls.length, result),
      accepted: countBy(result.answers, 200),
      refused: countBy(result.answers, 429),
    });
  });

  it('one recipient gets one code per store and 10 an hour, however many addresses ask', async () => {
    const org = await mailingOrganization();
    const email = freshEmail('recipient');
    // The same person is an OTP user of 12 stores: the per-store cooldown lets one code per
    // store through, the per-recipient limit 10 across all of them.
    const stores = [org.storeId];
    const apps = [org.publishedApplicationId];
    for (let i = 1; i < 12; i++) {
      const storeId = (
        await testDb().store.create({
          data: { id: newObjectId(), organizationId: org.id, name: `Store ${i}` },
          select: { id: true },
        })
      ).id;
      const application = await testDb().application.findFirstOrThrow({ where: { organizationId: org.id } });
      const published = await testDb().publishedApplication.create({
        data: {
          id: newObjectId(),
          storeId,
          applicationId: application.id,
          name: `App ${i}`,
          version: '1.0.0',
        },
        select: { id: true },
      });
      stores.push(storeId);
      apps.push(published.id);
    }
    for (const [i, storeId] of stores.entries()) await addOtpUsers(org, [email], storeId, apps[i]);

    const calls = stores.flatMap((storeId) =>
      Array.from({ length: 20 }, () => requestCode(storeId, email, freshIp())),
    );
    const result = await burst(calls);

    const limit = LIMITS.sendPerRecipient.points;
    const acceptedStores = result.answers.flatMap((a, i) => (a.status === 200 ? [calls[i]!.body] : []));
    expect(acceptedStores).toHaveLength(limit);
    expect(new Set(acceptedStores.map((b) => (b as { storeId: string }).storeId)).size).toBe(limit);
    for (const answer of result.answers) {
      if (answer.status !== 200) expectTrpcTooMany(answer, LIMITS.sendPerRecipient.duration);
    }
    const delivered = await mailsTo(new Set([email]), limit);
    expect(delivered).toBe(limit);

    // The same figures as the other bursts, so that the report's lines compare.
    // Every burst records its figures in the same shape on purpose: they fill one table of the report.
    recordFigures('limits burst: code requests for one recipient in 12 stores (1 / 60 s per store, 10 / h)', {
      ...burstFigures(calls.length, result),
      accepted: acceptedStores.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });

  it('an organization sends at most 2000 codes an hour, from any number of addresses', async () => {
    const org = await mailingOrganization();
    const limit = LIMITS.sendPerOrganization.points;
    // 105 addresses × 20 requests: no address reaches its own limit, together they pass the
    // organization's.
    const emails = Array.from({ length: limit + 100 }, (_, i) => freshEmail(`org-${i}`));
    const real = new Set(emails.filter((_, i) => i % 20 === 0));
    await addOtpUsers(org, [...real]);
    const ips = Array.from({ length: Math.ceil(emails.length / 20) }, freshIp);
    const calls = emails.map((email, i) => requestCode(org.storeId, email, ips[Math.floor(i / 20)]!));

    const result = await burst(calls);

    const accepted = result.answers.flatMap((a, i) => (a.status === 200 ? [emails[i]!] : []));
    expect(accepted).toHaveLength(limit);
    for (const answer of result.answers) {
      if (answer.status !== 200) expectTrpcTooMany(answer, LIMITS.sendPerOrganization.duration);
    }
    const acceptedReal = accepted.filter((email) => real.has(email));
    const delivered = await mailsTo(real, acceptedReal.length);
    expect(delivered).toBe(acceptedReal.length);

    recordFigures('limits burst: code requests of one organization (limit 2000 / h)', {
      requests: calls.length,
      addresses: ips.length,
      connections: result.connections,
      'peak open connections': result.peakConnections,
      accepted: accepted.length,
      refused: countBy(result.answers, 429),
      'provider calls': delivered,
    });
  });
});
