import { Anchor, Button, Center, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Page not found' };

/** Any address the app does not know: say so in the product's own words, with a way back. */
export default function NotFound() {
  return (
    <Center component="main" mih="100dvh" p="md" className="auth-page">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <Text fw={700} c="dimmed" size="sm">
          OTP Access · 404
        </Text>
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed">The address may be mistyped, or the page may have moved.</Text>
        <Button component="a" href="/console" mt="sm">
          Go to the console
        </Button>
        <Anchor component="a" href="/docs/api" size="sm">
          API reference
        </Anchor>
      </Stack>
    </Center>
  );
}
