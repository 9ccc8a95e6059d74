'use client';

import {
  ActionIcon,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Select,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks';
import type { AppRouter } from '@otp-access/api';
import type { OtpUserSortField } from '@otp-access/validators';
import {
  IconArrowDown,
  IconArrowsSort,
  IconArrowUp,
  IconPencil,
  IconPlus,
  IconSearch,
  IconTrash,
} from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { type ReactNode, useMemo, useState } from 'react';
import { DataTable, type DataTableColumn, TablePagination, tableStateOf } from '~/components/data-table';
import { DateTime } from '~/components/date-time';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty } from '~/components/states';
import {
  listInputOf,
  listViewToSearch,
  type OtpUserListView,
  PAGE_SIZES,
  publishedApplicationsInput,
  readListView,
  STORE_LIST_INPUT,
} from '~/lib/otp-user-list';
import { useTRPC } from '~/trpc/react';
import { AllowanceEditor, AllowanceValue, DownloadsUsage } from './allowance';
import { CreateOtpUsersModal } from './create-otp-users-modal';
import { useDeleteOtpUser } from './delete-otp-user';

type OtpUser = inferRouterOutputs<AppRouter>['otpUser']['list']['items'][number];

const COLUMNS: { field: OtpUserSortField | null; label: string }[] = [
  { field: 'email', label: 'Email' },
  { field: null, label: 'Application' },
  { field: 'allowedDownloadsNum', label: 'Allowance' },
  { field: null, label: 'Downloads' },
  { field: 'lastLoginDate', label: 'Last login' },
  { field: 'lastDownloadDate', label: 'Last download' },
  { field: 'createdAt', label: 'Added' },
];

export function OtpUsersView({ storeId }: { storeId: string }) {
  const trpc = useTRPC();
  const space = useSpace();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => readListView(new URLSearchParams(searchParams.toString())), [searchParams]);

  /**
   * The view lives in the URL. Changing it goes through the History API, which Next keeps in sync
   * with `useSearchParams` without a server round trip: the table's own query fetches the page.
   * A change builds on the URL as it is now, not on the last render's view: a search written a
   * moment ago may not have rendered yet, and a sort clicked then must keep it.
   */
  const latestView = () => readListView(new URLSearchParams(window.location.search));
  const setView = (patch: Partial<OtpUserListView>, mode: 'push' | 'replace' = 'replace') => {
    const url = `${pathname}${listViewToSearch({ ...latestView(), ...patch })}`;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  };

  const list = useQuery({
    ...trpc.otpUser.list.queryOptions(listInputOf(storeId, view)),
    placeholderData: keepPreviousData,
  });
  // Downloads used, for the rows shown: the console's own read (the REST OTP user has no such field).
  const pageIds = useMemo(() => (list.data?.items ?? []).map((user) => user.id), [list.data]);
  const usage = useQuery({
    ...trpc.otpUser.usage.queryOptions({ storeId, otpUserIds: pageIds }),
    enabled: pageIds.length > 0,
    placeholderData: keepPreviousData,
  });
  const usedBy = useMemo(
    () => new Map((usage.data ?? []).map((row) => [row.id, row.downloadsCount])),
    [usage.data],
  );
  const apps = useQuery(trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)));
  const stores = useQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT));
  const store = stores.data?.items.find((s) => s.id === storeId);
  const appOptions = useMemo(
    () => (apps.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name} ${a.version}` })),
    [apps.data],
  );
  const appName = (id: string) => appOptions.find((a) => a.value === id)?.label ?? '—';
  // With a single published application, its column and filter would only repeat it.
  const showApps = appOptions.length > 1 || view.app !== null;
  const columns = COLUMNS.filter((column) => showApps || column.label !== 'Application');

  const [search, setSearch] = useState(view.email);
  const applySearch = useDebouncedCallback((value: string) => setView({ email: value.trim(), page: 1 }), 300);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [editing, setEditing] = useState<string | null>(null);
  // Where focus goes when the inline editor closes: back to the button that opened it.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  const stopEditing = (id: string) => {
    setEditing(null);
    setReturnFocusTo(id);
  };
  const confirmDelete = useDeleteOtpUser(storeId);

  const canCreate = space.can('mad.store.otpUsers.create');
  const canUpdate = space.can('mad.store.otpUsers.update');
  const canRemove = space.can('mad.store.otpUsers.remove');
  const filtered = Boolean(view.email || view.app || view.left !== null);
  const base = `/console/${space.slug}/stores`;

  const sortBy = (field: OtpUserSortField) => {
    const { sort: shown } = latestView();
    const current = shown?.field === field ? shown.direction : null;
    const sort =
      current === null
        ? { field, direction: 'asc' as const }
        : current === 'asc'
          ? { field, direction: 'desc' as const }
          : null;
    setView({ sort, page: 1 });
  };

  const cellOf = (column: string, user: OtpUser): ReactNode => {
    switch (column) {
      case 'Email':
        return (
          <Anchor component={Link} href={`${base}/${storeId}/otp-users/${user.id}`} size="sm">
            {user.email}
          </Anchor>
        );
      case 'Application':
        return (
          <Text size="sm" className="nowrap">
            {appName(user.publishedApplicationId)}
          </Text>
        );
      case 'Allowance':
        return editing === user.id ? (
          <AllowanceEditor storeId={storeId} user={user} onDone={() => stopEditing(user.id)} />
        ) : (
          <Group gap={6} wrap="nowrap">
            <AllowanceValue value={user.allowedDownloadsNum} />
            {canUpdate && (
              <Tooltip label="Change allowance">
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label={`Change allowance of ${user.email}`}
                  onClick={() => setEditing(user.id)}
                  ref={user.id === returnFocusTo ? focusOnce(setReturnFocusTo) : undefined}
                >
                  <IconPencil size={14} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        );
      case 'Downloads':
        return (
          <DownloadsUsage
            allowedDownloadsNum={user.allowedDownloadsNum}
            downloadsCount={usedBy.get(user.id)}
          />
        );
      case 'Last login':
        return <DateTime value={user.lastLoginDate} empty="Never" />;
      case 'Last download':
        return <DateTime value={user.lastDownloadDate} empty="Never" />;
      default:
        return <DateTime value={user.createdAt} />;
    }
  };

  const data = list.data;
  const first = data && data.totalDocs > 0 ? (data.page - 1) * data.limit + 1 : 0;
  const last = data ? first + data.items.length - Math.min(1, data.items.length) : 0;

  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs>
            {(stores.data?.items.length ?? 0) > 1 && (
              <Anchor component={Link} href={base} size="sm">
                Stores
              </Anchor>
            )}
            <Text size="sm">{store?.name ?? 'Store'}</Text>
          </Breadcrumbs>
        }
        title="OTP users"
        description={store ? `Who may sign in to ${store.name} with a one-time code` : undefined}
        actions={
          <Group gap="sm">
            <Button component={Link} href={`${base}/${storeId}/applications`} variant="default">
              Applications and builds
            </Button>
            {canCreate && (
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={openCreate}
                disabled={appOptions.length === 0}
              >
                Add users
              </Button>
            )}
          </Group>
        }
      />

      <Card withBorder padding={0}>
        <Group p="sm" gap="sm" wrap="wrap">
          <TextInput
            aria-label="Search by email"
            placeholder="Search by email"
            type="search"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              applySearch(event.currentTarget.value);
            }}
            style={{ flex: '1 1 220px' }}
          />
          {view.left !== null && (
            <Group gap={4} wrap="nowrap">
              <Text size="sm">{leftFilterLabel(view.left)}</Text>
              <Button variant="subtle" size="compact-sm" onClick={() => setView({ left: null, page: 1 })}>
                Show everyone
              </Button>
            </Group>
          )}
          {showApps && (
            <Select
              aria-label="Published application"
              placeholder="All applications"
              data={appOptions}
              value={view.app}
              onChange={(app) => setView({ app, page: 1 })}
              clearable
              w={{ base: '100%', xs: 220 }}
            />
          )}
        </Group>

        <DataTable
          label="OTP users"
          minWidth={800}
          striped
          rows={data?.items}
          rowKey={(user) => user.id}
          {...tableStateOf(list)}
          empty={
            filtered ? (
              <Empty
                title="No OTP users match"
                description="Try another email or application."
                action={
                  <Button
                    variant="light"
                    onClick={() => {
                      setSearch('');
                      setView({ email: '', app: null, left: null, page: 1 });
                    }}
                  >
                    Clear filters
                  </Button>
                }
              />
            ) : view.page > 1 ? (
              <Empty
                title="Nothing on this page"
                action={
                  <Button variant="light" onClick={() => setView({ page: 1 })}>
                    Go to the first page
                  </Button>
                }
              />
            ) : (
              <Empty
                title="No OTP users yet"
                description="Add the emails of the people who may download the app."
                action={
                  canCreate && (
                    <Button onClick={openCreate} disabled={appOptions.length === 0}>
                      Add users
                    </Button>
                  )
                }
              />
            )
          }
          columns={[
            ...columns.map((column): DataTableColumn<OtpUser> => {
              const sortable = column.field;
              const direction = sortable && view.sort?.field === sortable ? view.sort.direction : null;
              return {
                key: column.label,
                label: column.label,
                header: sortable ? (
                  <SortButton label={column.label} direction={direction} onSort={() => sortBy(sortable)} />
                ) : (
                  column.label
                ),
                thProps: sortable
                  ? {
                      'aria-sort':
                        direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none',
                    }
                  : undefined,
                // The inline editor wraps inside this width: opening it moves no other column.
                width: column.field === 'allowedDownloadsNum' ? 230 : undefined,
                cell: (user) => cellOf(column.label, user),
              };
            }),
            ...(canRemove
              ? [
                  {
                    key: 'actions',
                    header: <VisuallyHidden>Actions</VisuallyHidden>,
                    actions: true,
                    width: 48,
                    cell: (user: OtpUser) => (
                      <Group justify="flex-end">
                        <Tooltip label="Delete">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            size="sm"
                            aria-label={`Delete ${user.email}`}
                            onClick={() => confirmDelete(user)}
                          >
                            <IconTrash size={14} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    ),
                  },
                ]
              : []),
          ]}
        />

        {data && data.totalDocs > 0 && (
          <Group p="sm" justify="space-between" gap="sm" wrap="wrap">
            <Text size="sm" c="dimmed" aria-live="polite">
              {first.toLocaleString('en')}–{last.toLocaleString('en')} of{' '}
              {data.totalDocs.toLocaleString('en')}
            </Text>
            <Group gap="sm" wrap="wrap">
              <TablePagination
                total={data.totalPages}
                value={data.page}
                onChange={(page) => setView({ page }, 'push')}
                boundaries={1}
              />
              <Select
                aria-label="Rows per page"
                data={PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} / page` }))}
                value={String(view.limit)}
                onChange={(limit) => limit && setView({ limit: Number(limit), page: 1 })}
                allowDeselect={false}
                size="xs"
                w={110}
              />
            </Group>
          </Group>
        )}
      </Card>

      {canCreate && (
        <CreateOtpUsersModal
          opened={creating}
          onClose={closeCreate}
          storeId={storeId}
          apps={appOptions}
          defaultApp={view.app}
        />
      )}
    </>
  );
}

/** A ref that focuses its element once, then forgets it should. */
function focusOnce(done: (id: null) => void) {
  return (element: HTMLButtonElement | null) => {
    if (!element) return;
    element.focus();
    done(null);
  };
}

function SortButton({
  label,
  direction,
  onSort,
}: {
  label: string;
  direction: 'asc' | 'desc' | null;
  onSort: () => void;
}) {
  const Icon = direction === 'asc' ? IconArrowUp : direction === 'desc' ? IconArrowDown : IconArrowsSort;
  return (
    <UnstyledButton onClick={onSort}>
      <Group gap={4} wrap="nowrap">
        <Text size="sm" fw={700} className="nowrap">
          {label}
        </Text>
        <Icon size={14} aria-hidden style={{ opacity: direction ? 1 : 0.4 }} />
      </Group>
    </UnstyledButton>
  );
}

/** The near-allowance filter, as a sentence. */
export function leftFilterLabel(left: number): string {
  return left === 0
    ? 'Only users with no downloads left'
    : `Only users with ${left} download${left === 1 ? '' : 's'} or fewer left`;
}
