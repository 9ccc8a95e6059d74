'use client';

import { Alert, Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ZLoginBody } from '@otp-access/validators';
import { type FormEvent, useState } from 'react';
import { zodFormResolver } from '~/lib/form-resolver';
import { AuthForm } from '../auth-form';

interface SignInAnswer {
  spaces?: { slug: string }[];
  /** Sent instead of a session when the admin has a second factor. */
  otp_required?: boolean;
  otp_type?: 'SMS' | 'MAIL' | 'TOTP';
  username?: string;
  message?: string;
}

async function post(
  path: string,
  body: unknown,
): Promise<{ ok: boolean; status: number; body: SignInAnswer }> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as SignInAnswer;
  return { ok: response.ok, status: response.status, body: answer };
}

function failureMessage(status: number, answer: SignInAnswer): string {
  if (status === 401) return 'Invalid email or password.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  return answer.message ?? 'Could not sign in. Try again.';
}

export function SignInForm({ next, expired }: { next: string; expired: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [noSpaces, setNoSpaces] = useState(false);
  /** Set when the server asks for a one-time code before it opens the session. */
  const [secondFactor, setSecondFactor] = useState<{ username: string; type: string } | null>(null);
  const [code, setCode] = useState('');
  /** Authenticator accounts may answer with a recovery code instead. */
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);

  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { username: '', password: '' },
    validate: zodFormResolver(ZLoginBody),
  });

  const finish = (answer: SignInAnswer) => {
    if (answer.spaces && answer.spaces.length === 0) {
      setNoSpaces(true);
      return;
    }
    window.location.assign(next);
  };

  const signIn = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const result = await post('/login', values);
      if (!result.ok) {
        setError(failureMessage(result.status, result.body));
      } else if (result.body.otp_required) {
        setSecondFactor({
          username: result.body.username ?? values.username,
          type: result.body.otp_type ?? 'MAIL',
        });
      } else {
        finish(result.body);
      }
    } catch {
      setError('The server could not be reached. Check your connection.');
    } finally {
      setBusy(false);
    }
  });

  // Second step (two-factor sign-in): the code the server sent completes the login at `/validate`.
  const validate = async (event: FormEvent) => {
    event.preventDefault();
    if (!secondFactor) return;
    setBusy(true);
    setError(null);
    try {
      const result = await post('/validate', { username: secondFactor.username, otp_code: code });
      if (result.ok) finish(result.body);
      else
        setError(
          result.status === 401
            ? 'That code is not valid. Check it and try again.'
            : failureMessage(result.status, result.body),
        );
    } catch {
      setError('The server could not be reached. Check your connection.');
    } finally {
      setBusy(false);
    }
  };

  if (noSpaces) {
    return (
      <Alert color="yellow" title="No space yet">
        Your account is not a member of any organization. Ask an owner to invite you.
      </Alert>
    );
  }

  if (secondFactor) {
    const app = secondFactor.type === 'TOTP';
    const ready = useRecovery ? /^[a-z2-9]{5}-?[a-z2-9]{5}$/i.test(code.trim()) : code.length >= 6;
    return (
      <AuthForm
        title="Enter your code"
        intro={
          <Text size="sm" c="dimmed">
            {useRecovery
              ? 'Enter one of the recovery codes you saved. Each works once.'
              : app
                ? 'Open your authenticator app and enter the code it shows for OTP Access.'
                : 'We sent a code by email.'}
          </Text>
        }
        error={error}
        onSubmit={validate}
      >
        {useRecovery ? (
          <TextInput
            label="Recovery code"
            autoComplete="off"
            maxLength={11}
            autoFocus
            value={code}
            onChange={(event) => setCode(event.currentTarget.value.trim())}
          />
        ) : (
          <TextInput
            label="One-time code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={10}
            autoFocus
            value={code}
            onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
          />
        )}
        <Button type="submit" loading={busy} disabled={!ready}>
          Verify
        </Button>
        {app && (
          <Button
            variant="subtle"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode('');
              setError(null);
            }}
          >
            {useRecovery ? 'Use the code from my app' : 'Use a recovery code'}
          </Button>
        )}
      </AuthForm>
    );
  }

  return (
    <AuthForm
      title="Sign in"
      intro={
        expired &&
        !error && (
          <Alert color="blue" role="status">
            Your session ended. Sign in again to continue.
          </Alert>
        )
      }
      error={error}
      onSubmit={signIn}
    >
      <TextInput
        label="Email"
        type="email"
        autoComplete="username"
        autoFocus
        required
        key={form.key('username')}
        {...form.getInputProps('username')}
      />
      <PasswordInput
        label="Password"
        autoComplete="current-password"
        required
        key={form.key('password')}
        {...form.getInputProps('password')}
      />
      <Button type="submit" loading={busy} fullWidth>
        Sign in
      </Button>
    </AuthForm>
  );
}
