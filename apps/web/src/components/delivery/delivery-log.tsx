'use client';

import { Badge, Box, Card, Group, Pagination, Select, Table, Text, Title } from '@mantine/core';
import { DELIVERY_PROVIDERS } from '@otp-access/validators';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DateTime } from '~/components/date-time';
import { Empty, ErrorState, LoadingRows } from '~/components/states';
import { DELIVERY_LOG_INPUT } from '~/lib/list-inputs';
import { useTRPC } from '~/trpc/react';

type Filters = {
  type: 'SMS' | 'MAIL' | null;
  provider: (typeof DELIVERY_PROVIDERS)[number] | null;
  status: 'SENT' | 'FAILED' | null;
  purpose: 'STORE_LOGIN' | 'ADMIN_2FA' | 'TEST' | null;
};

const PURPOSE_LABELS = { STORE_LOGIN: 'Store sign-in', ADMIN_2FA: 'Admin sign-in', TEST: 'Test' } as const;

/** Every message sent (recipients masked), newest first, with filters. */
export function DeliveryLog() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [filters, setFilters] = useState<Filters>({
    type: null,
    provider: null,
    status: null,
    purpose: null,
  });
  const set = (patch: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(1);
  };
  const log = useQuery({
    ...trpc.deliveryLog.list.queryOptions({
      ...DELIVERY_LOG_INPUT,
      page,
      ...(filters.type ? { type: filters.type } : {}),
      ...(filters.provider ? { provider: filters.provider } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.purpose ? { purpose: filters.purpose } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const data = log.data;

  return (
    <Card withBorder padding={0} component="section" aria-labelledby="delivery-log-title">
      <Group p="sm" justify="space-between" gap="sm" wrap="wrap">
        <Title order={2} size="h4" id="delivery-log-title">
          Delivery log
        </Title>
        <Group gap="xs" wrap="wrap">
          <Select
            aria-label="Type"
            placeholder="Any type"
            data={[
              { value: 'MAIL', label: 'Email' },
              { value: 'SMS', label: 'SMS' },
            ]}
            value={filters.type}
            onChange={(value) => set({ type: value as Filters['type'] })}
            clearable
            w={120}
            size="xs"
          />
          <Select
            aria-label="Provider"
            placeholder="Any provider"
            data={DELIVERY_PROVIDERS.map((p) => ({ value: p, label: p === 'DEFAULT' ? 'SMTP' : p }))}
            value={filters.provider}
            onChange={(value) => set({ provider: value as Filters['provider'] })}
            clearable
            w={140}
            size="xs"
          />
          <Select
            aria-label="Status"
            placeholder="Any status"
            data={[
              { value: 'SENT', label: 'Sent' },
              { value: 'FAILED', label: 'Failed' },
            ]}
            value={filters.status}
            onChange={(value) => set({ status: value as Filters['status'] })}
            clearable
            w={120}
            size="xs"
          />
          <Select
            aria-label="Purpose"
            placeholder="Any purpose"
            data={Object.entries(PURPOSE_LABELS).map(([value, label]) => ({ value, label }))}
            value={filters.purpose}
            onChange={(value) => set({ purpose: value as Filters['purpose'] })}
            clearable
            w={150}
            size="xs"
          />
        </Group>
      </Group>
      {log.isError && !data ? (
        <Box p="md">
          <ErrorState error={log.error} onRetry={() => void log.refetch()} />
        </Box>
      ) : (
        <Table.ScrollContainer minWidth={720} type="native">
          <Table
            striped
            verticalSpacing="xs"
            aria-label="Delivery log"
            aria-busy={log.isFetching}
            style={{ opacity: log.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Purpose</Table.Th>
                <Table.Th>Provider</Table.Th>
                <Table.Th>Recipient</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!data ? (
                <LoadingRows columns={6} rows={3} />
              ) : data.items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Empty
                      title="No messages"
                      description="Codes and test messages sent from this space appear here."
                    />
                  </Table.Td>
                </Table.Tr>
              ) : (
                data.items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>
                      <DateTime value={entry.createdAt} />
                    </Table.Td>
                    <Table.Td>{PURPOSE_LABELS[entry.purpose]}</Table.Td>
                    <Table.Td>
                      {entry.type === 'MAIL' ? 'Email' : 'SMS'} ·{' '}
                      {entry.provider === 'DEFAULT' ? 'SMTP' : entry.provider}
                    </Table.Td>
                    <Table.Td>{entry.recipient}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={entry.status === 'SENT' ? 'teal' : 'red'}>
                        {entry.status === 'SENT' ? 'Sent' : 'Failed'}
                      </Badge>
                    </Table.Td>
                    <Table.Td maw={280}>
                      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                        {entry.error ?? entry.providerMessageId ?? ''} · {entry.durationMs} ms
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.totalPages > 1 && (
        <Group p="sm" justify="flex-end">
          <Pagination total={data.totalPages} value={data.page} onChange={setPage} size="sm" />
        </Group>
      )}
    </Card>
  );
}
