'use client';

import { Box, Card, Drawer, Group, Skeleton, Stack, Tabs, Text, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { OtpSettingView } from '@otp-access/validators';
import { IconChevronRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { ErrorState } from '~/components/states';
import { useTRPC } from '~/trpc/react';
import { DeliveryLog } from './delivery-log';
import { ProviderBadges, ProviderCard } from './provider-card';
import { PROVIDERS, type ProviderKey, type ProviderSpec } from './providers';
import { TestSend } from './test-send';

export function DeliveryView() {
  const trpc = useTRPC();
  const space = useSpace();
  const settings = useQuery(trpc.otpSettings.list.queryOptions());
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const phone = useMediaQuery('(max-width: 600px)');
  // The overview links straight to the log (`?tab=log`).
  const initialTab = searchParams.get('tab') === 'log' ? 'log' : 'settings';
  // The open provider lives in the URL (`?provider=smtp`), so a reload or a shared link reopens it.
  const openKey = PROVIDERS.find((spec) => spec.key === searchParams.get('provider'))?.key ?? null;
  const setOpen = (key: ProviderKey | null) => {
    // The URL as it is now: a change written a moment ago may not have rendered yet.
    const params = new URLSearchParams(window.location.search);
    if (key) params.set('provider', key);
    else params.delete('provider');
    const search = params.toString();
    window.history.replaceState(null, '', `${pathname}${search ? `?${search}` : ''}`);
  };
  const settingOf = (spec: ProviderSpec) =>
    settings.data?.find((s) => s.provider === spec.provider && s.type === spec.type);
  // Configured providers first (the default of each type before the others), then the rest.
  const ordered = [...PROVIDERS].sort((a, b) => rank(settingOf(a)) - rank(settingOf(b)));
  const openSpec = PROVIDERS.find((spec) => spec.key === openKey);
  const openSetting = openSpec ? settingOf(openSpec) : undefined;
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
              <Card withBorder padding={0} component="section" aria-labelledby="providers-title">
                <Box p="md" pb="xs">
                  <Text id="providers-title" component="h2" fw={600} fz="lg" m={0}>
                    Providers
                  </Text>
                  <Text size="sm" c="dimmed">
                    Open a provider to see or change its settings.
                  </Text>
                </Box>
                <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                  {ordered.map((spec) => {
                    const setting = settingOf(spec);
                    return (
                      <li
                        key={spec.key}
                        style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
                      >
                        <UnstyledButton
                          onClick={() => setOpen(spec.key)}
                          aria-haspopup="dialog"
                          aria-describedby={`provider-state-${spec.key}`}
                          w="100%"
                          px="md"
                          py="sm"
                        >
                          <Group justify="space-between" wrap="nowrap" gap="sm">
                            <Text fw={600}>{spec.title}</Text>
                            <Group gap={6} wrap="nowrap">
                              <ProviderBadges
                                spec={spec}
                                setting={setting}
                                id={`provider-state-${spec.key}`}
                              />
                              <IconChevronRight size={16} aria-hidden />
                            </Group>
                          </Group>
                        </UnstyledButton>
                      </li>
                    );
                  })}
                </Stack>
              </Card>
              {space.can('otp.settings.test') && <TestSend />}
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <Box>
            <DeliveryLog />
          </Box>
        </Tabs.Panel>
      </Tabs>
      <Drawer
        opened={Boolean(openSpec && settings.data)}
        onClose={() => setOpen(null)}
        title={openSpec?.title}
        position="right"
        size={phone ? '100%' : 'lg'}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {openSpec && settings.data && (
          <ProviderCard
            // A save or removal starts the form afresh from what is stored.
            key={`${openSpec.key}:${openSetting ? `${openSetting.lastModifiedDate}:${openSetting.isDefault}` : 'none'}`}
            spec={openSpec}
            setting={openSetting}
          />
        )}
      </Drawer>
    </>
  );
}

function rank(setting: OtpSettingView | undefined): number {
  return setting ? (setting.isDefault ? 0 : 1) : 2;
}
