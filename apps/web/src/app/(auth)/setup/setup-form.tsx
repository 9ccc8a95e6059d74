'use client';

import { Anchor, Button, Loader, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { AppRouter } from '@otp-access/api';
import { ZFirstOrganizationBody } from '@otp-access/validators';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { zodFormResolver } from '~/lib/form-resolver';
import { AuthForm } from '../auth-form';

/** Nobody is signed in yet: a plain client, no session, no space. */
const setupApi = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });

const ZSetupForm = ZFirstOrganizationBody.extend({
  token: z.string().trim().min(1, 'Paste the setup token from the server log'),
  confirmPassword: z.string(),
})
  .strict()
  .refine((values) => values.password === values.confirmPassword, {
    message: 'The passwords do not match',
    path: ['confirmPassword'],
  });

function failureMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const fields = (error.data as { fields?: Record<string, unknown> | null } | undefined)?.fields;
    const first = fields ? Object.values(fields).find((v) => typeof v === 'string') : undefined;
    if (error.message === 'Database Validation Error' && typeof first === 'string') return `${first}.`;
    return error.message;
  }
  return 'The server could not be reached. Check your connection.';
}

export function SetupForm({ token }: { token: string }) {
  const [open, setOpen] = useState<boolean | null>(null);
  const [done, setDone] = useState<{ email: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { token, slug: '', name: '', ownerEmail: '', password: '', confirmPassword: '' },
    validate: zodFormResolver(ZSetupForm),
  });

  useEffect(() => {
    setupApi.setup.status
      .query()
      .then((status) => setOpen(status.open))
      .catch(() => setOpen(false));
  }, []);

  const submit = form.onSubmit(async ({ confirmPassword: _, ...values }) => {
    setBusy(true);
    setError(null);
    try {
      const created = await setupApi.setup.createOrganization.mutate({
        ...values,
        token: values.token.trim(),
      });
      setDone({ email: created.ownerEmail, name: created.organization.name });
    } catch (failure) {
      setError(failureMessage(failure));
    } finally {
      setBusy(false);
    }
  });

  if (done) {
    return (
      <Stack>
        <Title order={2} size="h4">
          {done.name} is ready
        </Title>
        <Text size="sm">
          Sign in as {done.email} with the password you chose. Setup is now closed; invite more admins from
          the console.
        </Text>
        <Button component="a" href="/sign-in">
          Sign in
        </Button>
      </Stack>
    );
  }
  if (open === null) {
    return (
      <Stack align="center" aria-busy="true">
        <Loader aria-label="Loading" />
      </Stack>
    );
  }
  if (!open) {
    return (
      <Stack>
        <Title order={2} size="h4">
          Setup is closed
        </Title>
        <Text size="sm">
          This installation already has an organization. <Anchor href="/sign-in">Sign in</Anchor> instead, or
          ask an owner to invite you.
        </Text>
      </Stack>
    );
  }
  // Field after field, like the sign-in form's, on purpose: each binds one value of the form (Mantine's key + input props).
  return (
    <AuthForm
      title="Set up OTP Access"
      intro={
        <Text size="sm" c="dimmed">
          Create the first organization and its owner. The setup token is in the server log, printed when the
          server started.
        </Text>
      }
      error={error}
      onSubmit={submit}
    >
      <PasswordInput
        label="Setup token"
        required
        autoComplete="off"
        key={form.key('token')}
        {...form.getInputProps('token')}
      />
      <TextInput
        label="Organization name"
        required
        maxLength={200}
        key={form.key('name')}
        {...form.getInputProps('name')}
      />
      <TextInput
        label="Organization slug"
        description="Lower-case letters, digits and hyphens; used in API paths."
        required
        maxLength={64}
        key={form.key('slug')}
        {...form.getInputProps('slug')}
      />
      <TextInput
        label="Owner email"
        type="email"
        autoComplete="username"
        required
        key={form.key('ownerEmail')}
        {...form.getInputProps('ownerEmail')}
      />
      <PasswordInput
        label="Owner password"
        description="At least 12 characters."
        autoComplete="new-password"
        required
        key={form.key('password')}
        {...form.getInputProps('password')}
      />
      <PasswordInput
        label="Repeat the password"
        autoComplete="new-password"
        required
        key={form.key('confirmPassword')}
        {...form.getInputProps('confirmPassword')}
      />
      <Button type="submit" loading={busy} fullWidth>
        Create organization
      </Button>
    </AuthForm>
  );
}
