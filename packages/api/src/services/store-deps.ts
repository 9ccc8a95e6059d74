import type { TRPCContext } from '../trpc';
import type { StoreAccessDeps } from './store-access';

/** The store-access services' dependencies, from a request context. */
export function storeDeps(ctx: TRPCContext): StoreAccessDeps {
  return {
    db: ctx.db,
    keyring: ctx.keyring,
    delivery: ctx.delivery,
    limits: ctx.limits(),
    codeKey: ctx.codeKey,
    sessionKey: ctx.storeSessionKey,
    onBackgroundError: (error) =>
      console.error('Sending a store sign-in code failed:', error instanceof Error ? error.message : error),
  };
}
