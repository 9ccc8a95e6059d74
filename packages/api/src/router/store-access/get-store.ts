import { ZObjectId } from '@otp-access/validators';
import { z } from 'zod';
import { readCookies } from '../../cookies';
import { notFound } from '../../errors';
import { readStoreSession, STORE_SESSION_COOKIE } from '../../services/store-access';
import { publicProcedure } from '../../trpc';

/**
 * What a store's sign-in page shows before anyone signs in: its name, description and its
 * organization's name, and whether this browser is already signed in to it (so the page asks for
 * the apps only then, instead of collecting a 401 on every signed-out visit).
 */
export const getStoreProcedure = publicProcedure
  .input(z.strictObject({ storeId: ZObjectId }))
  .output(
    z.object({
      id: ZObjectId,
      name: z.string(),
      description: z.string(),
      organizationName: z.string(),
      signedIn: z.boolean(),
    }),
  )
  .query(async ({ ctx, input }) => {
    const store = await ctx.db.store.findUnique({
      where: { id: input.storeId },
      select: { id: true, name: true, description: true, organization: { select: { name: true } } },
    });
    if (!store) throw notFound();
    const token = readCookies(ctx.headers)[STORE_SESSION_COOKIE];
    const session = token
      ? await readStoreSession(ctx.storeSessionKey, token, ctx.now()).catch(() => null)
      : null;
    return {
      id: store.id,
      name: store.name,
      description: store.description,
      organizationName: store.organization.name,
      signedIn: session?.storeId === store.id,
    };
  });
