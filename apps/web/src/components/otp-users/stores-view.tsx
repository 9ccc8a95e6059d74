'use client';

import { Anchor, Box, Card, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty, ErrorState, LoadingRows } from '~/components/states';
import { STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { useTRPC } from '~/trpc/react';

export function StoresView() {
  const trpc = useTRPC();
  const space = useSpace();
  const stores = useQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT));
  const router = useRouter();
  // A list of one store is only an extra click: open it.
  const only = stores.data?.items.length === 1 ? stores.data.items[0] : undefined;
  useEffect(() => {
    if (only) router.replace(`/console/${space.slug}/stores/${only.id}`);
  }, [only, router, space.slug]);
  return (
    <>
      <PageHeader
        title="Stores"
        description={`The private app stores of ${withoutFinalDot(space.name)}. Open one to manage its OTP users.`}
      />
      <Card withBorder padding={0}>
        {stores.isError ? (
          <Box p="md">
            <ErrorState error={stores.error} onRetry={() => void stores.refetch()} />
          </Box>
        ) : (
          <Table highlightOnHover verticalSpacing="sm" aria-label="Stores">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Store</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!stores.data ? (
                <LoadingRows columns={1} rows={2} />
              ) : stores.data.items.length === 0 ? (
                <Table.Tr>
                  <Table.Td>
                    <Empty
                      title="No stores yet"
                      description="Stores appear here once they exist in this organization."
                    />
                  </Table.Td>
                </Table.Tr>
              ) : (
                stores.data.items.map((store) => (
                  <Table.Tr key={store.id}>
                    <Table.Td>
                      <Anchor component={Link} href={`/console/${space.slug}/stores/${store.id}`}>
                        {store.name}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </>
  );
}

/** "Demo Inc." ends its own sentence: no second full stop after it. */
function withoutFinalDot(name: string): string {
  return name.replace(/\.+$/, '');
}
