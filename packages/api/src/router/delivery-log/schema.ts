import { ZDeliveryLogPage, ZDeliveryProvider, ZDeliveryType, ZPageQuery } from '@otp-access/validators';
import { z } from 'zod';

export const ZListDeliveryLogsInput = ZPageQuery.extend({
  type: ZDeliveryType.optional(),
  provider: ZDeliveryProvider.optional(),
  status: z.enum(['SENT', 'FAILED']).optional(),
  purpose: z.enum(['STORE_LOGIN', 'ADMIN_2FA', 'TEST']).optional(),
}).strict();
export const ZListDeliveryLogsOutput = ZDeliveryLogPage;
