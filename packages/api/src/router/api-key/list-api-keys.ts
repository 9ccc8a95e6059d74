import { listApiKeys } from '../../services/api-keys';
import { organizationProcedure } from '../../trpc';
import { ZListApiKeysOutput } from './schema';

export const listApiKeysProcedure = organizationProcedure
  .meta({ permission: 'org.apiKeys.manage' })
  .output(ZListApiKeysOutput)
  .query(({ ctx }) => listApiKeys(ctx.db, ctx.organization.id));
