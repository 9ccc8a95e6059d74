import type { TRPCRouterRecord } from '@trpc/server';
import { createFirstOrganizationProcedure } from './create-first-organization';
import { getSetupStatusProcedure } from './get-setup-status';

export const setupRouter = {
  status: getSetupStatusProcedure,
  createOrganization: createFirstOrganizationProcedure,
} satisfies TRPCRouterRecord;
