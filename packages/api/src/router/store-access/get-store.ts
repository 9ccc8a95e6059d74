import { ZObjectId } from '@otp-access/validators';
import { z } from 'zod';
import { notFound } from '../../errors';
import { publicProcedure } from '../../trpc';

/** What a store's sign-in page shows before anyone signs in: its name and its organization's. */
export const getStoreProcedure = publicProcedure
  .input(z.strictObject({ storeId: ZObjectId }))
  .output(z.object({ id: ZObjectId, name: z.string(), organizationName: z.string() }))
  .query(async ({ ctx, input }) => {
    const store = await ctx.db.store.findUnique({
      where: { id: input.storeId },
      select: { id: true, name: true, organization: { select: { name: true } } },
    });
    if (!store) throw notFound();
    return { id: store.id, name: store.name, organizationName: store.organization.name };
  });
