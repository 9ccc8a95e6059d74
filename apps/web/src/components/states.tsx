'use client';

import { Alert, Button, EmptyState, Group, Skeleton, Stack, Table } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorMessage, httpStatusOf } from '~/lib/errors';

/** A failed load, with its reason and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const forbidden = httpStatusOf(error) === 403;
  return (
    <Alert
      color={forbidden ? 'yellow' : 'red'}
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={title ?? (forbidden ? 'Not available to your role' : 'Could not load this')}
      role="alert"
    >
      <Stack gap="xs" align="flex-start">
        <span>{errorMessage(error)}</span>
        {onRetry && !forbidden && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function Empty({
  title,
  description,
  action,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <EmptyState
      py="xl"
      title={title}
      description={description}
      icon={<IconInbox size={28} aria-hidden />}
      withIndicatorBackground
    >
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}

/** Placeholder rows while a table loads, so the layout does not jump. */
export function LoadingRows({ columns, rows = 5 }: { columns: number; rows?: number }) {
  return Array.from({ length: rows }, (_, row) => (
    <Table.Tr key={row} aria-hidden>
      {Array.from({ length: columns }, (_, column) => (
        <Table.Td key={column}>
          <Skeleton height={14} radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}

export function NoPermission({ what }: { what: string }) {
  return (
    <Alert color="yellow" title="Not available to your role" role="status">
      <Group gap="xs">Your role in this space does not include {what}. Ask an owner if you need it.</Group>
    </Alert>
  );
}
