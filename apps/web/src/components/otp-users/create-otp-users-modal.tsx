'use client';

import {
  Alert,
  Button,
  Checkbox,
  FileButton,
  Group,
  List,
  Modal,
  NumberInput,
  ScrollArea,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ZAllowedDownloadsNum } from '@otp-access/validators';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { parseEmails } from '~/lib/emails';
import { errorFieldsOf, errorMessage, httpStatusOf } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

/** The API takes up to 1,000 emails per request; bigger lists go in several. */
const BATCH = 1000;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface AppOption {
  value: string;
  label: string;
}

export function CreateOtpUsersModal({
  opened,
  onClose,
  storeId,
  apps,
  defaultApp,
}: {
  opened: boolean;
  onClose: () => void;
  storeId: string;
  apps: AppOption[];
  defaultApp: string | null;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add OTP users" size="lg">
      {/* Mounted only while open, so every opening starts from an empty form. */}
      {opened && <CreateForm storeId={storeId} apps={apps} defaultApp={defaultApp} onClose={onClose} />}
    </Modal>
  );
}

function CreateForm({
  storeId,
  apps,
  defaultApp,
  onClose,
}: {
  storeId: string;
  apps: AppOption[];
  defaultApp: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [app, setApp] = useState<string | null>(defaultApp ?? apps[0]?.value ?? null);
  const [text, setText] = useState('');
  const [unlimited, setUnlimited] = useState(true);
  const [amount, setAmount] = useState<number | string>(1);
  const [error, setError] = useState<string | null>(null);
  const [existing, setExisting] = useState<string[]>([]);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const emails = useMemo(() => parseEmails(text), [text]);
  const create = useMutation(trpc.otpUser.create.mutationOptions({ onError: () => {} }));

  const loadFile = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileNote(`${file.name} is larger than 5 MB.`);
      return;
    }
    const content = await file.text();
    const found = parseEmails(content).valid.length;
    setText((current) => (current.trim() ? `${current.trimEnd()}\n${content}` : content));
    setFileNote(`${file.name}: ${found.toLocaleString('en')} email${found === 1 ? '' : 's'} found.`);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setExisting([]);
    if (!app) {
      setError('Choose the published application they may download.');
      return;
    }
    if (emails.valid.length === 0) {
      setError('Enter at least one valid email.');
      return;
    }
    if (emails.invalid.length > 0) {
      setError('Fix or remove the invalid emails first.');
      return;
    }
    const allowance = ZAllowedDownloadsNum.safeParse(
      unlimited ? -1 : amount === '' ? Number.NaN : Number(amount),
    );
    if (!allowance.success) {
      setError('Allowed downloads must be a whole number, 0 or more.');
      return;
    }
    let created = 0;
    try {
      for (let start = 0; start < emails.valid.length; start += BATCH) {
        const batch = emails.valid.slice(start, start + BATCH);
        const result = await create.mutateAsync({
          storeId,
          data: {
            email: batch.length === 1 ? batch[0]! : batch,
            publishedApplicationId: app,
            allowedDownloadsNum: allowance.data,
          },
        });
        created += result.length;
      }
    } catch (failure) {
      const conflict = httpStatusOf(failure) === 409 ? errorFieldsOf(failure)?.emails : undefined;
      if (Array.isArray(conflict)) setExisting(conflict.map(String));
      const done = created > 0 ? `${created.toLocaleString('en')} added, then: ` : '';
      setError(
        `${done}${
          Array.isArray(conflict)
            ? 'Some emails already have access to this application. Nothing in that batch was added.'
            : errorMessage(failure)
        }`,
      );
      if (created > 0) await queryClient.invalidateQueries(trpc.otpUser.pathFilter());
      return;
    }
    notifications.show({
      color: 'teal',
      title: 'OTP users added',
      message: `${created.toLocaleString('en')} user${created === 1 ? '' : 's'} can now sign in.`,
    });
    await queryClient.invalidateQueries(trpc.otpUser.pathFilter());
    onClose();
  };

  const removeExisting = () => {
    const skip = new Set(existing);
    setText(emails.valid.filter((email) => !skip.has(email)).join('\n'));
    setExisting([]);
    setError(null);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Select
          label="Published application"
          description="The app these users may download"
          data={apps}
          value={app}
          onChange={setApp}
          allowDeselect={false}
          required
        />
        <Textarea
          label="Emails"
          description="One per line, or separated by commas or semicolons. Paste a list or upload a CSV file."
          placeholder={'ann@example.com\nben@example.com'}
          autosize
          minRows={4}
          maxRows={10}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setExisting([]);
            setError(null);
          }}
          data-autofocus
        />
        <Group justify="space-between" gap="xs">
          <FileButton onChange={(file) => void loadFile(file)} accept=".csv,.txt,text/csv,text/plain">
            {(props) => (
              <Button {...props} variant="default" size="xs" leftSection={<IconUpload size={14} />}>
                Upload CSV
              </Button>
            )}
          </FileButton>
          <Text size="sm" c={emails.invalid.length > 0 ? 'red' : 'dimmed'} aria-live="polite">
            {emails.valid.length.toLocaleString('en')} valid
            {emails.invalid.length > 0 && `, ${emails.invalid.length} invalid`}
            {emails.duplicates > 0 && `, ${emails.duplicates} repeated (merged)`}
          </Text>
        </Group>
        {fileNote && (
          <Text size="xs" c="dimmed">
            {fileNote}
          </Text>
        )}
        {emails.invalid.length > 0 && (
          <Alert color="red" title="Not valid emails" p="sm">
            <Text size="sm">{emails.invalid.slice(0, 10).join(', ')}</Text>
            {emails.invalid.length > 10 && <Text size="xs">and {emails.invalid.length - 10} more</Text>}
          </Alert>
        )}
        <Group align="flex-end" gap="md">
          <NumberInput
            label="Allowed downloads"
            min={0}
            allowDecimal={false}
            allowNegative={false}
            value={unlimited ? '' : amount}
            placeholder={unlimited ? '∞' : undefined}
            onChange={setAmount}
            disabled={unlimited}
            w={160}
          />
          <Checkbox
            label="Unlimited"
            mb={8}
            checked={unlimited}
            onChange={(event) => setUnlimited(event.currentTarget.checked)}
          />
        </Group>
        {error && (
          <Alert color="red" role="alert">
            <Stack gap="xs">
              <Text size="sm">{error}</Text>
              {existing.length > 0 && (
                <>
                  <ScrollArea.Autosize mah={120}>
                    <List size="sm">
                      {existing.map((email) => (
                        <List.Item key={email}>{email}</List.Item>
                      ))}
                    </List>
                  </ScrollArea.Autosize>
                  <Button size="xs" variant="light" color="red" onClick={removeExisting} w="fit-content">
                    Leave out the existing ones
                  </Button>
                </>
              )}
            </Stack>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={emails.valid.length === 0}>
            {emails.valid.length > 1 ? `Add ${emails.valid.length.toLocaleString('en')} users` : 'Add user'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
