import { requestStoreCode } from '../../services/store-access';
import { storeDeps } from '../../services/store-deps';
import { sameSiteProcedure } from '../../trpc';
import { ZRequestStoreCodeInput, ZRequestStoreCodeOutput } from './schema';

export const requestStoreCodeProcedure = sameSiteProcedure
  .input(ZRequestStoreCodeInput)
  .output(ZRequestStoreCodeOutput)
  .mutation(({ ctx, input }) =>
    requestStoreCode(storeDeps(ctx), { ...input, clientIp: ctx.clientIp }, ctx.now()),
  );
