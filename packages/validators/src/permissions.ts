/** Every permission a role or an API key can hold. Checked by one middleware in the API. */
export const PERMISSIONS = [
  'mad.store.otpUsers.list',
  'mad.store.otpUsers.get',
  'mad.store.otpUsers.create',
  'mad.store.otpUsers.update',
  'mad.store.otpUsers.remove',
  /** Create published applications, upload builds and choose the published one. */
  'mad.publications.manage',
  'mad.store.manage',
  'otp.settings.read',
  'otp.settings.update',
  'otp.settings.test',
  'org.apiKeys.manage',
  'org.members.read',
  'org.members.manage',
  'org.audit.read',
  'org.settings.manage',
  'org.delete',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['OWNER', 'ADMIN', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  OWNER: PERMISSIONS,
  // Keys and memberships are the organization's own access: only owners hand them out, and only
  // an owner ends the organization.
  ADMIN: PERMISSIONS.filter(
    (p) => p !== 'org.apiKeys.manage' && p !== 'org.members.manage' && p !== 'org.delete',
  ),
  VIEWER: ['mad.store.otpUsers.list', 'mad.store.otpUsers.get', 'otp.settings.read', 'org.members.read'],
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
