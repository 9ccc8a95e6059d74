'use client';

import { Badge, Card, Group, Select, Text, Title } from '@mantine/core';
import { DELIVERY_PROVIDERS } from '@otp-access/validators';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { DataTable, TablePagination, tableStateOf } from '~/components/data-table';
import { DateTime } from '~/components/date-time';
import { Empty } from '~/components/states';
import { DELIVERY_LOG_INPUT } from '~/lib/list-inputs';
import { useTRPC } from '~/trpc/react';
import { providerLabel } from './providers';

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
  // A link (from the overview) may open the log filtered: `?status=FAILED&purpose=STORE_LOGIN`.
  const params = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => ({
    type: null,
    provider: null,
    status: oneOf(params.get('status'), ['SENT', 'FAILED'] as const),
    purpose: oneOf(params.get('purpose'), ['STORE_LOGIN', 'ADMIN_2FA', 'TEST'] as const),
  }));
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

  // Alike on purpose: one Select per filter of the log, each with its own options and width.
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
            data={DELIVERY_PROVIDERS.map((p) => ({ value: p, label: providerLabel(p) }))}
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
      <DataTable
        label="Delivery log"
        minWidth={720}
        striped
        loadingRows={3}
        rows={data?.items}
        rowKey={(entry) => entry.id}
        {...tableStateOf(log)}
        empty={
          <Empty
            title="No messages"
            description="Codes and test messages sent from this space appear here."
          />
        }
        columns={[
          { key: 'when', header: 'When', cell: (entry) => <DateTime value={entry.createdAt} /> },
          { key: 'purpose', header: 'Purpose', cell: (entry) => PURPOSE_LABELS[entry.purpose] },
          {
            key: 'provider',
            header: 'Provider',
            cell: (entry) => <span className="nowrap">{providerLabel(entry.provider)}</span>,
          },
          { key: 'recipient', header: 'Recipient', cell: (entry) => entry.recipient },
          {
            key: 'status',
            header: 'Status',
            cell: (entry) => (
              <Badge size="sm" variant="light" color={entry.status === 'SENT' ? 'teal' : 'red'}>
                {entry.status === 'SENT' ? 'Sent' : 'Failed'}
              </Badge>
            ),
          },
          {
            key: 'details',
            header: 'Details',
            cell: (entry) => (
              <Text size="xs" c="dimmed" maw={280} style={{ overflowWrap: 'anywhere' }}>
                {[entry.error ?? entry.providerMessageId, `${entry.durationMs} ms`]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            ),
          },
        ]}
      />
      {data && data.totalPages > 1 && (
        <Group p="sm" justify="flex-end">
          <TablePagination total={data.totalPages} value={data.page} onChange={setPage} />
        </Group>
      )}
    </Card>
  );
}

function oneOf<const T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}
