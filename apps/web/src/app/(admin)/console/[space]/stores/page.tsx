import type { Metadata } from 'next';
import { StoresView } from '~/components/otp-users/stores-view';
import { STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Stores' };

export default spacePage(StoresView, null, (trpc, load) => [
  load(trpc.store.list.queryOptions(STORE_LIST_INPUT)),
]);
