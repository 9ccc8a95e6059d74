import { createApiKey } from '../../services/api-keys';
import { organizationProcedure } from '../../trpc';
import { ZCreateApiKeyInput, ZCreateApiKeyOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const createApiKeyProcedure = organizationProcedure
  .meta({ permission: 'org.apiKeys.manage' })
  .input(ZCreateApiKeyInput)
  .output(ZCreateApiKeyOutput)
  .mutation(({ ctx, input }) =>
    createApiKey(
      ctx.db,
      { organizationId: ctx.organization.id, actor: ctx.actor, permissions: ctx.permissions },
      input,
      ctx.now(),
    ),
  );
