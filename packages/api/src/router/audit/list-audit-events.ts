import { listAuditEvents } from '../../services/audit';
import { organizationProcedure } from '../../trpc';
import { ZListAuditEventsInput, ZListAuditEventsOutput } from './schema';

export const listAuditEventsProcedure = organizationProcedure
  .meta({ permission: 'org.audit.read' })
  .input(ZListAuditEventsInput)
  .output(ZListAuditEventsOutput)
  .query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.organization.id, input));
