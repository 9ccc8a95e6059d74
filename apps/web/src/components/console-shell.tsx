'use client';

import {
  AppShell,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  NavLink,
  Select,
  Stack,
  Text,
  Title,
  UnstyledButton,
  useMantineColorScheme,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Permission } from '@otp-access/validators';
import {
  IconBook,
  IconChartBar,
  IconChevronDown,
  IconHistory,
  IconKey,
  IconLogout,
  IconMoon,
  IconSend,
  IconSettings,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { ROLE_LABELS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';
import { signOut } from '~/trpc/session';
import { SpaceProvider, useSpace } from './space-context';
import { ErrorState } from './states';

interface NavItem {
  label: string;
  path: string;
  icon: ReactNode;
  permission: Permission;
}

const NAV: NavItem[] = [
  {
    label: 'Overview',
    path: 'overview',
    icon: <IconChartBar size={18} />,
    permission: 'otp.settings.read',
  },
  {
    label: 'OTP users',
    path: 'stores',
    icon: <IconUsers size={18} />,
    permission: 'mad.store.otpUsers.list',
  },
  { label: 'Delivery', path: 'delivery', icon: <IconSend size={18} />, permission: 'otp.settings.read' },
  { label: 'API keys', path: 'api-keys', icon: <IconKey size={18} />, permission: 'org.apiKeys.manage' },
  { label: 'Members', path: 'members', icon: <IconUsersGroup size={18} />, permission: 'org.members.read' },
  { label: 'Audit log', path: 'audit', icon: <IconHistory size={18} />, permission: 'org.audit.read' },
  { label: 'Settings', path: 'settings', icon: <IconSettings size={18} />, permission: 'otp.settings.read' },
];

/** The console around every page of a space: header with space switcher and account, navigation. */
export function ConsoleShell({ space, children }: { space: string; children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());

  if (me.isPending) {
    return (
      <Center mih="100dvh" aria-busy="true">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center mih="100dvh" p="md">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Could not load your account" />
      </Center>
    );
  }
  const membership = me.data.spaces.find((s) => s.slug === space);
  if (!membership) {
    return (
      <Center mih="100dvh" p="md">
        <Stack maw={420}>
          <Title order={1} size="h3">
            Not a member of “{space}”
          </Title>
          <Text c="dimmed">You do not have access to this space. Choose one of yours:</Text>
          {me.data.spaces.map((s) => (
            <Button key={s.slug} component="a" href={`/console/${s.slug}`} variant="light">
              {s.name}
            </Button>
          ))}
          <Button variant="subtle" onClick={() => void signOut()}>
            Sign out
          </Button>
        </Stack>
      </Center>
    );
  }
  return (
    <SpaceProvider
      value={{
        slug: space,
        name: membership.name,
        role: membership.role,
        email: me.data.email,
        userId: me.data.userId,
      }}
    >
      <Shell spaces={me.data.spaces}>{children}</Shell>
    </SpaceProvider>
  );
}

function Shell({ spaces, children }: { spaces: { slug: string; name: string }[]; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const space = useSpace();
  const pathname = usePathname();
  const base = `/console/${space.slug}`;
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <a href="#main-content" className="skip-link">
          Skip to content
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Text fw={700} visibleFrom="xs" component={Link} href={base} c="inherit" td="none">
              OTP Access
            </Text>
            <SpaceSwitcher spaces={spaces} />
          </Group>
          <AccountMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.filter((item) => space.can(item.permission)).map((item) => {
          const href = `${base}/${item.path}`;
          return (
            <NavLink
              key={item.path}
              component={Link}
              href={href}
              label={item.label}
              leftSection={item.icon}
              active={pathname === href || pathname.startsWith(`${href}/`)}
              aria-current={pathname === href ? 'page' : undefined}
              onClick={close}
            />
          );
        })}
        <NavLink
          component="a"
          href="/docs/api"
          label="API reference"
          leftSection={<IconBook size={18} />}
          mt="auto"
        />
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1}>
        <div style={{ maxWidth: 1200, marginInline: 'auto' }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}

function SpaceSwitcher({ spaces }: { spaces: { slug: string; name: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const space = useSpace();
  const switchSpace = useMutation(
    trpc.auth.switchSpace.mutationOptions({
      onSuccess: (chosen) => router.push(`/console/${chosen.slug}`),
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not switch space', message: error.message }),
    }),
  );
  return (
    <Select
      aria-label="Space"
      data={spaces.map((s) => ({ value: s.slug, label: s.name }))}
      value={space.slug}
      onChange={(slug) => {
        if (slug && slug !== space.slug) switchSpace.mutate({ slug });
      }}
      allowDeselect={false}
      disabled={switchSpace.isPending}
      w={{ base: 150, xs: 200 }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function AccountMenu() {
  const space = useSpace();
  const { toggleColorScheme } = useMantineColorScheme();
  return (
    <Menu position="bottom-end" width={240}>
      <Menu.Target>
        <UnstyledButton>
          <Group gap={6} wrap="nowrap">
            {/* The button's name is what it shows, "Account" first, so speech and sight agree. */}
            <VisuallyHidden visibleFrom="sm">Account:</VisuallyHidden>
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={500} lh={1.2}>
                {space.email}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {ROLE_LABELS[space.role]} of {space.name}
              </Text>
            </Stack>
            <Text hiddenFrom="sm" size="sm" fw={500}>
              Account
            </Text>
            <IconChevronDown size={16} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {space.email} · {ROLE_LABELS[space.role]}
        </Menu.Label>
        <Menu.Item
          leftSection={<IconUserCircle size={16} />}
          component={Link}
          href={`/console/${space.slug}/account`}
        >
          Your account
        </Menu.Item>
        <Menu.Item leftSection={<IconMoon size={16} />} onClick={toggleColorScheme}>
          Toggle dark mode
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
