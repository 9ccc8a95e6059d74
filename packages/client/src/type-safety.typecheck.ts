/**
 * Compiled by `pnpm typecheck`, never run: each `@ts-expect-error` fails the typecheck if the
 * misuse below it stops being a type error, so the client stays typed end to end.
 */
import { createOtpAccessClient } from './index';

export function misuses() {
  const client = createOtpAccessClient({ url: 'http://localhost', apiKey: 'key' });
  return [
    // @ts-expect-error allowedDownloadsNum is a number, not a string
    client.otpUser.update.mutate({ storeId: 's', otpUserId: 'u', data: { allowedDownloadsNum: '7' } }),
    // @ts-expect-error there is no such procedure
    client.otpUser.archive.mutate({}),
    // @ts-expect-error the code length is a number
    client.organization.updateOtpPolicy.mutate({ codeLength: '8' }),
    // @ts-expect-error a store is created from `data`, not from top-level fields
    client.store.create.mutate({ name: 'x' }),
    // @ts-expect-error list results have no `rows`, they have `items`
    client.otpUser.list.query({ storeId: 's' }).then((page) => page.rows),
  ];
}
