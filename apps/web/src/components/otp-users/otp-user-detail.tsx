'use client';

import {
  ActionIcon,
  Anchor,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type ReactNode, useState } from 'react';
import { DateTime } from '~/components/date-time';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { ErrorState } from '~/components/states';
import { publishedApplicationsInput, STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { useTRPC } from '~/trpc/react';
import { AllowanceEditor, AllowanceValue, DownloadsUsage } from './allowance';
import { useDeleteOtpUser } from './delete-otp-user';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Box fz="sm">{children}</Box>
    </Stack>
  );
}

/** Every counted download, newest first (logins: the latest one is shown above). */
function DownloadHistory({ storeId, otpUserId }: { storeId: string; otpUserId: string }) {
  const trpc = useTRPC();
  const downloads = useQuery(trpc.otpUser.downloads.queryOptions({ storeId, otpUserId, page: 1, limit: 50 }));
  return (
    <Card withBorder>
      <Title order={2} size="h5" mb={4}>
        Download history
      </Title>
      {downloads.isPending ? (
        <Skeleton height={40} />
      ) : downloads.isError ? (
        <Text size="sm" c="red">
          The download history could not be loaded.
        </Text>
      ) : downloads.data.totalDocs === 0 ? (
        <Text size="sm" c="dimmed">
          No downloads yet.
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {downloads.data.totalDocs} download{downloads.data.totalDocs === 1 ? '' : 's'}
            {downloads.data.totalDocs > downloads.data.items.length
              ? ` (latest ${downloads.data.items.length} shown)`
              : ''}
          </Text>
          {downloads.data.items.map((event) => (
            <Text key={event.id} size="sm">
              <DateTime value={event.at} />
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function OtpUserDetail({ storeId, otpUserId }: { storeId: string; otpUserId: string }) {
  const trpc = useTRPC();
  const space = useSpace();
  const router = useRouter();
  const user = useQuery(trpc.otpUser.byId.queryOptions({ storeId, otpUserId }));
  const usage = useQuery(trpc.otpUser.usage.queryOptions({ storeId, otpUserIds: [otpUserId] }));
  const apps = useQuery(trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)));
  const stores = useQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT));
  const [editing, setEditing] = useState(false);
  const listHref = `/console/${space.slug}/stores/${storeId}`;
  const confirmDelete = useDeleteOtpUser(storeId, () => router.push(listHref));
  const store = stores.data?.items.find((s) => s.id === storeId);
  const app = apps.data?.items.find((a) => a.id === user.data?.publishedApplicationId);

  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs>
            {(stores.data?.items.length ?? 0) > 1 && (
              <Anchor component={Link} href={`/console/${space.slug}/stores`} size="sm">
                Stores
              </Anchor>
            )}
            <Anchor component={Link} href={listHref} size="sm">
              {store?.name ?? 'Store'}
            </Anchor>
            <Text size="sm">OTP user</Text>
          </Breadcrumbs>
        }
        title={user.data?.email ?? <Skeleton height={28} width={260} />}
        actions={
          user.data &&
          space.can('mad.store.otpUsers.remove') && (
            <Button
              color="red"
              variant="light"
              leftSection={<IconTrash size={16} />}
              onClick={() => user.data && confirmDelete(user.data)}
            >
              Delete
            </Button>
          )
        }
      />
      {user.isError ? (
        <ErrorState error={user.error} onRetry={() => void user.refetch()} />
      ) : (
        <Stack>
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="lg" verticalSpacing="md">
              <Field label="Application">{app ? `${app.name} ${app.version}` : '—'}</Field>
              <Field label="Allowed downloads">
                {!user.data ? (
                  <Skeleton height={16} width={80} />
                ) : editing ? (
                  <AllowanceEditor storeId={storeId} user={user.data} onDone={() => setEditing(false)} />
                ) : (
                  <Group gap={6}>
                    <AllowanceValue value={user.data.allowedDownloadsNum} />
                    {space.can('mad.store.otpUsers.update') && (
                      <Tooltip label="Change allowance">
                        <ActionIcon
                          variant="subtle"
                          size="sm"
                          aria-label={`Change allowance of ${user.data.email}`}
                          onClick={() => setEditing(true)}
                        >
                          <IconPencil size={14} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                )}
              </Field>
              <Field label="Downloads">
                {user.data ? (
                  <DownloadsUsage
                    allowedDownloadsNum={user.data.allowedDownloadsNum}
                    downloadsCount={usage.data?.[0]?.downloadsCount}
                  />
                ) : (
                  <Skeleton height={16} width={80} />
                )}
              </Field>
              <Field label="Id">
                <Code>{otpUserId}</Code>
              </Field>
              <Field label="Last login">
                <DateTime value={user.data?.lastLoginDate} empty="Never" />
              </Field>
              <Field label="Last download">
                <DateTime value={user.data?.lastDownloadDate} empty="Never" />
              </Field>
              <Field label="Added">
                <DateTime value={user.data?.createdAt} />
              </Field>
              <Field label="Last changed">
                <DateTime value={user.data?.updatedAt} />
              </Field>
            </SimpleGrid>
          </Card>
          <DownloadHistory storeId={storeId} otpUserId={otpUserId} />
        </Stack>
      )}
    </>
  );
}
