import { type Db, type DeliveryProvider, sqlPool } from '@otp-access/db';

export interface OverviewDay {
  /** A UTC day, `YYYY-MM-DD`. */
  day: string;
}

export interface Overview {
  since: string;
  days: number;
  otpUsers: number;
  deliveries: (OverviewDay & { provider: DeliveryProvider; sent: number; failed: number })[];
  signInCodes: (OverviewDay & { sent: number; failed: number })[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The space at a glance over the last `days` (UTC) days. Each figure is one aggregate over an
 * indexed range: the delivery log by (organization, created_at) within the window, and the OTP
 * user total from the stores' maintained counters, never a count over a million rows.
 */
export async function getOverview(
  db: Db,
  organizationId: string,
  days: number,
  now: Date,
): Promise<Overview> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);
  const [deliveries, stores] = await Promise.all([
    sqlPool(db).query<{
      day: string;
      provider: DeliveryProvider;
      sign_in: boolean;
      sent: string;
      failed: string;
    }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              provider,
              purpose = 'STORE_LOGIN' AS sign_in,
              count(*) FILTER (WHERE status = 'SENT') AS sent,
              count(*) FILTER (WHERE status = 'FAILED') AS failed
         FROM delivery_log
        WHERE organization_id = $1 AND created_at >= $2
        GROUP BY 1, 2, 3
        ORDER BY 1, 2`,
      [organizationId, since],
    ),
    db.store.aggregate({ where: { organizationId }, _sum: { otpUserCount: true } }),
  ]);
  const byProvider = new Map<string, Overview['deliveries'][number]>();
  const signIns = new Map<string, Overview['signInCodes'][number]>();
  for (const row of deliveries.rows) {
    const sent = Number(row.sent);
    const failed = Number(row.failed);
    const key = `${row.day}:${row.provider}`;
    const entry = byProvider.get(key) ?? { day: row.day, provider: row.provider, sent: 0, failed: 0 };
    entry.sent += sent;
    entry.failed += failed;
    byProvider.set(key, entry);
    if (row.sign_in) {
      const day = signIns.get(row.day) ?? { day: row.day, sent: 0, failed: 0 };
      day.sent += sent;
      day.failed += failed;
      signIns.set(row.day, day);
    }
  }
  return {
    since: since.toISOString(),
    days,
    otpUsers: stores._sum.otpUserCount ?? 0,
    deliveries: [...byProvider.values()],
    signInCodes: [...signIns.values()],
  };
}
