import { listDeliveryLogs } from '../../services/delivery-log';
import { organizationProcedure } from '../../trpc';
import { ZListDeliveryLogsInput, ZListDeliveryLogsOutput } from './schema';

export const listDeliveryLogsProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.read' })
  .input(ZListDeliveryLogsInput)
  .output(ZListDeliveryLogsOutput)
  .query(({ ctx, input }) => listDeliveryLogs(ctx.db, ctx.organization.id, input));
