import { ZObjectId } from '@otp-access/validators';
import { z } from 'zod';
import { notFound } from '../../errors';
import { publicProcedure } from '../../trpc';

/** What a store's sign-in page shows before anyone signs in: its name, description and its organization's name. */
export const getStoreProcedure = publicProcedure
  .input(z.strictObject({ storeId: ZObjectId }))
  .output(
    z.object({ id: ZObjectId, name: z.string(), description: z.string(), organizationName: z.string() }),
  )
  .query(async ({ ctx, input }) => {
    const store = await ctx.db.store.findUnique({
      where: { id: input.storeId },
      select: { id: true, name: true, description: true, organization: { select: { name: true } } },
    });
    if (!store) throw notFound();
    return {
      id: store.id,
      name: store.name,
      description: store.description,
      organizationName: store.organization.name,
    };
  });
