'use client';

import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ErrorState } from '~/components/states';
import { useTRPC } from '~/trpc/react';
import { signOut } from '~/trpc/session';

export function SpaceResolver() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  const slug = me.data ? (me.data.activeSpace ?? me.data.spaces[0]?.slug) : undefined;

  useEffect(() => {
    if (slug) router.replace(`/console/${slug}`);
  }, [slug, router]);

  return (
    <Center mih="100dvh" p="md">
      {me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Could not load your account" />
      ) : me.data && !slug ? (
        <Stack maw={420}>
          <Alert color="yellow" title="No space yet">
            Your account is not a member of any organization. Ask an owner to invite you.
          </Alert>
          <Button variant="light" onClick={() => void signOut()}>
            Sign out
          </Button>
        </Stack>
      ) : (
        <Loader aria-label="Loading" />
      )}
    </Center>
  );
}
