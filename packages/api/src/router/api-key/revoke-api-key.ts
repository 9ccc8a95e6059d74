import { revokeApiKey } from '../../services/api-keys';
import { organizationProcedure } from '../../trpc';
import { ZRevokeApiKeyInput, ZRevokeApiKeyOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const revokeApiKeyProcedure = organizationProcedure
  .meta({ permission: 'org.apiKeys.manage' })
  .input(ZRevokeApiKeyInput)
  .output(ZRevokeApiKeyOutput)
  .mutation(({ ctx, input }) =>
    revokeApiKey(
      ctx.db,
      { organizationId: ctx.organization.id, actor: ctx.actor },
      input.id,
      ctx.now(),
      ctx.apiKeyCache,
    ),
  );
