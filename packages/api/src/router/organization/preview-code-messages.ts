import { previewCodeMessages } from '../../services/organization';
import { organizationProcedure } from '../../trpc';
import { ZPreviewCodeMessagesInput, ZPreviewCodeMessagesOutput } from './schema';

/** Renders the code messages with a sample code; nothing is saved or sent. */
export const previewCodeMessagesProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.read' })
  .input(ZPreviewCodeMessagesInput)
  .output(ZPreviewCodeMessagesOutput)
  .query(({ ctx, input }) => previewCodeMessages(ctx.db, ctx.organization.id, input));
