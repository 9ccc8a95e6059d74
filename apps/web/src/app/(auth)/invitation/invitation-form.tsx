'use client';

import { Alert, Button, Loader, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { AuthForm } from '../auth-form';

interface Preview {
  organization: { slug: string; name: string };
  role: 'OWNER' | 'ADMIN' | 'VIEWER';
  email: string;
  hasAccount: boolean;
}

interface TrpcAnswer<T> {
  result?: { data: T };
  error?: { message?: string; data?: { fields?: Record<string, string> | null } };
}

async function trpc<T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<TrpcAnswer<T>> {
  const url =
    method === 'GET'
      ? `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `/api/trpc/${procedure}`;
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
    ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
  });
  return (await response.json().catch(() => ({}))) as TrpcAnswer<T>;
}

export function InvitationForm() {
  const [token, setToken] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const fromHash = window.location.hash.replace(/^#/, '');
    setToken(fromHash);
    if (!fromHash) {
      setError('This invitation link is not complete. Open the link from your invitation mail again.');
      return;
    }
    void trpc<Preview>('invitation.preview', { token: fromHash }, 'GET').then((answer) => {
      if (answer.result) setPreview(answer.result.data);
      else
        setError(answer.error?.message ?? 'This invitation link is not valid any more: ask for a new one.');
    });
  }, []);

  const accept = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    const answer = await trpc<{ spaces: { slug: string }[] }>(
      'invitation.accept',
      { token, password },
      'POST',
    );
    setBusy(false);
    if (answer.result) window.location.assign(`/console/${preview!.organization.slug}`);
    else
      setError(
        answer.error?.data?.fields?.password ?? answer.error?.message ?? 'Could not accept the invitation.',
      );
  };

  if (!preview) {
    return error ? (
      <Alert color="red" role="alert" title="Invitation">
        {error}
      </Alert>
    ) : (
      <Loader aria-label="Loading the invitation" />
    );
  }
  const role = preview.role.toLowerCase();
  if (preview.hasAccount) {
    return (
      <Stack>
        <Title order={2} size="h4">
          Join {preview.organization.name}
        </Title>
        <Text size="sm">
          {preview.organization.name} invites {preview.email} as {role}. Sign in, then accept it on your
          account page.
        </Text>
        <Button
          component="a"
          href={`/sign-in?next=${encodeURIComponent(`/console/${preview.organization.slug}/account`)}`}
        >
          Sign in to accept
        </Button>
      </Stack>
    );
  }
  return (
    <AuthForm
      title={`Join ${preview.organization.name}`}
      intro={
        <Text size="sm">
          {preview.organization.name} invites {preview.email} as {role}. Choose a password to create your
          account and join.
        </Text>
      }
      error={error}
      onSubmit={accept}
    >
      {/* The same new-password field as the account page's, on purpose: one value, one hint, its own state. */}
      <PasswordInput
        label="Password"
        description="At least 12 characters."
        autoComplete="new-password"
        value={password}
        onChange={(event) => setPassword(event.currentTarget.value)}
      />
      <PasswordInput
        label="Password again"
        autoComplete="new-password"
        value={repeat}
        onChange={(event) => setRepeat(event.currentTarget.value)}
      />
      <Button type="submit" loading={busy} disabled={password.length === 0}>
        Create account and join
      </Button>
    </AuthForm>
  );
}
