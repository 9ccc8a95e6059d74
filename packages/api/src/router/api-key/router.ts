import type { TRPCRouterRecord } from '@trpc/server';
import { createApiKeyProcedure } from './create-api-key';
import { listApiKeysProcedure } from './list-api-keys';
import { revokeApiKeyProcedure } from './revoke-api-key';

export const apiKeyRouter = {
  list: listApiKeysProcedure,
  create: createApiKeyProcedure,
  revoke: revokeApiKeyProcedure,
} satisfies TRPCRouterRecord;
