'use client';

import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';

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
