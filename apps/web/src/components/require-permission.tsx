'use client';

import type { Permission } from '@otp-access/validators';
import type { ReactNode } from 'react';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { NoPermission } from '~/components/states';

export interface RequiredPermission {
  permission: Permission;
  /** The page's title, kept where the page cannot be shown. */
  title: string;
  /** What the role lacks, in words: "the audit log". */
  what: string;
}

/** A console page that the admin's role may not see keeps its title and says why it is empty. */
export function RequirePermission({
  permission,
  title,
  what,
  children,
}: RequiredPermission & { children: ReactNode }) {
  const space = useSpace();
  if (space.can(permission)) return children;
  return (
    <>
      <PageHeader title={title} />
      <NoPermission what={what} />
    </>
  );
}
