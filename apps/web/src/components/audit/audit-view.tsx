'use client';

import {
  Autocomplete,
  Badge,
  Box,
  Card,
  Code,
  Group,
  Pagination,
  Spoiler,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DateTime } from '~/components/date-time';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty, ErrorState, LoadingRows, NoPermission } from '~/components/states';
import { AUDIT_PAGE_INPUT } from '~/lib/list-inputs';
import { useTRPC } from '~/trpc/react';

/** Actions the API records, offered as suggestions (any exact action can be typed). */
const KNOWN_ACTIONS = [
  'otpUser.create',
  'otpUser.update',
  'otpUser.delete',
  'apiKey.create',
  'apiKey.revoke',
  'member.invite',
  'member.changeRole',
  'member.remove',
  'member.unlock',
  'otpSettings.create',
  'otpSettings.update',
  'otpSettings.setDefault',
  'otpSettings.remove',
  'organization.create',
  'organization.rename',
  'organization.updateOtpPolicy',
  'store.create',
  'store.update',
  'store.delete',
];

/** `user:<id> (email)` / `apiKey:<id> (name, prefix…)`, the API's actor labels, for people. */
function describeActor(label: string): { who: string; what: string } {
  const user = /^user:[0-9a-f]{24} \((.+)\)$/.exec(label);
  if (user) return { who: user[1]!, what: 'Admin' };
  const key = /^apiKey:[0-9a-f]{24} \((.+), ([^,]+)\)$/.exec(label);
  if (key) return { who: key[1]!, what: `API key ${key[2]}` };
  return { who: label, what: '' };
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    const shown = value.slice(0, 5).map(formatValue).join(', ');
    return value.length > 5 ? `${shown} and ${value.length - 5} more` : shown;
  }
  if (value && typeof value === 'object') {
    const { from, to } = value as { from?: unknown; to?: unknown };
    if ('from' in value && 'to' in value) return `${formatValue(from)} → ${formatValue(to)}`;
    return JSON.stringify(value);
  }
  return value === null || value === undefined ? '—' : String(value);
}

function Changes({ changes }: { changes: unknown }) {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
    return (
      <Text size="xs" ff="monospace">
        {formatValue(changes)}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {Object.entries(changes).map(([field, value]) => (
        <Text key={field} size="xs" style={{ wordBreak: 'break-word' }}>
          <Text span fw={600} size="xs">
            {field}
          </Text>
          : {formatValue(value)}
        </Text>
      ))}
    </Stack>
  );
}

function actionColor(action: string): string {
  if (/delete|remove|revoke/i.test(action)) return 'red';
  if (/create|invite/i.test(action)) return 'teal';
  return 'indigo';
}

export function AuditView() {
  const space = useSpace();
  if (!space.can('org.audit.read')) {
    return (
      <>
        <PageHeader title="Audit log" />
        <NoPermission what="the audit log" />
      </>
    );
  }
  return <Audit />;
}

function Audit() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [actorInput, setActorInput] = useState('');
  const [actionInput, setActionInput] = useState('');
  const [actor] = useDebouncedValue(actorInput.trim(), 300);
  const [action] = useDebouncedValue(actionInput.trim(), 300);
  const events = useQuery({
    ...trpc.audit.list.queryOptions({
      ...AUDIT_PAGE_INPUT,
      page,
      ...(actor ? { actor } : {}),
      ...(action ? { action } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const data = events.data;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in this space: who did it, when, and what changed."
      />
      <Card withBorder padding={0}>
        <Group p="sm" gap="sm" wrap="wrap">
          <TextInput
            aria-label="Filter by actor"
            placeholder="Actor (email or key)"
            type="search"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={actorInput}
            onChange={(event) => {
              setActorInput(event.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 220px' }}
          />
          <Autocomplete
            aria-label="Filter by action"
            placeholder="Action, e.g. otpUser.update"
            data={KNOWN_ACTIONS}
            value={actionInput}
            onChange={(value) => {
              setActionInput(value);
              setPage(1);
            }}
            clearable
            w={{ base: '100%', xs: 240 }}
          />
        </Group>
        {events.isError && !data ? (
          <Box p="md">
            <ErrorState error={events.error} onRetry={() => void events.refetch()} />
          </Box>
        ) : (
          <Table.ScrollContainer minWidth={820} type="native">
            <Table
              verticalSpacing="xs"
              striped
              aria-label="Audit events"
              aria-busy={events.isFetching}
              style={{ opacity: events.isPlaceholderData ? 0.6 : 1 }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Changes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {!data ? (
                  <LoadingRows columns={5} />
                ) : data.items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Empty
                        title={actor || action ? 'No events match' : 'Nothing recorded yet'}
                        description={
                          actor || action
                            ? 'Try another actor or action.'
                            : 'Changes made in this space appear here.'
                        }
                      />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  data.items.map((event) => (
                    <Table.Tr key={event.id}>
                      <Table.Td>
                        <DateTime value={event.at} />
                      </Table.Td>
                      <Table.Td miw={170} maw={240}>
                        <Tooltip label={event.actor} openDelay={400} multiline maw={360}>
                          <Stack gap={0}>
                            <Text size="sm" style={{ wordBreak: 'break-word' }}>
                              {describeActor(event.actor).who}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {describeActor(event.actor).what}
                            </Text>
                          </Stack>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={actionColor(event.action)} tt="none">
                          {event.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {event.targetType}
                        </Text>
                        <Code fz="xs">{event.targetId}</Code>
                      </Table.Td>
                      <Table.Td maw={360}>
                        <Spoiler maxHeight={64} showLabel="More" hideLabel="Less">
                          <Changes changes={event.changes} />
                        </Spoiler>
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {data && data.totalPages > 1 && (
          <Group p="sm" justify="space-between">
            <Text size="sm" c="dimmed">
              {data.totalDocs.toLocaleString('en')} events
            </Text>
            <Pagination total={data.totalPages} value={data.page} onChange={setPage} size="sm" />
          </Group>
        )}
      </Card>
    </>
  );
}
