'use client';

import type { Permission, Role } from '@otp-access/validators';
import { createContext, type ReactNode, useContext } from 'react';
import { roleCan } from '~/lib/permissions';

export interface SpaceInfo {
  slug: string;
  name: string;
  role: Role;
  /** The signed-in admin. */
  email: string;
  userId: string;
  /** Whether the admin's role in this space allows it (controls are hidden otherwise). */
  can(permission: Permission): boolean;
}

const SpaceContext = createContext<SpaceInfo | null>(null);

export function SpaceProvider({ value, children }: { value: Omit<SpaceInfo, 'can'>; children: ReactNode }) {
  return (
    <SpaceContext.Provider value={{ ...value, can: (p) => roleCan(value.role, p) }}>
      {children}
    </SpaceContext.Provider>
  );
}

export function useSpace(): SpaceInfo {
  const space = useContext(SpaceContext);
  if (!space) throw new Error('useSpace() outside a space of the console');
  return space;
}
