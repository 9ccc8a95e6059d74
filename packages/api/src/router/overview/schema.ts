import { ZDeliveryProvider, ZIsoDateTime } from '@otp-access/validators';
import { z } from 'zod';

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A bounded window: the aggregates read at most 90 days of the delivery log. */
export const ZGetOverviewInput = z.strictObject({
  days: z.union([z.literal(7), z.literal(30), z.literal(90)]).default(30),
});

export const ZGetOverviewOutput = z.object({
  since: ZIsoDateTime,
  days: z.int(),
  otpUsers: z.int().nonnegative(),
  deliveries: z.array(z.object({ day: ZDay, provider: ZDeliveryProvider, sent: z.int(), failed: z.int() })),
  signInCodes: z.array(z.object({ day: ZDay, sent: z.int(), failed: z.int() })),
});
