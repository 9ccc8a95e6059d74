import type { TRPCRouterRecord } from '@trpc/server';
import { acceptInvitationProcedure } from './accept-invitation';
import { previewInvitationProcedure } from './preview-invitation';

/** Invitation links, for people who are not signed in (yet). */
export const invitationRouter = {
  preview: previewInvitationProcedure,
  accept: acceptInvitationProcedure,
} satisfies TRPCRouterRecord;
