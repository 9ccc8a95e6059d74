import type { TRPCRouterRecord } from '@trpc/server';
import { deleteOrganizationProcedure } from './delete-organization';
import { getOrganizationProcedure } from './get-organization';
import { previewCodeMessagesProcedure } from './preview-code-messages';
import { renameOrganizationProcedure } from './rename-organization';
import { testCodeMessageProcedure } from './test-code-message';
import { updateOtpPolicyProcedure } from './update-otp-policy';

export const organizationRouter = {
  get: getOrganizationProcedure,
  rename: renameOrganizationProcedure,
  updateOtpPolicy: updateOtpPolicyProcedure,
  previewMessages: previewCodeMessagesProcedure,
  testMessage: testCodeMessageProcedure,
  delete: deleteOrganizationProcedure,
} satisfies TRPCRouterRecord;
