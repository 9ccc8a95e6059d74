import { Alert, Stack, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';

/** A form of the signed-out pages: its heading, what it is for, why the last try failed, its fields. */
export function AuthForm({
  title,
  intro,
  error,
  onSubmit,
  children,
}: {
  title: ReactNode;
  intro?: ReactNode;
  error: string | null;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <Title order={2} size="h4">
          {title}
        </Title>
        {intro}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {children}
      </Stack>
    </form>
  );
}
