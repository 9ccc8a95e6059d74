import type { Db, DeliveryProvider, DeliveryStatus, DeliveryType, OtpPurpose, Prisma } from '@otp-access/db';
import { type PageRequest, readPage } from './pagination';

const deliveryLogSelect = {
  id: true,
  type: true,
  provider: true,
  recipient: true,
  purpose: true,
  status: true,
  providerMessageId: true,
  error: true,
  moreInfo: true,
  durationMs: true,
  createdAt: true,
} satisfies Prisma.DeliveryLogSelect;

export async function listDeliveryLogs(
  db: Db,
  organizationId: string,
  filter: PageRequest & {
    type?: DeliveryType;
    provider?: DeliveryProvider;
    status?: DeliveryStatus;
    purpose?: OtpPurpose;
  },
) {
  const where: Prisma.DeliveryLogWhereInput = {
    organizationId,
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.purpose ? { purpose: filter.purpose } : {}),
  };
  const orderBy: Prisma.DeliveryLogOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];
  return readPage(
    filter,
    (range) => db.deliveryLog.findMany({ where, orderBy, ...range, select: deliveryLogSelect }),
    () => db.deliveryLog.count({ where }),
    (row) => ({ ...row, createdAt: row.createdAt.toISOString() }),
  );
}
