import { codeMessageComposer } from '../../services/organization';
import { sendOrganizationTestMessage } from '../../services/test-send';
import { organizationProcedure } from '../../trpc';
import { ZTestCodeMessageInput, ZTestCodeMessageOutput } from './schema';

/**
 * Sends the code message of the templates (the draft in `policy`, else the saved ones) with a
 * sample code through the default provider, under the same limit as any test send.
 */
export const testCodeMessageProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.test' })
  .input(ZTestCodeMessageInput)
  .output(ZTestCodeMessageOutput)
  .mutation(async ({ ctx, input }) =>
    sendOrganizationTestMessage(
      ctx,
      { type: input.type, to: input.to },
      await codeMessageComposer(ctx.db, ctx.organization.id, input.policy),
    ),
  );
