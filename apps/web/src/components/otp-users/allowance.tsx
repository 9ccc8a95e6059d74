'use client';

import { Badge, Button, Group, NumberInput, Skeleton, Switch, Text } from '@mantine/core';
import { isUnlimitedAllowance, ZAllowedDownloadsNum } from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { notifyDone } from '~/components/feedback';
import { useTRPC } from '~/trpc/react';

export function describeAllowance(value: number): string {
  return isUnlimitedAllowance(value)
    ? 'unlimited'
    : `${value.toLocaleString('en')} download${value === 1 ? '' : 's'}`;
}

export function AllowanceValue({ value }: { value: number }) {
  if (isUnlimitedAllowance(value)) {
    return (
      <Badge variant="light" color="teal" radius="sm">
        Unlimited
      </Badge>
    );
  }
  return (
    <Text span size="sm" c={value === 0 ? 'dimmed' : undefined} className="nowrap">
      {value.toLocaleString('en')}
    </Text>
  );
}

/** Remaining downloads of a limited allowance (never below zero: an allowance may be lowered). */
export function downloadsLeft(allowedDownloadsNum: number, downloadsCount: number): number | null {
  return isUnlimitedAllowance(allowedDownloadsNum) ? null : Math.max(allowedDownloadsNum - downloadsCount, 0);
}

/** "2 used · 1 left": what the allowance has been spent on, beside it. */
export function DownloadsUsage({
  allowedDownloadsNum,
  downloadsCount,
}: {
  allowedDownloadsNum: number;
  /** Undefined while it loads. */
  downloadsCount: number | undefined;
}) {
  if (downloadsCount === undefined) return <Skeleton height={14} width={90} radius="sm" />;
  const left = downloadsLeft(allowedDownloadsNum, downloadsCount);
  return (
    <Text span size="sm" className="nowrap">
      {downloadsCount.toLocaleString('en')} used
      {left !== null && (
        <>
          {' · '}
          {/* Bold, not red: a red of 4.5:1 on both themes' striped rows is not in the palette. */}
          <Text span size="sm" fw={left === 0 ? 700 : undefined}>
            {left === 0 ? 'none left' : `${left.toLocaleString('en')} left`}
          </Text>
        </>
      )}
    </Text>
  );
}

/**
 * Edits one OTP user's allowance in place: a number, or the "Unlimited" switch (-1). Enter saves,
 * Escape cancels.
 */
export function AllowanceEditor({
  storeId,
  user,
  onDone,
}: {
  storeId: string;
  user: { id: string; email: string; allowedDownloadsNum: number };
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [unlimited, setUnlimited] = useState(isUnlimitedAllowance(user.allowedDownloadsNum));
  const [amount, setAmount] = useState<number | string>(
    isUnlimitedAllowance(user.allowedDownloadsNum) ? 1 : user.allowedDownloadsNum,
  );
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.otpUser.update.mutationOptions({
      onSuccess: async (saved) => {
        notifyDone('Allowance updated', `${saved.email}: ${describeAllowance(saved.allowedDownloadsNum)}`);
        await queryClient.invalidateQueries(trpc.otpUser.pathFilter());
        onDone();
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZAllowedDownloadsNum.safeParse(
      unlimited ? -1 : amount === '' ? Number.NaN : Number(amount),
    );
    if (!parsed.success) {
      setError('A whole number, 0 or more');
      return;
    }
    update.mutate({ storeId, otpUserId: user.id, data: { allowedDownloadsNum: parsed.data } });
  };
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onDone();
    }
  };

  return (
    <form onSubmit={submit} onKeyDown={cancelOnEscape} aria-label={`Allowance of ${user.email}`} noValidate>
      <Group gap="xs" wrap="wrap" align="flex-start">
        <NumberInput
          aria-label="Allowed downloads"
          size="xs"
          w={96}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          value={unlimited ? '' : amount}
          placeholder={unlimited ? '∞' : undefined}
          onChange={(value) => {
            setAmount(value);
            setError(null);
          }}
          disabled={unlimited}
          error={error}
          data-autofocus
          autoFocus
        />
        <Switch
          label="Unlimited"
          size="xs"
          mt={4}
          checked={unlimited}
          onChange={(event) => {
            setUnlimited(event.currentTarget.checked);
            setError(null);
          }}
        />
        <Button type="submit" size="xs" loading={update.isPending}>
          Save
        </Button>
        <Button type="button" size="xs" variant="subtle" color="gray" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}
