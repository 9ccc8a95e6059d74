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
import { ErrorState } from '~/components/states';
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

const APP_COLORS = ['indigo.6', 'teal.7', 'orange.7', 'grape.6', 'cyan.7', 'pink.6', 'lime.8', 'blue.8'];

const LEFT_SERIES = [
  { name: 'No downloads left', color: 'red.8' },
  { name: 'One left', color: 'orange.6' },
  { name: 'Two left', color: 'yellow.5' },
];

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
    // Downloads: one series per published application (named with its store when there are several).
    const stores = new Set(data.applications.map((a) => a.storeId));
    const appLabel = new Map(
      data.applications.map((a) => [a.id, stores.size > 1 ? `${a.name} (${a.storeName})` : a.name]),
    );
    const appIds = [...new Set(data.downloads.map((d) => d.publishedApplicationId))];
    const downloadRows = daysOf(data).map((day) => {
      const row: Record<string, string | number> = { day: shortDay(day) };
      for (const id of appIds) {
        row[appLabel.get(id) ?? 'Removed application'] =
          data.downloads.find((d) => d.day === day && d.publishedApplicationId === id)?.downloads ?? 0;
      }
      return row;
    });
    const downloadSeries = appIds.map((id, index) => ({
      name: appLabel.get(id) ?? 'Removed application',
      color: APP_COLORS[index % APP_COLORS.length] ?? 'indigo.6',
    }));
    const downloadsTotal = data.downloads.reduce((n, d) => n + d.downloads, 0);
    const downloadStores = new Set(
      appIds.map((id) => data.applications.find((a) => a.id === id)?.storeId).filter(Boolean),
    );
    // Near the allowance: one bar per store, split by how many downloads are left.
    const nearStores = [...new Map(data.nearAllowance.map((n) => [n.storeId, n.storeName])).entries()];
    const nearRows = nearStores.map(([storeId, storeName]) => {
      const row: Record<string, string | number> = { store: storeName };
      for (const [left, name] of LEFT_SERIES.entries())
        row[name.name] =
          data.nearAllowance.find((n) => n.storeId === storeId && n.downloadsLeft === left)?.users ?? 0;
      return row;
    });
    return {
      providers,
      rows,
      totals,
      signIns: data.signInCodes.reduce((n, d) => n + d.sent, 0),
      downloadRows,
      downloadSeries,
      downloadsTotal,
      downloadsHref:
        downloadStores.size === 1
          ? `${base}/stores/${[...downloadStores][0]}/applications`
          : `${base}/stores`,
      nearStores,
      nearRows,
      nearTotal: data.nearAllowance.reduce((n, d) => n + d.users, 0),
    };
  }, [data, base]);

  // Alike on purpose: two charts of the same days, one of codes sent and one of downloads.
  return (
    <>
      <PageHeader
        title="Overview"
        description={`${space.name} at a glance: codes sent, sign-ins and downloads over the last ${days} days (UTC).`}
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
          <ChartCard
            title="Downloads per app"
            description={`${charts.downloadsTotal.toLocaleString('en')} downloads counted against allowances, per day and published application.`}
            href={charts.downloadsHref}
            link="Open the applications"
          >
            {charts.downloadSeries.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing was downloaded in this period.
              </Text>
            ) : (
              <BarChart
                h={240}
                data={charts.downloadRows}
                dataKey="day"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
                series={charts.downloadSeries}
              />
            )}
          </ChartCard>
          <ChartCard
            title="OTP users near their allowance"
            description={`${data.nearAllowanceCapped ? 'More than ' : ''}${charts.nearTotal.toLocaleString('en')} users with a limited allowance have two downloads or fewer left.`}
            href={
              charts.nearStores.length === 1
                ? `${base}/stores/${charts.nearStores[0]?.[0]}?left=2`
                : `${base}/stores`
            }
            link={charts.nearStores.length === 1 ? 'See these users' : 'Open the stores'}
          >
            {charts.nearStores.length === 0 ? (
              <Text size="sm" c="dimmed">
                No OTP user is near their allowance.
              </Text>
            ) : (
              <>
                <BarChart
                  h={Math.max(120, 56 * charts.nearStores.length + 60)}
                  data={charts.nearRows}
                  dataKey="store"
                  orientation="vertical"
                  type="stacked"
                  withLegend
                  legendProps={{ verticalAlign: 'bottom' }}
                  yAxisProps={{ width: 120 }}
                  series={LEFT_SERIES}
                />
                <Stack gap={4} mt="sm">
                  {charts.nearStores.map(([storeId, storeName]) => {
                    const none =
                      data.nearAllowance.find((n) => n.storeId === storeId && n.downloadsLeft === 0)?.users ??
                      0;
                    return (
                      <Group key={storeId} gap="xs" wrap="wrap">
                        <Text size="sm" fw={600}>
                          {storeName}:
                        </Text>
                        <Anchor component={Link} href={`${base}/stores/${storeId}?left=0`} size="sm">
                          {none.toLocaleString('en')} with none left
                        </Anchor>
                        <Anchor component={Link} href={`${base}/stores/${storeId}?left=2`} size="sm">
                          all with two or fewer left
                        </Anchor>
                      </Group>
                    );
                  })}
                </Stack>
              </>
            )}
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
