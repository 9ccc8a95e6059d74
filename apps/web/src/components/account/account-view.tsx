'use client';

import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Image,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DateTime } from '~/components/date-time';
import { notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { SecretReveal } from '~/components/secret-reveal';
import { ErrorState } from '~/components/states';
import { ROLE_LABELS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';
import { signOut } from '~/trpc/session';

/** The signed-in admin's own account: invitations, second factor, password and sessions. */
export function AccountView() {
  return (
    <>
      <PageHeader title="Your account" description="How you sign in, and where you are signed in." />
      <Stack gap="lg">
        <Invitations />
        <TwoFactor />
        <ChangePassword />
        <Sessions />
      </Stack>
    </>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function Invitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.account.invitations.queryOptions());
  const answer = useMutation(
    trpc.account.answerInvitation.mutationOptions({
      onSuccess: async (invitation, input) => {
        notifyDone(
          input.accept ? 'Invitation accepted' : 'Invitation declined',
          input.accept
            ? `You are now a member of ${invitation.organization.name}.`
            : `You did not join ${invitation.organization.name}.`,
        );
        await queryClient.invalidateQueries();
      },
    }),
  );
  if (!invitations.data || invitations.data.length === 0) return null;
  return (
    <Section title="Invitations">
      {invitations.data.map((invitation) => (
        <Group key={invitation.id} justify="space-between" wrap="wrap">
          <Text size="sm">
            <b>{invitation.organization.name}</b> invites you as {ROLE_LABELS[invitation.role].toLowerCase()}.
          </Text>
          <Group gap="xs">
            <Button
              size="compact-sm"
              onClick={() => answer.mutate({ id: invitation.id, accept: true })}
              aria-label={`Accept the invitation of ${invitation.organization.name}`}
            >
              Accept
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => answer.mutate({ id: invitation.id, accept: false })}
              aria-label={`Decline the invitation of ${invitation.organization.name}`}
            >
              Decline
            </Button>
          </Group>
        </Group>
      ))}
    </Section>
  );
}

function TwoFactor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.twoFactor.queryOptions());
  const [enrolment, setEnrolment] = useState<{ secret: string; qrCode: string } | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [password, setPassword] = useState('');
  const refresh = () => queryClient.invalidateQueries(trpc.account.twoFactor.queryFilter());

  const begin = useMutation(trpc.account.beginTotp.mutationOptions({ onSuccess: setEnrolment }));
  const confirm = useMutation(
    trpc.account.confirmTotp.mutationOptions({
      onSuccess: async (result) => {
        setEnrolment(null);
        setCode('');
        setRecoveryCodes(result.recoveryCodes);
        await refresh();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.account.regenerateRecoveryCodes.mutationOptions({
      onSuccess: (result) => {
        setPassword('');
        setRecoveryCodes(result.recoveryCodes);
        void refresh();
      },
    }),
  );
  const setMethod = useMutation(
    trpc.auth.setTwoFactor.mutationOptions({
      onSuccess: async () => {
        setPassword('');
        await refresh();
      },
    }),
  );

  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  if (!status.data) return null;
  const { otpType, recoveryCodesLeft, mailAvailable } = status.data;
  const error = begin.error ?? confirm.error ?? regenerate.error ?? setMethod.error;

  // The password field is like the invitation form's on purpose: one labelled input each, for different answers.
  return (
    <Section title="Two-factor sign-in">
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {recoveryCodes && (
        <Stack gap="xs">
          <SecretReveal
            label="Recovery codes"
            value={recoveryCodes.join('\n')}
            warning="Each code signs you in once if you lose your app. They are shown only now: save them somewhere safe."
          />
          <Group>
            <Button onClick={() => setRecoveryCodes(null)}>I saved them</Button>
          </Group>
        </Stack>
      )}
      <Text size="sm">
        {otpType === 'TOTP'
          ? `An authenticator app confirms your sign-ins. ${recoveryCodesLeft} recovery codes left.`
          : otpType === 'NONE'
            ? 'Your password alone signs you in.'
            : 'A code sent by email from this installation confirms your sign-ins.'}
      </Text>
      {otpType !== 'TOTP' && !enrolment && (
        <Group>
          <Button loading={begin.isPending} onClick={() => begin.mutate()}>
            Set up an authenticator app
          </Button>
          {otpType === 'NONE' && mailAvailable && (
            <Button variant="default" onClick={() => setMethod.mutate({ otpType: 'MAIL' })}>
              Use codes by email
            </Button>
          )}
          {otpType !== 'NONE' && (
            <Button variant="default" onClick={() => setMethod.mutate({ otpType: 'NONE' })}>
              Turn off codes by email
            </Button>
          )}
        </Group>
      )}
      {enrolment && (
        <form
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            confirm.mutate({ code });
          }}
        >
          <Stack gap="sm" maw={420}>
            <Text size="sm">
              Scan this code with your authenticator app, or type the key below into it. Then enter the
              6-digit code it shows.
            </Text>
            <Image
              src={enrolment.qrCode}
              alt="QR code to add OTP Access to your authenticator app"
              w={200}
              h={200}
            />
            <Text size="sm">
              Key: <code data-testid="totp-secret">{enrolment.secret}</code>
            </Text>
            <TextInput
              label="Code from your app"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
            />
            <Group>
              <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6}>
                Turn on
              </Button>
              <Button variant="default" onClick={() => setEnrolment(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {otpType === 'TOTP' && (
        <Stack gap="xs" maw={420}>
          <PasswordInput
            label="Current password"
            description="Needed to turn the app off or to get new recovery codes."
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Group>
            <Button
              variant="default"
              disabled={!password}
              loading={regenerate.isPending}
              onClick={() => regenerate.mutate({ currentPassword: password })}
            >
              New recovery codes
            </Button>
            <Button
              color="red"
              variant="light"
              disabled={!password}
              loading={setMethod.isPending}
              onClick={() => setMethod.mutate({ otpType: 'NONE', currentPassword: password })}
            >
              Turn off the app
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const [values, setValues] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: (result) => {
        setValues({ currentPassword: '', newPassword: '', repeat: '' });
        notifyDone(
          'Password changed',
          result.otherSessionsEnded > 0
            ? `Your other ${result.otherSessionsEnded} sessions were signed out.`
            : 'You stay signed in here.',
        );
      },
    }),
  );
  const fieldError = (field: string) =>
    (change.error?.data as { fields?: Record<string, string> | null } | undefined)?.fields?.[field];
  return (
    <Section title="Password">
      <form
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setMismatch(values.newPassword !== values.repeat);
          if (values.newPassword !== values.repeat) return;
          change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
        }}
      >
        <Stack gap="sm" maw={420}>
          {change.error && !fieldError('newPassword') && (
            <Alert color="red" role="alert">
              {change.error.message}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={(event) => setValues({ ...values, currentPassword: event.currentTarget.value })}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            autoComplete="new-password"
            value={values.newPassword}
            error={fieldError('newPassword')}
            onChange={(event) => setValues({ ...values, newPassword: event.currentTarget.value })}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            value={values.repeat}
            error={mismatch ? 'The two new passwords are not the same.' : undefined}
            onChange={(event) => setValues({ ...values, repeat: event.currentTarget.value })}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

// Opens like Invitations on purpose: each section loads its own list and its own mutation.
function Sessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const revoke = useMutation(
    trpc.account.revokeSession.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.account.sessions.queryFilter()),
    }),
  );
  return (
    <Section title="Where you are signed in">
      {sessions.isError && <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />}
      <Table.ScrollContainer minWidth={520} type="native">
        <Table verticalSpacing="sm" aria-label="Sessions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Signed in</Table.Th>
              <Table.Th>Last active</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(sessions.data ?? []).map((session) => (
              <Table.Tr key={session.id}>
                <Table.Td>
                  <DateTime value={session.signedInAt} />{' '}
                  {session.current && (
                    <Badge variant="light" color="teal">
                      This browser
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <DateTime value={session.lastRefreshedAt} />
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={
                        session.current ? 'Sign out here' : `Sign out the session of ${session.signedInAt}`
                      }
                      onClick={() => (session.current ? void signOut() : revoke.mutate({ id: session.id }))}
                    >
                      Sign out
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}
