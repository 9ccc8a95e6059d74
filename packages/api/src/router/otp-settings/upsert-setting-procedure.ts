import type { DeliveryProvider } from '@otp-access/db';
import type { z } from 'zod';
import { type SettingBody, upsertSetting } from '../../services/otp-settings';
import { DEFAULT_OUTBOUND_POLICY } from '../../services/outbound-policy';
import { organizationProcedure } from '../../trpc';

/**
 * The four `upsert*` procedures differ only in provider and schemas. The service returns the
 * setting of that provider; the output schema checks it (and gives callers the precise type).
 */
export function upsertSettingProcedure<I extends z.ZodType<SettingBody>, O extends z.ZodType>(
  provider: DeliveryProvider,
  input: I,
  output: O,
) {
  return organizationProcedure
    .meta({ permission: 'otp.settings.update' })
    .input(input)
    .output(output)
    .mutation(
      async ({ ctx, input: body }) =>
        (await upsertSetting(
          ctx.db,
          ctx.keyring(),
          { organizationId: ctx.organization.id, actor: ctx.actor },
          provider,
          body as SettingBody,
          ctx.now(),
          ctx.delivery.outbound ?? DEFAULT_OUTBOUND_POLICY,
        )) as never,
    );
}
