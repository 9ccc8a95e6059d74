import { ZFirstOrganizationBody } from '@otp-access/validators';
import { z } from 'zod';

export const ZGetSetupStatusOutput = z.object({ open: z.boolean() });
export const ZCreateFirstOrganizationInput = ZFirstOrganizationBody.extend({
  token: z.string().min(1, 'Required').max(200),
});
export const ZCreateFirstOrganizationOutput = z.object({
  organization: z.object({ slug: z.string(), name: z.string() }),
  ownerEmail: z.string(),
});
