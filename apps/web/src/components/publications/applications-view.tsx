'use client';

import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Checkbox,
  Code,
  CopyButton,
  FileButton,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { DateTime } from '~/components/date-time';
import { confirmDestructive, notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty, ErrorState, LoadingRows } from '~/components/states';
import { errorMessage } from '~/lib/errors';
import { publishedApplicationsInput, STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { useTRPC } from '~/trpc/react';
import { buildUploadUrl, uploadBuild } from './upload-build';

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** A store's applications, their builds, uploads and the choice of the published build. */
export function ApplicationsView({ storeId }: { storeId: string }) {
  const trpc = useTRPC();
  const space = useSpace();
  const apps = useQuery(trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)));
  const stores = useQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT));
  const store = stores.data?.items.find((s) => s.id === storeId);
  const canManage = space.can('mad.publications.manage');
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const base = `/console/${space.slug}/stores`;

  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs>
            <Anchor component={Link} href={base} size="sm">
              Stores
            </Anchor>
            <Anchor component={Link} href={`${base}/${storeId}`} size="sm">
              {store?.name ?? 'Store'}
            </Anchor>
            <Text size="sm">Applications</Text>
          </Breadcrumbs>
        }
        title="Applications"
        description="The apps this store offers, their builds, and the build OTP users download."
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              New application
            </Button>
          )
        }
      />
      {apps.isError ? (
        <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />
      ) : !apps.data ? (
        <Card withBorder>
          <Text c="dimmed">Loading applications…</Text>
        </Card>
      ) : apps.data.items.length === 0 ? (
        <Card withBorder>
          <Empty title="No applications yet" description="Create one, then upload its first build." />
        </Card>
      ) : (
        <Stack gap="lg">
          {apps.data.items.map((app) => (
            <ApplicationCard key={app.id} storeId={storeId} app={app} canManage={canManage} />
          ))}
        </Stack>
      )}
      <CreateApplicationModal opened={creating} onClose={closeCreate} storeId={storeId} />
    </>
  );
}

interface AppSummary {
  id: string;
  name: string;
  version: string;
  publishedBuildId: string | null;
}

function ApplicationCard({
  storeId,
  app,
  canManage,
}: {
  storeId: string;
  app: AppSummary;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const ref = { storeId, publishedApplicationId: app.id };
  const builds = useQuery(trpc.build.list.queryOptions({ ...ref, page: 1, limit: 20 }));
  const [publishOnUpload, setPublishOnUpload] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.build.list.pathFilter());
    await queryClient.invalidateQueries(trpc.publishedApplication.list.pathFilter());
  };
  const publish = useMutation(
    trpc.build.publish.mutationOptions({
      onSuccess: async () => {
        await refresh();
        notifyDone('Build published', `OTP users of ${app.name} now download it.`);
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Not published', message: errorMessage(error) }),
    }),
  );
  const remove = useMutation(
    trpc.build.delete.mutationOptions({
      onSuccess: refresh,
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(error) }),
    }),
  );

  const upload = async (file: File | null) => {
    if (!file) return;
    setUploadError(null);
    setProgress(0);
    const outcome = await uploadBuild(
      buildUploadUrl(space.slug, storeId, app.id),
      file,
      publishOnUpload,
      setProgress,
    );
    setProgress(null);
    if (!outcome.ok) {
      setUploadError(`${file.name} was not uploaded: ${outcome.message}`);
      return;
    }
    await refresh();
    notifyDone('Build uploaded', file.name);
  };

  const confirmDelete = (build: { id: string; fileName: string }) =>
    confirmDestructive({
      title: 'Delete build',
      message: `${build.fileName} will be deleted. This cannot be undone.`,
      confirm: 'Delete',
      onConfirm: () => remove.mutate({ ...ref, buildId: build.id }),
    });

  const headingId = `app-${app.id}`;
  return (
    <Card withBorder padding={0} component="section" aria-labelledby={headingId}>
      <Group justify="space-between" p="md" wrap="wrap" gap="sm">
        <div>
          <Text fw={600} id={headingId} component="h2" m={0} fz="lg">
            {app.name}
          </Text>
          <Text size="sm" c="dimmed">
            {app.publishedBuildId
              ? `Published version: ${app.version || 'no version number'}`
              : 'No build published yet: OTP users cannot download it.'}
          </Text>
          {/* The id a CI key holder needs to upload builds and add OTP users through the API. */}
          <Group gap={6} wrap="nowrap" mt={4}>
            <Text size="sm" c="dimmed" component="span">
              Published application id
            </Text>
            <Code data-testid="published-application-id">{app.id}</Code>
            <CopyButton value={app.id}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy'}>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    onClick={copy}
                    aria-label={copied ? 'Id copied' : `Copy the id of ${app.name}`}
                  >
                    {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </div>
        {canManage && (
          <Group gap="sm">
            <Checkbox
              label="Publish when uploaded"
              checked={publishOnUpload}
              onChange={(event) => setPublishOnUpload(event.currentTarget.checked)}
            />
            <FileButton onChange={(file) => void upload(file)} disabled={progress !== null}>
              {(props) => (
                <Button
                  {...props}
                  leftSection={<IconUpload size={16} />}
                  variant="light"
                  loading={progress !== null}
                >
                  Upload build
                </Button>
              )}
            </FileButton>
          </Group>
        )}
      </Group>
      {progress !== null && (
        <Box px="md" pb="md">
          <Progress value={Math.round(progress * 100)} aria-label={`Uploading ${app.name}`} animated />
          <Text size="sm" mt={4} aria-live="polite">
            Uploading… {Math.round(progress * 100)}%
          </Text>
        </Box>
      )}
      {uploadError && (
        <Box px="md" pb="md">
          <Alert
            color="red"
            title="Upload failed"
            role="alert"
            withCloseButton
            onClose={() => setUploadError(null)}
          >
            {uploadError}
          </Alert>
        </Box>
      )}
      {builds.isError ? (
        <Box p="md">
          <ErrorState error={builds.error} onRetry={() => void builds.refetch()} />
        </Box>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-label={`Builds of ${app.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>SHA-256</Table.Th>
                <Table.Th>Uploaded</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!builds.data ? (
                <LoadingRows columns={6} rows={1} />
              ) : builds.data.items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" size="sm">
                      No builds yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                builds.data.items.map((build) => (
                  <Table.Tr key={build.id}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {build.icon && <img src={build.icon} alt="" width={24} height={24} />}
                        <div>
                          <Text size="sm">{build.fileName}</Text>
                          <Text size="xs" c="dimmed">
                            {build.bundleId ?? build.metadataNote ?? build.kind}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {build.version
                        ? `${build.version}${build.buildNumber ? ` (${build.buildNumber})` : ''}`
                        : '—'}
                    </Table.Td>
                    <Table.Td>{formatSize(build.size)}</Table.Td>
                    <Table.Td>
                      <Tooltip label={build.sha256}>
                        <Code aria-label={`SHA-256 ${build.sha256}`}>{build.sha256.slice(0, 12)}…</Code>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={build.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      {build.published ? (
                        <Badge color="teal" variant="light">
                          Published
                        </Badge>
                      ) : canManage ? (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => publish.mutate({ ...ref, data: { buildId: build.id } })}
                            aria-label={`Publish ${build.fileName}`}
                          >
                            Publish
                          </Button>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            onClick={() => confirmDelete(build)}
                            aria-label={`Delete ${build.fileName}`}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Group>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Not published
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function CreateApplicationModal({
  opened,
  onClose,
  storeId,
}: {
  opened: boolean;
  onClose: () => void;
  storeId: string;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="New application">
      {opened && <CreateApplicationForm storeId={storeId} onClose={onClose} />}
    </Modal>
  );
}

function CreateApplicationForm({ storeId, onClose }: { storeId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.publishedApplication.create.mutationOptions({ onError: () => {} }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError('Give the application a name.');
      return;
    }
    try {
      await create.mutateAsync({
        storeId,
        data: { name: name.trim(), ...(version.trim() ? { version: version.trim() } : {}) },
      });
    } catch (failure) {
      setError(errorMessage(failure));
      return;
    }
    await queryClient.invalidateQueries(trpc.publishedApplication.list.pathFilter());
    notifyDone('Application created', `Upload the first build of ${name.trim()}.`);
    onClose();
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={200}
          data-autofocus
        />
        <TextInput
          label="Version"
          description="Optional: builds you upload set it from the package when they are published."
          value={version}
          onChange={(e) => setVersion(e.currentTarget.value)}
          maxLength={100}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
