'use client';

import { Autocomplete, Badge, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Role } from '@otp-access/validators';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, TablePagination, tableStateOf } from '~/components/data-table';
import { DateTime } from '~/components/date-time';
import { transportLabel } from '~/components/delivery/providers';
import { PageHeader } from '~/components/page-header';
import { Empty } from '~/components/states';
import { describeActor } from '~/lib/actors';
import { AUDIT_PAGE_INPUT } from '~/lib/list-inputs';
import { ROLE_LABELS } from '~/lib/permissions';
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

const TARGET_TYPES: Record<string, string> = {
  OtpUser: 'OTP user',
  AdminUser: 'Member',
  ApiKey: 'API key',
  DeliverySetting: 'Delivery provider',
};

/** Field names as the console's forms call them. */
const FIELD_LABELS: Record<string, string> = {
  allowedDownloadsNum: 'Allowance',
  email: 'Email',
  role: 'Role',
  isDefault: 'Default',
  provider: 'Provider',
  permissions: 'Permissions',
  name: 'Name',
  smtpHost: 'SMTP host',
  smtpPort: 'Port',
  transportStrategy: 'Security',
  fromAddress: 'From address',
  username: 'Username',
  bayiCode: 'Dealer code',
  header: 'Sender name',
  accountSid: 'Account SID',
  twilioNumber: 'Sender number',
  accountNumber: 'Account number',
  originator: 'Originator',
  shortNumber: 'Short number',
  operator: 'Operator',
  secretsChanged: 'Secrets changed',
  publishedApplicationId: 'Application',
};

const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'allowedDownloadsNum' && typeof value === 'number') {
    return value === -1 ? 'Unlimited' : value.toLocaleString('en');
  }
  if (field === 'role' && typeof value === 'string' && value in ROLE_LABELS) {
    return ROLE_LABELS[value as Role];
  }
  if (field === 'transportStrategy' && typeof value === 'string') return transportLabel(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, 5)
      .map((v) => formatValue(field, v))
      .join(', ');
    return value.length > 5 ? `${shown} and ${value.length - 5} more` : shown;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value) && 'from' in value! && 'to' in value!;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * An event's changes as lines a person reads: `{from, to}` pairs as "a → b", nested groups (a
 * setting's `fields`) flattened, and whatever did not actually change left out.
 */
export function changeLines(changes: unknown): { field: string; text: string }[] {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
  const lines: { field: string; text: string }[] = [];
  for (const [field, value] of Object.entries(changes as Record<string, unknown>)) {
    if (isChange(value)) {
      if (!same(value.from, value.to)) {
        lines.push({
          field: fieldLabel(field),
          text: `${formatValue(field, value.from)} → ${formatValue(field, value.to)}`,
        });
      }
    } else if (field === 'fields' && value && typeof value === 'object' && !Array.isArray(value)) {
      lines.push(...changeLines(value));
    } else if (Array.isArray(value) && value.length === 0) {
      // "Secrets changed: none" says nothing.
    } else {
      lines.push({ field: fieldLabel(field), text: formatValue(field, value) });
    }
  }
  return lines;
}

function Changes({ changes, skip }: { changes: unknown; skip: string | null }) {
  // The target's own name is in the Target column already.
  const lines = changeLines(changes).filter((line) => !(line.field === 'Email' && line.text === skip));
  if (lines.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {lines.map((line) => (
        <Text key={line.field} size="xs" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600} size="xs">
            {line.field}
          </Text>
          : {line.text}
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

  // Like the OTP users list on purpose: filters above a paged DataTable, each with its own fields and columns.
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
        <DataTable
          label="Audit events"
          minWidth={820}
          striped
          rows={data?.items}
          rowKey={(event) => event.id}
          {...tableStateOf(events)}
          empty={
            <Empty
              title={actor || action ? 'No events match' : 'Nothing recorded yet'}
              description={
                actor || action ? 'Try another actor or action.' : 'Changes made in this space appear here.'
              }
            />
          }
          columns={[
            { key: 'when', header: 'When', cell: (event) => <DateTime value={event.at} /> },
            {
              key: 'actor',
              header: 'Actor',
              cell: (event) => {
                const actor = describeActor(event.actor, event.actorRole);
                return (
                  <Stack gap={0}>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {actor.who}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {actor.what}
                    </Text>
                  </Stack>
                );
              },
            },
            {
              key: 'action',
              header: 'Action',
              cell: (event) => (
                <Badge variant="light" color={actionColor(event.action)} tt="none">
                  {event.action}
                </Badge>
              ),
            },
            {
              key: 'target',
              header: 'Target',
              cell: (event) => (
                <div>
                  <Text size="xs" c="dimmed">
                    {TARGET_TYPES[event.targetType] ?? event.targetType}
                  </Text>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }} title={event.targetId}>
                    {event.targetLabel ?? 'Unnamed'}
                  </Text>
                </div>
              ),
            },
            {
              key: 'changes',
              header: 'Changes',
              cell: (event) => <Changes changes={event.changes} skip={event.targetLabel} />,
            },
          ]}
        />
        {data && data.totalPages > 1 && (
          <Group p="sm" justify="space-between">
            <Text size="sm" c="dimmed">
              {data.totalDocs.toLocaleString('en')} events
            </Text>
            <TablePagination total={data.totalPages} value={data.page} onChange={setPage} />
          </Group>
        )}
      </Card>
    </>
  );
}
