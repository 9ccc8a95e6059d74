'use client';

import { Box, Skeleton, Stack, Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { ErrorState, NoPermission } from '~/components/states';
import { useTRPC } from '~/trpc/react';
import { DeliveryLog } from './delivery-log';
import { ProviderCard } from './provider-card';
import { PROVIDERS } from './providers';
import { TestSend } from './test-send';

export function DeliveryView() {
  const space = useSpace();
  if (!space.can('otp.settings.read')) {
    return (
      <>
        <PageHeader title="Delivery" />
        <NoPermission what="the delivery settings" />
      </>
    );
  }
  return <Delivery />;
}

function Delivery() {
  const trpc = useTRPC();
  const space = useSpace();
  const settings = useQuery(trpc.otpSettings.list.queryOptions());
  // The overview links straight to the log (`?tab=log`).
  const initialTab = useSearchParams().get('tab') === 'log' ? 'log' : 'settings';
  return (
    <>
      <PageHeader
        title="Delivery"
        description="How one-time codes reach people: email through SMTP, SMS through Twilio, NetGSM or Dataport."
      />
      <Tabs defaultValue={initialTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
          <Tabs.Tab value="log">Delivery log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="settings">
          {settings.isError ? (
            <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
          ) : !settings.data ? (
            <Stack>
              <Skeleton height={220} />
              <Skeleton height={160} />
            </Stack>
          ) : (
            <Stack>
              {space.can('otp.settings.test') && <TestSend />}
              {PROVIDERS.map((spec) => {
                const setting = settings.data.find(
                  (s) => s.provider === spec.provider && s.type === spec.type,
                );
                const version = setting ? `${setting.lastModifiedDate}:${setting.isDefault}` : 'none';
                return <ProviderCard key={`${spec.key}:${version}`} spec={spec} setting={setting} />;
              })}
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <Box>
            <DeliveryLog />
          </Box>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
