'use client';

import { Text, Tooltip } from '@mantine/core';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** False while the server renders and the page hydrates, true afterwards. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-01-31 14:05`: short, sortable by eye, the same in every locale. */
export function formatDateTime(date: Date, zone: 'local' | 'utc'): string {
  const [y, m, d, h, min] =
    zone === 'utc'
      ? [
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
          date.getUTCHours(),
          date.getUTCMinutes(),
        ]
      : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
  return `${y}-${pad(m)}-${pad(d)} ${pad(h)}:${pad(min)}`;
}

/**
 * A timestamp in the viewer's time zone. The server does not know that zone, so the first render
 * shows UTC and the browser switches to local time once hydrated (no mismatch).
 */
export function DateTime({ value, empty = '—' }: { value: string | null | undefined; empty?: string }) {
  const hydrated = useHydrated();
  if (!value) {
    return (
      <Text span c="dimmed" inherit>
        {empty}
      </Text>
    );
  }
  const date = new Date(value);
  return (
    <Tooltip label={`${formatDateTime(date, 'utc')} UTC`} openDelay={400}>
      <time dateTime={value} className="nowrap">
        {hydrated ? formatDateTime(date, 'local') : `${formatDateTime(date, 'utc')} UTC`}
      </time>
    </Tooltip>
  );
}
