'use client';

import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

export type TestMessageType = 'MAIL' | 'SMS';

/**
 * The fields of a test send: the message type, where to send it (blank: the signed-in admin) and
 * the button. Shared by the delivery page's test and the organization settings' code message test.
 */
export function TestSendFields({
  type,
  onTypeChange,
  to,
  onToChange,
  pending,
}: {
  type: TestMessageType;
  onTypeChange: (type: TestMessageType) => void;
  to: string;
  onToChange: (to: string) => void;
  pending: boolean;
}) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <SegmentedControl
        aria-label="Test message type"
        value={type}
        onChange={(value) => onTypeChange(value as TestMessageType)}
        data={[
          { value: 'MAIL', label: 'Email' },
          { value: 'SMS', label: 'SMS' },
        ]}
      />
      <TextInput
        label="Send to"
        placeholder={type === 'MAIL' ? 'Your email' : '+15005550006 (default: your phone)'}
        value={to}
        onChange={(event) => onToChange(event.currentTarget.value)}
        style={{ flex: '1 1 200px' }}
      />
      <Button type="submit" leftSection={<IconSend size={16} />} loading={pending}>
        Send test
      </Button>
    </Group>
  );
}

/**
 * What a test send holds: the type and address typed, and the last answer or failure. `handlers`
 * go to the send's mutation; a sent test shows in the delivery log, so that is loaded again.
 */
export function useTestSend<TResult>() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<TestMessageType>('MAIL');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<TResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  return {
    fields: { type, onTypeChange: setType, to, onToChange: setTo },
    result,
    failure,
    setFailure,
    /** Forgets the last answer before the next send. */
    clear: () => {
      setResult(null);
      setFailure(null);
    },
    /** The address typed, as the send's input wants it (none: the signed-in admin). */
    recipient: to.trim() ? { to: to.trim() } : {},
    handlers: {
      onSuccess: async (answer: TResult) => {
        setResult(answer);
        await queryClient.invalidateQueries(trpc.deliveryLog.list.pathFilter());
      },
      onError: (error: unknown) => setFailure(errorMessage(error)),
    },
  };
}
