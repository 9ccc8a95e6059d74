import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <Center mih="100dvh" p="md" className="auth-page">
      <Stack w="100%" maw={400} gap="lg">
        <Stack gap={2} align="center">
          <Title order={1} size="h2">
            OTP Access
          </Title>
          <Text c="dimmed" size="sm">
            Admin console
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl">
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}
