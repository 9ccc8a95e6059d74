'use client';

import { Alert, Badge, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import type { AppRouter } from '@otp-access/api';
import { useMutation } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { providerLabel } from './providers';
import { TestSendFields, useTestSend } from './test-send-fields';

type TestResult = inferRouterOutputs<AppRouter>['otpSettings']['test'];

/** Sends a real message through the space's default provider and shows what the provider answered. */
export function TestSend() {
  const trpc = useTRPC();
  const test = useTestSend<TestResult>();
  const { result, failure } = test;
  // The address just typed is shown as typed; the server masks only the stored one it chose.
  const [sentTo, setSentTo] = useState<string | null>(null);
  const send = useMutation(trpc.otpSettings.test.mutationOptions(test.handlers));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    test.clear();
    setSentTo(test.fields.to.trim() || null);
    send.mutate({ type: test.fields.type, ...test.recipient });
  };

  return (
    <Card withBorder component="section" aria-labelledby="test-send-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="test-send-title">
            Send a test
          </Title>
          <Text size="sm" c="dimmed">
            A real message through the default provider of the type (and the next ones if it fails).
          </Text>
          <TestSendFields {...test.fields} pending={send.isPending} />
          {failure && (
            <Alert color="red" title="Not sent" role="alert">
              {failure}
            </Alert>
          )}
          {result && (
            <Alert
              color={result.delivered ? 'teal' : 'red'}
              title={
                result.delivered
                  ? `Delivered to ${sentTo ?? result.recipient}`
                  : `Not delivered to ${sentTo ?? result.recipient}`
              }
              role="status"
            >
              <Table.ScrollContainer minWidth={520} type="native">
                <Table fz="xs" verticalSpacing={4} aria-label="Delivery attempts">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Provider</Table.Th>
                      <Table.Th>Result</Table.Th>
                      <Table.Th>Provider’s answer</Table.Th>
                      <Table.Th>Time</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.attempts.map((attempt, index) => (
                      <Table.Tr key={`${index}-${attempt.provider}`}>
                        <Table.Td className="nowrap">{providerLabel(attempt.provider)}</Table.Td>
                        <Table.Td>
                          <Badge size="sm" color={attempt.status === 'SENT' ? 'teal' : 'red'} variant="light">
                            {attempt.status === 'SENT' ? 'Sent' : 'Failed'}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Code fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                            {attempt.error ?? attempt.providerResponse ?? attempt.providerMessageId ?? '—'}
                          </Code>
                        </Table.Td>
                        <Table.Td className="nowrap">{attempt.durationMs} ms</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {result.attempts.length === 0 && <Text size="sm">No provider of this type is configured.</Text>}
            </Alert>
          )}
        </Stack>
      </form>
    </Card>
  );
}
