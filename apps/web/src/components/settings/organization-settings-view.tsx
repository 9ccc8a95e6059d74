'use client';

import {
  Alert,
  Box,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import type { AppRouter } from '@otp-access/api';
import { type OtpPolicy, ZOrganizationName, ZOtpPolicy } from '@otp-access/validators';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { type FormEvent, useState } from 'react';
import { z } from 'zod';
import { ConfirmByNameModal } from '~/components/confirm-by-name-modal';
import { TestSendFields, useTestSend } from '~/components/delivery/test-send-fields';
import { notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { ErrorState } from '~/components/states';
import { errorMessage } from '~/lib/errors';
import { zodFormResolver } from '~/lib/form-resolver';
import { useTRPC } from '~/trpc/react';

type Settings = inferRouterOutputs<AppRouter>['organization']['get'];

export function OrganizationSettingsView() {
  const trpc = useTRPC();
  const space = useSpace();
  const settings = useQuery(trpc.organization.get.queryOptions());
  return (
    <>
      <PageHeader
        title="Settings"
        description={`The name of ${space.name} and the one-time codes its OTP users receive.`}
      />
      {settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : !settings.data ? (
        <Text c="dimmed" aria-busy="true">
          Loading…
        </Text>
      ) : (
        <Stack gap="lg">
          <NameSection settings={settings.data} />
          <CodePolicySection key={settings.data.id} settings={settings.data} />
          {space.can('org.delete') && <DangerZone settings={settings.data} />}
        </Stack>
      )}
    </>
  );
}

const ZNameForm = z.object({ name: ZOrganizationName });

function NameSection({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const canManage = space.can('org.settings.manage');
  const form = useForm({ initialValues: { name: settings.name }, validate: zodFormResolver(ZNameForm) });
  const rename = useMutation(
    trpc.organization.rename.mutationOptions({
      onSuccess: async (saved) => {
        notifyDone('Name saved', `The space is now ${saved.name}.`);
        form.resetDirty({ name: saved.name });
        await Promise.all([
          queryClient.invalidateQueries(trpc.organization.pathFilter()),
          queryClient.invalidateQueries(trpc.auth.me.queryFilter()),
        ]);
      },
    }),
  );
  return (
    <Card withBorder component="section" aria-labelledby="org-name-title">
      <form onSubmit={form.onSubmit((values) => rename.mutate(values))} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="org-name-title">
            Organization
          </Title>
          <Text size="sm" c="dimmed">
            Its slug <Code>{settings.slug}</Code> addresses it in the REST API and the <Code>X-Space</Code>{' '}
            header; it does not change.
          </Text>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="Name"
              required
              maxLength={200}
              readOnly={!canManage}
              style={{ flex: '1 1 240px' }}
              {...form.getInputProps('name')}
            />
            {canManage && (
              <Button type="submit" loading={rename.isPending}>
                Save name
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface PolicyForm {
  codeLength: number | string;
  codeTtlMinutes: number | string;
  mailSubject: string;
  mailBody: string;
  smsText: string;
}

/** Empty template fields mean "the built-in text" (`null` on the wire). */
const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const ZPolicyForm = z.object({
  codeLength: z.preprocess((v) => (v === '' ? undefined : v), ZOtpPolicy.shape.codeLength),
  codeTtlMinutes: z.preprocess((v) => (v === '' ? undefined : v), ZOtpPolicy.shape.codeTtlMinutes),
  mailSubject: z.preprocess(emptyToNull, ZOtpPolicy.shape.mailSubject),
  mailBody: z.preprocess(emptyToNull, ZOtpPolicy.shape.mailBody),
  smsText: z.preprocess(emptyToNull, ZOtpPolicy.shape.smsText),
});

function toPolicy(values: PolicyForm): OtpPolicy | null {
  const parsed = ZPolicyForm.safeParse(values);
  return parsed.success ? parsed.data : null;
}

function CodePolicySection({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const canManage = space.can('org.settings.manage');
  const form = useForm<PolicyForm>({
    initialValues: {
      codeLength: settings.policy.codeLength,
      codeTtlMinutes: settings.policy.codeTtlMinutes,
      mailSubject: settings.policy.mailSubject ?? '',
      mailBody: settings.policy.mailBody ?? '',
      smsText: settings.policy.smsText ?? '',
    },
    validate: zodFormResolver(ZPolicyForm),
    validateInputOnChange: true,
  });
  const save = useMutation(
    trpc.organization.updateOtpPolicy.mutationOptions({
      onSuccess: async () => {
        notifyDone('Code settings saved', 'New codes follow them from now on.');
        form.resetDirty();
        await queryClient.invalidateQueries(trpc.organization.get.queryFilter());
      },
    }),
  );
  const draft = toPolicy(form.getValues());
  const [debouncedDraft] = useDebouncedValue(draft, 300);
  const submit = form.onSubmit((values) => {
    const policy = toPolicy(values);
    if (policy) save.mutate(policy);
  });
  const placeholders = (
    <>
      Use <Code>{'{{code}}'}</Code>, <Code>{'{{minutes}}'}</Code> and <Code>{'{{organization}}'}</Code>. Leave
      a field empty for the built-in text.
    </>
  );
  // Alike on purpose: one input per message of the code policy, each with its own default and length.
  return (
    <Card withBorder component="section" aria-labelledby="code-policy-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="code-policy-title">
          Sign-in codes
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <form onSubmit={submit} noValidate aria-label="Code settings">
            <fieldset disabled={!canManage} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
              <Stack gap="sm">
                <Group grow align="flex-start">
                  <NumberInput
                    label="Code length"
                    description="6 to 10 digits"
                    min={6}
                    max={10}
                    allowDecimal={false}
                    {...form.getInputProps('codeLength')}
                  />
                  <NumberInput
                    label="Valid for (minutes)"
                    description="1 to 60"
                    min={1}
                    max={60}
                    allowDecimal={false}
                    {...form.getInputProps('codeTtlMinutes')}
                  />
                </Group>
                <Text size="xs" c="dimmed">
                  {placeholders}
                </Text>
                <TextInput
                  label="Mail subject"
                  placeholder={settings.defaults.mailSubject}
                  maxLength={200}
                  {...form.getInputProps('mailSubject')}
                />
                <Textarea
                  label="Mail text"
                  placeholder={settings.defaults.mailBody}
                  autosize
                  minRows={4}
                  maxLength={4000}
                  {...form.getInputProps('mailBody')}
                />
                <Textarea
                  label="SMS text"
                  placeholder={settings.defaults.smsText}
                  autosize
                  minRows={2}
                  maxLength={500}
                  {...form.getInputProps('smsText')}
                />
                {canManage && (
                  <Group justify="flex-end">
                    <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                      Save code settings
                    </Button>
                  </Group>
                )}
              </Stack>
            </fieldset>
          </form>
          <Stack gap="md">
            <Preview draft={debouncedDraft} />
            {space.can('otp.settings.test') && <TestCodeMessage draft={draft} />}
          </Stack>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function Preview({ draft }: { draft: OtpPolicy | null }) {
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.organization.previewMessages.queryOptions(draft ? { policy: draft } : undefined),
    enabled: draft !== null,
    placeholderData: (previous) => previous,
  });
  return (
    <Box component="section" aria-labelledby="preview-title" aria-live="polite">
      <Title order={3} size="h5" id="preview-title" mb={4}>
        Preview
      </Title>
      {draft === null ? (
        <Text size="sm" c="dimmed">
          Fix the fields marked in red to see the messages.
        </Text>
      ) : preview.isError ? (
        <Text size="sm" c="red">
          {errorMessage(preview.error)}
        </Text>
      ) : preview.data ? (
        <Stack gap="xs">
          <Text size="xs" c="dimmed">
            With the sample code {preview.data.sampleCode}:
          </Text>
          <Card withBorder padding="sm" data-testid="preview-mail">
            <Text size="sm" fw={600}>
              {preview.data.mail.subject}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {preview.data.mail.text}
            </Text>
          </Card>
          <Card withBorder padding="sm" data-testid="preview-sms">
            <Text size="xs" c="dimmed">
              SMS
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {preview.data.sms.text}
            </Text>
          </Card>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      )}
    </Box>
  );
}

type TestResult = inferRouterOutputs<AppRouter>['organization']['testMessage'];

/** Sends the code message as drafted (unsaved edits included) through the default provider. */
function TestCodeMessage({ draft }: { draft: OtpPolicy | null }) {
  const trpc = useTRPC();
  const test = useTestSend<TestResult>();
  const { result, failure } = test;
  const send = useMutation(trpc.organization.testMessage.mutationOptions(test.handlers));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    test.clear();
    if (!draft) {
      test.setFailure('Fix the code settings first: the test sends the message as drafted.');
      return;
    }
    send.mutate({ type: test.fields.type, policy: draft, ...test.recipient });
  };
  const last = result?.attempts.at(-1);
  return (
    <Box component="section" aria-labelledby="test-code-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Title order={3} size="h5" id="test-code-title">
            Send a test code message
          </Title>
          <TestSendFields {...test.fields} pending={send.isPending} />
          <div role="status">
            {failure && (
              <Alert color="red" title="Not sent">
                {failure}
              </Alert>
            )}
            {result && (
              <Alert color={result.delivered ? 'teal' : 'red'} title={result.delivered ? 'Sent' : 'Not sent'}>
                {result.delivered
                  ? `The code message went to ${result.recipient}.`
                  : `Every provider failed. ${last?.error ?? ''}`}
              </Alert>
            )}
          </div>
        </Stack>
      </form>
    </Box>
  );
}

function DangerZone({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.organization.delete.mutationOptions({
      onSuccess: () => {
        // Another space of the account, or the note that it has none.
        window.location.assign('/console');
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );
  return (
    <Card
      withBorder
      component="section"
      aria-labelledby="danger-zone-title"
      style={{ borderColor: 'var(--mantine-color-red-6)' }}
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id="danger-zone-title">
          Danger zone
        </Title>
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Text size="sm" style={{ flex: '1 1 260px' }}>
            Deleting {settings.name} removes its stores, applications and their builds, OTP users, delivery
            settings, API keys, members and audit log. Accounts stay.
          </Text>
          <Button
            color="red"
            variant="outline"
            leftSection={<IconTrash size={16} />}
            onClick={() => {
              setError(null);
              setOpened(true);
            }}
          >
            Delete organization
          </Button>
        </Group>
      </Stack>
      <ConfirmByNameModal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Delete organization"
        name={settings.name}
        consequences={`${settings.name} and everything it owns are deleted for good. This cannot be undone.`}
        confirmLabel="Delete organization"
        busy={remove.isPending}
        error={error}
        onConfirm={() => remove.mutate({ confirmName: settings.name })}
      />
    </Card>
  );
}
