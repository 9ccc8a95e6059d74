import { createApiKey } from '../../services/api-keys';
import { organizationProcedure } from '../../trpc';
import { ZCreateApiKeyInput, ZCreateApiKeyOutput } from './schema';

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
