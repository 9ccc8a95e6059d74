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
  /** Counted downloads per day and published application. */
  downloads: (OverviewDay & { publishedApplicationId: string; downloads: number })[];
  /** The published applications `downloads` names, with their store. */
  applications: { id: string; name: string; storeId: string; storeName: string }[];
  /** OTP users with a limited allowance and 0, 1 or 2 downloads left, per store. */
  nearAllowance: { storeId: string; storeName: string; downloadsLeft: number; users: number }[];
  /** True when more users are near their allowance than were counted (NEAR_ALLOWANCE_CAP). */
  nearAllowanceCapped: boolean;
}

/**
 * The most near-allowance users counted per page view; the chart then says "at least". Reading
 * a partial index of only those users is cheap, but it still grows with them.
 */
export const NEAR_ALLOWANCE_CAP = 10_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The space at a glance over the last `days` (UTC) days. Each figure is one aggregate over an
 * indexed range: the delivery log by (organization, created_at) and the download events by
 * (organization, at) within the window, the users near their allowance from a partial index of
 * only them (capped), and the OTP user total from the stores' maintained counters, never a count
 * over a million rows.
 */
export async function getOverview(
  db: Db,
  organizationId: string,
  days: number,
  now: Date,
): Promise<Overview> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);
  const [deliveries, stores, downloads, nearAllowance] = await Promise.all([
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
    // One range of download_event (organization_id, at, published_application_id): index only.
    sqlPool(db).query<{ day: string; published_application_id: string; downloads: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              published_application_id,
              count(*) AS downloads
         FROM download_event
        WHERE organization_id = $1 AND at >= $2 AND published_application_id IS NOT NULL
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [organizationId, since],
    ),
    // The predicate is otp_user_near_allowance_idx's, so only that index's users are read, and at
    // most NEAR_ALLOWANCE_CAP + 1 of them.
    sqlPool(db).query<{ store_id: string; downloads_left: number; users: string }>(
      `SELECT store_id, downloads_left::int AS downloads_left, count(*) AS users
         FROM (SELECT store_id, GREATEST(allowed_downloads_num - downloads_count, 0) AS downloads_left
                 FROM otp_user
                WHERE organization_id = $1
                  AND allowed_downloads_num >= 0
                  AND downloads_count >= allowed_downloads_num - 2
                LIMIT $2) near
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [organizationId, NEAR_ALLOWANCE_CAP + 1],
    ),
  ]);
  const applicationIds = [...new Set(downloads.rows.map((row) => row.published_application_id))];
  const storeIds = [...new Set(nearAllowance.rows.map((row) => row.store_id))];
  const [applications, nearStores] = await Promise.all([
    applicationIds.length === 0
      ? []
      : db.publishedApplication.findMany({
          where: { id: { in: applicationIds }, store: { organizationId } },
          select: { id: true, name: true, storeId: true, store: { select: { name: true } } },
          orderBy: { name: 'asc' },
        }),
    storeIds.length === 0
      ? []
      : db.store.findMany({
          where: { id: { in: storeIds }, organizationId },
          select: { id: true, name: true },
        }),
  ]);
  const storeNames = new Map(nearStores.map((store) => [store.id, store.name]));
  const counted = nearAllowance.rows.reduce((n, row) => n + Number(row.users), 0);
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
    downloads: downloads.rows.map((row) => ({
      day: row.day,
      publishedApplicationId: row.published_application_id,
      downloads: Number(row.downloads),
    })),
    applications: applications.map((app) => ({
      id: app.id,
      name: app.name,
      storeId: app.storeId,
      storeName: app.store.name,
    })),
    nearAllowance: nearAllowance.rows.map((row) => ({
      storeId: row.store_id,
      storeName: storeNames.get(row.store_id) ?? '',
      downloadsLeft: row.downloads_left,
      users: Number(row.users),
    })),
    nearAllowanceCapped: counted > NEAR_ALLOWANCE_CAP,
  };
}
