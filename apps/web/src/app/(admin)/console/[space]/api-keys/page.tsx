import type { Metadata } from 'next';
import { ApiKeysView } from '~/components/api-keys/api-keys-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'API keys' };

export default spacePage(ApiKeysView, (trpc, load) => [load(trpc.apiKey.list.queryOptions())]);
