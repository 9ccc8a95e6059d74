import { type Db, newObjectId, type Prisma } from '@otp-access/db';
import { type PageRequest, skipTake, toPage } from './pagination';

export interface AuditEntry {
  organizationId: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** Changed fields (before/after). Callers never put a secret here. */
  changes?: Prisma.InputJsonValue;
}

/** Written in the same transaction as the change it records. */
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

export async function listAuditEvents(
  db: Db,
  organizationId: string,
  filter: PageRequest & { actor?: string | undefined; action?: string | undefined },
) {
  const where: Prisma.AuditEventWhereInput = {
    organizationId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor ? { actor: { contains: filter.actor, mode: 'insensitive' } } : {}),
  };
  const [rows, totalDocs] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      ...skipTake(filter),
      select: auditSelect,
    }),
    db.auditEvent.count({ where }),
  ]);
  return toPage(
    rows.map((row) => ({ ...row, at: row.at.toISOString() })),
    totalDocs,
    filter,
  );
}
