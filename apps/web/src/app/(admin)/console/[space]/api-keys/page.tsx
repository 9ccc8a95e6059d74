import type { Metadata } from 'next';
import { ApiKeysView } from '~/components/api-keys/api-keys-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'API keys' };

export default spacePage(
  ApiKeysView,
  { permission: 'org.apiKeys.manage', title: 'API keys', what: 'managing API keys' },
  (trpc, load) => [load(trpc.apiKey.list.queryOptions())],
);
