import { type Db, type MemberRole, newObjectId, type Prisma } from '@otp-access/db';
import { type Page, type PageRequest, readPage } from './pagination';

export interface AuditEntry {
  organizationId: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** Changed fields (before/after). Callers never put a secret here. */
  changes?: Prisma.InputJsonValue;
}

/**
 * Every write records its audit row this way, in the same transaction as the change it records.
 * One exception: `updateOtpUser` (services/otp-user.ts), the integrations' hot path, writes its
 * row inside its single SQL statement, because going through here would turn one round trip into
 * an interactive transaction of several. Its row has the same columns and meaning as one written
 * here.
 */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: { id: newObjectId(), changes: {}, ...entry }, select: { id: true } });
}

export async function recordAudits(tx: Prisma.TransactionClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({
    data: entries.map((entry) => ({ id: newObjectId(), changes: {}, ...entry })),
  });
}

const auditSelect = {
  id: true,
  actor: true,
  action: true,
  targetType: true,
  targetId: true,
  changes: true,
  at: true,
} satisfies Prisma.AuditEventSelect;

export interface AuditEventView {
  id: string;
  actor: string;
  /** The acting member's current role here; null for an API key or a former member. */
  actorRole: MemberRole | null;
  action: string;
  targetType: string;
  targetId: string;
  /** What the target is called for people (an email, a key's name, a provider), when known. */
  targetLabel: string | null;
  changes: Prisma.JsonValue;
  at: string;
}

export async function listAuditEvents(
  db: Db,
  organizationId: string,
  filter: PageRequest & { actor?: string | undefined; action?: string | undefined },
): Promise<Page<AuditEventView>> {
  const where: Prisma.AuditEventWhereInput = {
    organizationId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor ? { actor: { contains: filter.actor, mode: 'insensitive' } } : {}),
  };
  const orderBy: Prisma.AuditEventOrderByWithRelationInput[] = [{ at: 'desc' }, { id: 'desc' }];
  const page = await readPage(
    filter,
    (range) => db.auditEvent.findMany({ where, orderBy, ...range, select: auditSelect }),
    () => db.auditEvent.count({ where }),
  );
  const names = await namesOnPage(db, organizationId, page.items);
  return {
    ...page,
    items: page.items.map((row) => ({
      ...row,
      at: row.at.toISOString(),
      actorRole: names.roles.get(actorUserId(row.actor) ?? '') ?? null,
      targetLabel: names.targets.get(`${row.targetType}:${row.targetId}`) ?? labelFromChanges(row.changes),
    })),
  };
}

/** `user:<id> (email)` → the id. */
function actorUserId(actor: string): string | null {
  return /^user:([0-9a-f]{24})\b/.exec(actor)?.[1] ?? null;
}

/** Deletions record what the target was called, since it can no longer be looked up. */
function labelFromChanges(changes: Prisma.JsonValue): string | null {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return null;
  for (const key of ['email', 'name', 'provider']) {
    const value = (changes as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
  }
  return null;
}

/**
 * The names behind one page of events: a handful of lookups by primary key, each limited to this
 * organization (a target id from elsewhere finds nothing here).
 */
async function namesOnPage(
  db: Db,
  organizationId: string,
  rows: { actor: string; targetType: string; targetId: string }[],
) {
  const idsOf = (type: string) => [
    ...new Set(rows.filter((r) => r.targetType === type).map((r) => r.targetId)),
  ];
  const actorIds = [
    ...new Set(rows.map((r) => actorUserId(r.actor)).filter((id): id is string => id !== null)),
  ];
  const memberIds = [...new Set([...actorIds, ...idsOf('AdminUser')])];
  const [members, otpUsers, apiKeys, settings] = await Promise.all([
    memberIds.length === 0
      ? []
      : db.membership.findMany({
          where: { organizationId, userId: { in: memberIds } },
          select: { userId: true, role: true, user: { select: { email: true } } },
        }),
    idsOf('OtpUser').length === 0
      ? []
      : db.otpUser.findMany({
          where: { organizationId, id: { in: idsOf('OtpUser') } },
          select: { id: true, email: true },
        }),
    idsOf('ApiKey').length === 0
      ? []
      : db.apiKey.findMany({
          where: { organizationId, id: { in: idsOf('ApiKey') } },
          select: { id: true, name: true },
        }),
    idsOf('DeliverySetting').length === 0
      ? []
      : db.deliverySetting.findMany({
          where: { organizationId, id: { in: idsOf('DeliverySetting') } },
          select: { id: true, provider: true },
        }),
  ]);
  const targets = new Map<string, string>();
  for (const m of members) targets.set(`AdminUser:${m.userId}`, m.user.email);
  for (const u of otpUsers) targets.set(`OtpUser:${u.id}`, u.email);
  for (const k of apiKeys) targets.set(`ApiKey:${k.id}`, k.name);
  for (const d of settings) targets.set(`DeliverySetting:${d.id}`, d.provider);
  const roles = new Map<string, MemberRole>(members.map((m) => [m.userId, m.role]));
  return { targets, roles };
}
