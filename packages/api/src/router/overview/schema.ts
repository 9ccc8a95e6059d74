import { ZDeliveryProvider, ZIsoDateTime, ZObjectId } from '@otp-access/validators';
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
  downloads: z.array(z.object({ day: ZDay, publishedApplicationId: ZObjectId, downloads: z.int() })),
  applications: z.array(
    z.object({ id: ZObjectId, name: z.string(), storeId: ZObjectId, storeName: z.string() }),
  ),
  nearAllowance: z.array(
    z.object({
      storeId: ZObjectId,
      storeName: z.string(),
      downloadsLeft: z.int().min(0).max(2),
      users: z.int(),
    }),
  ),
  nearAllowanceCapped: z.boolean(),
});
