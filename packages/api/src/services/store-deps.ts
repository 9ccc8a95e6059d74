import type { RequestLogger } from '../logger';
import type { DeliveryConfig } from './delivery';
import type { Limits } from './limits';
import type { Keyring } from './secret-box';
import type { StoreAccessDeps } from './store-access';

/** What a request offers the store-access services (the procedures' context has all of it). */
export interface StoreDepsSource {
  db: StoreAccessDeps['db'];
  keyring(): Keyring;
  delivery: DeliveryConfig;
  limits(): Limits;
  codeKey: Uint8Array;
  storeSessionKey: Uint8Array;
  logger: RequestLogger;
}

/** The store-access services' dependencies, from a request context. */
export function storeDeps(ctx: StoreDepsSource): StoreAccessDeps {
  return {
    db: ctx.db,
    keyring: ctx.keyring,
    delivery: ctx.delivery,
    limits: ctx.limits(),
    codeKey: ctx.codeKey,
    sessionKey: ctx.storeSessionKey,
    // The message only: the failure of a send must not put the message (its code) in the log.
    onBackgroundError: (error) =>
      ctx.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'sending a store sign-in code failed',
      ),
  };
}
