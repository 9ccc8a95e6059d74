import { ZAuditEventPage, ZPageQuery } from '@otp-access/validators';
import { z } from 'zod';

export const ZListAuditEventsInput = ZPageQuery.extend({
  /** Part of the actor label, e.g. a user's email or an API key id. */
  actor: z.string().trim().min(1).max(200).optional(),
  /** Exact action, e.g. `otpUser.update`. */
  action: z.string().trim().min(1).max(100).optional(),
}).strict();
export const ZListAuditEventsOutput = ZAuditEventPage;
