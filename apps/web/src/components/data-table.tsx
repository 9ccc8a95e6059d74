'use client';

import { Box, Pagination, Skeleton, Table, type TableThProps } from '@mantine/core';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorState } from './states';

export interface DataTableColumn<T> {
  /** Stable key of the column. */
  key: string;
  /** The header cell's content; a string also labels the cell when rows stack on a phone. */
  header: ReactNode;
  /** The label of the cell in a stacked row, when `header` is not plain text. */
  label?: string;
  cell: (row: T) => ReactNode;
  /** Props of the header cell (`aria-sort`, a width). */
  thProps?: TableThProps;
  /** A fixed width keeps the column still when a cell's content changes (an inline editor). */
  width?: CSSProperties['width'];
  /** Actions: right-aligned on wide screens, a full-width line of their own when stacked. */
  actions?: boolean;
}

/**
 * The scaffolding every list of the console repeats: an error with a retry, placeholder rows while
 * loading, one empty state, and the rows. Below 600 px wide its rows stack into cards (each cell
 * with its column's name), so nothing is clipped and nothing scrolls sideways; wider, a table that
 * is too wide for its box scrolls, and that box can be reached and scrolled with the keyboard.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  error,
  onRetry,
  empty,
  busy = false,
  stale = false,
  minWidth = 640,
  loadingRows = 5,
  striped = false,
}: {
  /** The table's accessible name. */
  label: string;
  columns: DataTableColumn<T>[];
  /** `undefined` while loading. */
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<string, unknown>;
  /** A failed load: shown instead of the table when there are no rows to show. */
  error?: unknown;
  onRetry?: () => void;
  /** Shown in place of the rows when there are none. */
  empty: ReactNode;
  /** A refetch is under way. */
  busy?: boolean;
  /** The rows are the previous page's, kept while the next one loads. */
  stale?: boolean;
  /** Below this width (on screens 600 px and wider) the table scrolls sideways. */
  minWidth?: number;
  loadingRows?: number;
  striped?: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const overflowing = useOverflowing(scroller);

  if (error && !rows) {
    return (
      <Box p="md">
        <ErrorState error={error} onRetry={onRetry} />
      </Box>
    );
  }
  const labelOf = (column: DataTableColumn<T>) =>
    column.label ?? (typeof column.header === 'string' ? column.header : '');

  return (
    <div
      ref={scroller}
      className="data-table-scroller"
      style={{ '--data-table-min-width': `${minWidth}px` } as CSSProperties}
      // Only a box that actually scrolls is a tab stop, named so a screen reader says what it is.
      {...(overflowing ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` } : {})}
    >
      <Table
        className="data-table"
        verticalSpacing="xs"
        highlightOnHover
        striped={striped}
        aria-label={label}
        aria-busy={busy}
        style={{ opacity: stale ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.key} {...column.thProps} {...widthOf(column)}>
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {!rows ? (
            Array.from({ length: loadingRows }, (_, row) => (
              <Table.Tr key={row} aria-hidden>
                {columns.map((column) => (
                  <Table.Td key={column.key}>
                    <Skeleton height={14} radius="sm" />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          ) : rows.length === 0 ? (
            <Table.Tr className="data-table-empty">
              <Table.Td colSpan={columns.length}>{empty}</Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => (
              <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
                {columns.map((column) => (
                  <Table.Td
                    key={column.key}
                    data-label={column.actions ? undefined : labelOf(column)}
                    data-actions={column.actions || undefined}
                    {...widthOf(column)}
                  >
                    {column.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** A column's fixed width, applied by the stylesheet only where rows are not stacked. */
function widthOf(column: { width?: CSSProperties['width'] }) {
  if (column.width === undefined) return {};
  const width = typeof column.width === 'number' ? `${column.width}px` : column.width;
  return { 'data-width': true, style: { '--data-table-column-width': width } as CSSProperties };
}

/** Whether the element's content is wider than the element (so it scrolls), kept up to date. */
function useOverflowing(ref: React.RefObject<HTMLElement | null>): boolean {
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return overflowing;
}

/** The pages of a DataTable, each control named for a screen reader ("next page", "Page 3"). */
export function TablePagination({
  total,
  value,
  onChange,
  boundaries,
}: {
  total: number;
  value: number;
  onChange: (page: number) => void;
  boundaries?: number;
}) {
  return (
    <Pagination
      total={total}
      value={value}
      onChange={onChange}
      size="sm"
      siblings={1}
      {...(boundaries === undefined ? {} : { boundaries })}
      getControlProps={(control) => ({ 'aria-label': `${control} page` })}
      getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
    />
  );
}

/** A list query's state in the DataTable's words: its failure with a retry, a refetch, stale rows. */
export function tableStateOf(query: {
  isError: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
  isFetching: boolean;
  isPlaceholderData: boolean;
}) {
  return {
    error: query.isError ? query.error : undefined,
    onRetry: () => void query.refetch(),
    busy: query.isFetching,
    stale: query.isPlaceholderData,
  };
}
