import { newObjectId, type Prisma } from '@otp-access/db';

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
