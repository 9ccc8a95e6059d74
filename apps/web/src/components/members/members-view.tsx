'use client';

import { Badge, Button, Card, Group, Select, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { AppRouter } from '@otp-access/api';
import { ROLES, type Role } from '@otp-access/validators';
import { IconLock, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { DataTable, type DataTableColumn } from '~/components/data-table';
import { DateTime, formatDateTime } from '~/components/date-time';
import { confirmDestructive, notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty } from '~/components/states';
import { ROLE_LABELS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';
import { InviteMemberModal } from './invite-member-modal';

type Member = inferRouterOutputs<AppRouter>['member']['list'][number];

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

export function MembersView() {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions());
  const [inviting, { open, close }] = useDisclosure(false);
  const canManage = space.can('org.members.manage');
  const refresh = () => queryClient.invalidateQueries(trpc.member.list.queryFilter());

  const changeRole = useMutation(
    trpc.member.changeRole.mutationOptions({
      onSuccess: async (member) => {
        notifyDone('Role changed', `${member.email} is now ${ROLE_LABELS[member.role].toLowerCase()}.`);
        await refresh();
        // Your own role decides what this console shows you.
        if (member.userId === space.userId) await queryClient.invalidateQueries(trpc.auth.me.queryFilter());
      },
    }),
  );
  const unlock = useMutation(
    trpc.member.unlock.mutationOptions({
      onSuccess: async (member) => {
        notifyDone('Account unlocked', `${member.email} can sign in again.`);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        notifyDone('Member removed', 'They no longer have access to this space.');
        await refresh();
      },
    }),
  );
  const confirmRemove = (member: { userId: string; email: string }) =>
    confirmDestructive({
      title: 'Remove member',
      message: `${member.email} loses access to ${space.name}. Their account stays, and can be invited again.`,
      confirm: 'Remove',
      onConfirm: () => remove.mutate({ userId: member.userId }),
    });

  // Like the other lists (API keys, stores, applications, sessions) on purpose: DataTable holds what they share.
  return (
    <>
      <PageHeader
        title="Members"
        description={`Admins of ${space.name} and their roles.`}
        actions={
          canManage && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={open}>
              Invite member
            </Button>
          )
        }
      />
      <Card withBorder padding={0}>
        <DataTable
          label="Members"
          minWidth={640}
          loadingRows={3}
          rows={members.data}
          rowKey={(member) => member.userId}
          error={members.error}
          onRetry={() => void members.refetch()}
          empty={<Empty title="No members" />}
          columns={
            [
              {
                key: 'email',
                header: 'Email',
                cell: (member) => (
                  <Text size="sm">
                    {member.email}
                    {member.userId === space.userId && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Text>
                ),
              },
              {
                key: 'role',
                header: 'Role',
                width: canManage ? 140 : undefined,
                cell: (member) =>
                  canManage ? (
                    <Select
                      aria-label={`Role of ${member.email}`}
                      data={ROLE_OPTIONS}
                      value={member.role}
                      onChange={(role) =>
                        role &&
                        role !== member.role &&
                        changeRole.mutate({ userId: member.userId, role: role as Role })
                      }
                      allowDeselect={false}
                      size="xs"
                      w={120}
                    />
                  ) : (
                    <Badge variant="light" color={member.role === 'OWNER' ? 'indigo' : 'gray'}>
                      {ROLE_LABELS[member.role]}
                    </Badge>
                  ),
              },
              {
                key: 'since',
                header: 'Member since',
                cell: (member) => <DateTime value={member.createdAt} />,
              },
              {
                key: 'status',
                header: 'Status',
                cell: (member) =>
                  member.lockedUntil ? (
                    <Tooltip
                      label={`Too many failed sign-ins; locked until ${formatDateTime(new Date(member.lockedUntil), 'local')}`}
                    >
                      <Badge color="orange" variant="light" leftSection={<IconLock size={12} />}>
                        Locked
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Badge color="teal" variant="light">
                      Active
                    </Badge>
                  ),
              },
              ...(canManage
                ? [
                    {
                      key: 'actions',
                      header: <VisuallyHidden>Actions</VisuallyHidden>,
                      actions: true,
                      cell: (member: Member) => (
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {/* Row buttons as in the other lists on purpose: each acts on its own row with its own label. */}
                          {member.lockedUntil && (
                            <Button
                              size="compact-sm"
                              variant="light"
                              onClick={() => unlock.mutate({ userId: member.userId })}
                              aria-label={`Unlock ${member.email}`}
                            >
                              Unlock
                            </Button>
                          )}
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => confirmRemove(member)}
                            aria-label={`Remove ${member.email}`}
                          >
                            Remove
                          </Button>
                        </Group>
                      ),
                    },
                  ]
                : []),
            ] satisfies DataTableColumn<Member>[]
          }
        />
      </Card>
      <PendingInvitations canManage={canManage} />
      {canManage && <InviteMemberModal opened={inviting} onClose={close} />}
      {!canManage && (
        <Text size="sm" c="dimmed" mt="sm">
          Only owners invite, remove or change the role of members.
        </Text>
      )}
    </>
  );
}

/** Invitations not yet accepted: only the email the inviter typed and the role offered. */
function PendingInvitations({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.member.invitations.queryOptions());
  const revoke = useMutation(
    trpc.member.revokeInvitation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.member.invitations.queryFilter()),
    }),
  );
  if (!invitations.data || invitations.data.length === 0) return null;
  return (
    <Card withBorder padding={0} mt="md">
      <Table.ScrollContainer minWidth={520} type="native">
        <Table verticalSpacing="sm" aria-label="Pending invitations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invited email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Expires</Table.Th>
              {canManage && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.data.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>{invitation.email}</Table.Td>
                <Table.Td>{ROLE_LABELS[invitation.role]}</Table.Td>
                <Table.Td>
                  <DateTime value={invitation.expiresAt} />
                </Table.Td>
                {canManage && (
                  <Table.Td>
                    <Group justify="flex-end">
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => revoke.mutate({ id: invitation.id })}
                        aria-label={`Withdraw the invitation of ${invitation.email}`}
                      >
                        Withdraw
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
