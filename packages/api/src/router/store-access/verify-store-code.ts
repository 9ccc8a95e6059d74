import { storeSessionCookie } from '../../cookies';
import { verifyStoreCode } from '../../services/store-access';
import { storeDeps } from '../../services/store-deps';
import { sameSiteProcedure } from '../../trpc';
import { ZVerifyStoreCodeInput, ZVerifyStoreCodeOutput } from './schema';

export const verifyStoreCodeProcedure = sameSiteProcedure
  .input(ZVerifyStoreCodeInput)
  .output(ZVerifyStoreCodeOutput)
  .mutation(async ({ ctx, input }) => {
    const { token, session } = await verifyStoreCode(
      storeDeps(ctx),
      { ...input, clientIp: ctx.clientIp },
      ctx.now(),
    );
    ctx.resHeaders.append('set-cookie', storeSessionCookie(token, ctx.cookies));
    return { storeId: session.storeId, email: session.email };
  });
