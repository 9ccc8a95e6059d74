'use client';

import { BarChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Card,
  Group,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { AppRouter } from '@otp-access/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { type ReactNode, useMemo, useState } from 'react';
import { providerLabel } from '~/components/delivery/providers';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { ErrorState, NoPermission } from '~/components/states';
import { useTRPC } from '~/trpc/react';

type Overview = inferRouterOutputs<AppRouter>['overview']['get'];

const WINDOWS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];

const PROVIDER_COLORS: Record<string, string> = {
  DEFAULT: 'indigo.6',
  TWILIO: 'red.6',
  NETGSM: 'teal.6',
  DATAPORT: 'orange.6',
};

/** Every UTC day of the window, so a quiet day shows as zero instead of vanishing. */
function daysOf(overview: Overview): string[] {
  const start = Date.parse(overview.since);
  return Array.from({ length: overview.days }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function OverviewView() {
  const space = useSpace();
  if (!space.can('otp.settings.read')) {
    return (
      <>
        <PageHeader title="Overview" />
        <NoPermission what="the overview" />
      </>
    );
  }
  return <OverviewCharts />;
}

function OverviewCharts() {
  const trpc = useTRPC();
  const space = useSpace();
  const [days, setDays] = useState<7 | 30 | 90>(30);
  const overview = useQuery({
    ...trpc.overview.get.queryOptions({ days }),
    placeholderData: keepPreviousData,
  });
  const data = overview.data;
  const base = `/console/${space.slug}`;

  const charts = useMemo(() => {
    if (!data) return null;
    const providers = [...new Set(data.deliveries.map((d) => d.provider))];
    const rows = daysOf(data).map((day) => {
      const row: Record<string, string | number> = { day: shortDay(day) };
      for (const provider of providers) {
        const entry = data.deliveries.find((d) => d.day === day && d.provider === provider);
        row[`${providerLabel(provider)} sent`] = entry?.sent ?? 0;
        row[`${providerLabel(provider)} failed`] = entry?.failed ?? 0;
      }
      const signIn = data.signInCodes.find((d) => d.day === day);
      row['Sign-in codes'] = signIn?.sent ?? 0;
      return row;
    });
    const totals = data.deliveries.reduce(
      (sum, d) => ({ sent: sum.sent + d.sent, failed: sum.failed + d.failed }),
      { sent: 0, failed: 0 },
    );
    return { providers, rows, totals, signIns: data.signInCodes.reduce((n, d) => n + d.sent, 0) };
  }, [data]);

  return (
    <>
      <PageHeader
        title="Overview"
        description={`${space.name} at a glance: codes sent and sign-ins over the last ${days} days (UTC).`}
        actions={
          <SegmentedControl
            aria-label="Period"
            data={WINDOWS}
            value={String(days)}
            onChange={(value) => setDays(Number(value) as 7 | 30 | 90)}
          />
        }
      />
      {overview.isError && !data ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !charts || !data ? (
        <Stack>
          <Skeleton height={90} />
          <Skeleton height={280} />
        </Stack>
      ) : (
        <Stack aria-busy={overview.isFetching}>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Stat label="OTP users" value={data.otpUsers} href={`${base}/stores`} link="See OTP users" />
            <Stat
              label={`Codes delivered in ${days} days`}
              value={charts.totals.sent}
              href={`${base}/delivery?tab=log`}
              link="See the delivery log"
            />
            <Stat
              label={`Codes that failed in ${days} days`}
              value={charts.totals.failed}
              href={`${base}/delivery?tab=log&status=FAILED`}
              link="See the failures"
            />
          </SimpleGrid>
          <ChartCard
            title="Codes per provider"
            description="Delivered and failed messages per day, by provider."
            href={`${base}/delivery?tab=log`}
            link="Open the delivery log"
          >
            {charts.providers.length === 0 ? (
              <Text size="sm" c="dimmed">
                No codes were sent in this period.
              </Text>
            ) : (
              <BarChart
                h={260}
                data={charts.rows}
                dataKey="day"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
                series={charts.providers.flatMap((provider) => [
                  { name: `${providerLabel(provider)} sent`, color: PROVIDER_COLORS[provider] ?? 'gray.6' },
                  { name: `${providerLabel(provider)} failed`, color: 'red.9' },
                ])}
              />
            )}
          </ChartCard>
          <ChartCard
            title="Store sign-in codes"
            description={`${charts.signIns.toLocaleString('en')} codes sent to people signing in to a store.`}
            href={`${base}/delivery?tab=log&purpose=STORE_LOGIN`}
            link="Open the sign-in codes"
          >
            <LineChart
              h={220}
              data={charts.rows}
              dataKey="day"
              series={[{ name: 'Sign-in codes', color: 'indigo.6' }]}
              curveType="monotone"
            />
          </ChartCard>
        </Stack>
      )}
    </>
  );
}

function Stat({ label, value, href, link }: { label: string; value: number; href: string; link: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.3}>
        {value.toLocaleString('en')}
      </Text>
      <Anchor component={Link} href={href} size="sm">
        {link}
      </Anchor>
    </Card>
  );
}

function ChartCard({
  title,
  description,
  href,
  link,
  children,
}: {
  title: string;
  description: string;
  href: string;
  link: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="sm" gap="xs">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        <Anchor component={Link} href={href} size="sm">
          {link}
        </Anchor>
      </Group>
      {children}
    </Card>
  );
}
