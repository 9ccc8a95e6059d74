import { type Permission, ROLE_PERMISSIONS, type Role } from '@otp-access/validators';

/** What a role may do, from the same table the server checks (the server refuses the rest anyway). */
export function roleCan(role: Role | null | undefined, permission: Permission): boolean {
  return role ? ROLE_PERMISSIONS[role].includes(permission) : false;
}

export const ROLE_LABELS: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', VIEWER: 'Viewer' };

// Alike on purpose: a table of groups of permissions, one entry per group.
/** Permissions grouped for the API-key picker, with words for people. */
export const PERMISSION_GROUPS: { label: string; permissions: { value: Permission; label: string }[] }[] = [
  {
    label: 'OTP users',
    permissions: [
      { value: 'mad.store.otpUsers.list', label: 'List OTP users' },
      { value: 'mad.store.otpUsers.get', label: 'Read an OTP user' },
      { value: 'mad.store.otpUsers.create', label: 'Create OTP users' },
      { value: 'mad.store.otpUsers.update', label: 'Change allowances' },
      { value: 'mad.store.otpUsers.remove', label: 'Delete OTP users' },
    ],
  },
  {
    label: 'Publishing',
    permissions: [
      { value: 'mad.publications.manage', label: 'Create applications, upload and publish builds' },
    ],
  },
  {
    label: 'Delivery settings',
    permissions: [
      { value: 'otp.settings.read', label: 'Read settings' },
      { value: 'otp.settings.update', label: 'Change settings' },
      { value: 'otp.settings.test', label: 'Send test messages' },
    ],
  },
  {
    label: 'Organization',
    permissions: [
      { value: 'org.members.read', label: 'List members' },
      { value: 'org.members.manage', label: 'Manage members' },
      { value: 'org.apiKeys.manage', label: 'Manage API keys' },
      { value: 'org.audit.read', label: 'Read the audit log' },
    ],
  },
];
