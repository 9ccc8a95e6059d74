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
import { ZAllowedDownloadsNum } from '@otp-access/validators';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { notifyDone } from '~/components/feedback';
import { parseCsvAllowances, parseEmails } from '~/lib/emails';
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
  // A CSV's allowance column: from files as they are loaded, and from pasted text with a header.
  const [fileAllowances, setFileAllowances] = useState<Map<string, number>>(new Map());
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const pasted = useMemo(() => parseCsvAllowances(text), [text]);
  const ownAllowance = (email: string) => fileAllowances.get(email) ?? pasted.byEmail.get(email);
  const withOwnAllowance = emails.valid.filter((email) => ownAllowance(email) !== undefined).length;
  const create = useMutation(trpc.otpUser.create.mutationOptions({ onError: () => {} }));

  const loadFile = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileNote(`${file.name} is larger than 5 MB.`);
      return;
    }
    const content = await file.text();
    const found = parseEmails(content).valid.length;
    const csv = parseCsvAllowances(content);
    if (csv.errors.length > 0) {
      // Refused whole: adding its users with another allowance than the file says would be wrong.
      setFileErrors([
        `${file.name} was not added: its allowance column has values we cannot read.`,
        ...csv.errors,
      ]);
      setFileNote(null);
      return;
    }
    setFileErrors([]);
    if (csv.byEmail.size > 0) setFileAllowances((current) => new Map([...current, ...csv.byEmail]));
    setText((current) => (current.trim() ? `${current.trimEnd()}\n${content}` : content));
    const given = csv.byEmail.size;
    setFileNote(
      `${file.name}: ${found.toLocaleString('en')} email${found === 1 ? '' : 's'} found.${
        csv.column
          ? ` Its “${csv.column}” column gives ${given.toLocaleString('en')} of them their own allowance.`
          : ''
      }`,
    );
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
    if (pasted.errors.length > 0) {
      setError(`The allowance column cannot be read. ${pasted.errors[0]}`);
      return;
    }
    const allowance = ZAllowedDownloadsNum.safeParse(
      unlimited ? -1 : amount === '' ? Number.NaN : Number(amount),
    );
    if (!allowance.success) {
      setError('Allowed downloads must be a whole number, 0 or more.');
      return;
    }
    // One request takes one allowance: users are sent in groups of the same allowance.
    const groups = new Map<number, string[]>();
    for (const email of emails.valid) {
      const own = ownAllowance(email) ?? allowance.data;
      groups.set(own, [...(groups.get(own) ?? []), email]);
    }
    let created = 0;
    try {
      for (const [allowedDownloadsNum, group] of groups) {
        for (let start = 0; start < group.length; start += BATCH) {
          const batch = group.slice(start, start + BATCH);
          const result = await create.mutateAsync({
            storeId,
            data: {
              email: batch.length === 1 ? batch[0]! : batch,
              publishedApplicationId: app,
              allowedDownloadsNum,
            },
          });
          created += result.length;
        }
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
    notifyDone(
      'OTP users added',
      `${created.toLocaleString('en')} user${created === 1 ? '' : 's'} can now sign in.`,
    );
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
        {fileErrors.length > 0 && (
          <Alert color="red" role="alert" p="sm">
            <Text size="sm">{fileErrors[0]}</Text>
            <List size="sm">
              {fileErrors.slice(1, 6).map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
            {fileErrors.length > 6 && <Text size="xs">and {fileErrors.length - 6} more</Text>}
          </Alert>
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
            description={
              withOwnAllowance > 0
                ? `For the ${(emails.valid.length - withOwnAllowance).toLocaleString('en')} users the file gives no allowance`
                : undefined
            }
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
