import { z } from 'zod';
import { ZIsoDateTime, ZObjectId, ZPaginated } from './common';
import { PERMISSIONS, ROLES } from './permissions';

export const ZRole = z.enum(ROLES);
export const ZPermission = z.enum(PERMISSIONS);

/** Admin sign-in identifiers are emails; compared case-insensitively. */
export const ZAdminEmail = z
  .email()
  .max(320)
  .transform((email) => email.toLowerCase());

export const ZLoginBody = z
  .object({
    username: z.string().min(1).max(320),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'LoginBody' });

export const ZSpace = z
  .object({ slug: z.string(), name: z.string(), role: ZRole })
  .meta({ id: 'Space', description: 'An organization the admin belongs to, with their role in it' });

export const ZLoginResult = z
  .object({
    'expire-seconds': z.int().positive(),
    spaces: z.array(ZSpace),
  })
  .meta({ id: 'LoginResult' });

export const ZApiKey = z.object({
  id: ZObjectId,
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(ZPermission),
  createdAt: ZIsoDateTime,
  lastUsedAt: ZIsoDateTime.nullable(),
  revokedAt: ZIsoDateTime.nullable(),
});

export const ZCreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  permissions: z.array(ZPermission).min(1).max(PERMISSIONS.length),
});

export const ZMember = z.object({
  userId: ZObjectId,
  email: z.string(),
  role: ZRole,
  createdAt: ZIsoDateTime,
  /** Set while the account is locked after repeated failed sign-ins. */
  lockedUntil: ZIsoDateTime.nullable(),
});

export const ZAuditEvent = z.object({
  id: ZObjectId,
  actor: z.string(),
  /** The acting member's current role here; null for an API key or a former member. */
  actorRole: ZRole.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  /** What the target is called (an email, a key's name, a provider), when known. */
  targetLabel: z.string().nullable(),
  changes: z.unknown(),
  at: ZIsoDateTime,
});
export const ZAuditEventPage = ZPaginated(ZAuditEvent);
