import { z } from 'zod';
import { MAX_SAFE, ZIsoDateTime, ZObjectId, ZPageQuery, ZPaginated } from './common';

/** The spec's email pattern, verbatim. */
export const OTP_USER_EMAIL_PATTERN =
  /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * An OTP user's email. Stored lower-cased: uniqueness per published application and the email
 * search are case-insensitive. The length check aborts first so the pattern never runs on huge input.
 */
export const ZOtpUserEmail = z
  .string()
  .max(256, { abort: true })
  .regex(OTP_USER_EMAIL_PATTERN, 'Invalid email')
  .transform((email) => email.toLowerCase());

/**
 * The document's range, ±(2^53-1). -1 means unlimited, and so does any other negative value: it is
 * stored and answered as sent, and never limits a download. Fractions, strings and unsafe integers
 * are refused.
 */
export const ZAllowedDownloadsNum = z.int().min(-MAX_SAFE).max(MAX_SAFE);

/** Whether an allowance puts no limit on downloads (-1, or any negative value). */
export const isUnlimitedAllowance = (allowedDownloadsNum: number) => allowedDownloadsNum < 0;

export const OTP_USER_SORT_FIELDS = [
  'createdAt',
  'updatedAt',
  'email',
  'allowedDownloadsNum',
  'lastLoginDate',
  'lastDownloadDate',
] as const;
export type OtpUserSortField = (typeof OTP_USER_SORT_FIELDS)[number];

/** `field:asc|desc`, as the REST `sort` query parameter. */
export const ZOtpUserSort = z
  .string()
  .regex(
    new RegExp(`^(${OTP_USER_SORT_FIELDS.join('|')}):(asc|desc)$`),
    `Expected <field>:asc|desc with field one of ${OTP_USER_SORT_FIELDS.join(', ')}`,
  )
  .transform((value) => {
    const [field, direction] = value.split(':') as [OtpUserSortField, 'asc' | 'desc'];
    return { field, direction };
  });

export const ZOtpUser = z
  .object({
    id: ZObjectId,
    organizationId: ZObjectId,
    storeId: ZObjectId,
    publishedApplicationId: ZObjectId,
    email: z.string().max(256),
    allowedDownloadsNum: ZAllowedDownloadsNum,
    lastLoginDate: ZIsoDateTime.nullable(),
    lastDownloadDate: ZIsoDateTime.nullable(),
    createdAt: ZIsoDateTime,
    updatedAt: ZIsoDateTime,
  })
  .meta({
    id: 'OtpUser',
    description: 'An OTP user: who may download a published application, and how often',
  });
export type OtpUserDto = z.infer<typeof ZOtpUser>;

export const ZOtpUserPage = ZPaginated(ZOtpUser).meta({ id: 'OtpUserPage' });

/** Filters and paging of the OTP user list (REST query parameters, typed). */
export const ZListOtpUsersFilter = ZPageQuery.extend({
  sort: ZOtpUserSort.optional(),
  publishedApplicationId: ZObjectId.optional(),
  /** Partial, case-insensitive match. */
  email: z.string().trim().min(1).max(256).optional(),
});

/** Request body of "create OTP users": one email or many. */
export const ZCreateOtpUsersBody = z
  .strictObject({
    email: z.union([ZOtpUserEmail, z.array(ZOtpUserEmail).min(1).max(1000)]),
    publishedApplicationId: ZObjectId,
    allowedDownloadsNum: ZAllowedDownloadsNum.optional(),
  })
  .meta({ id: 'CreateOtpUsersBody' });

/** Request body of "update an OTP user". */
export const ZUpdateOtpUserBody = z
  .strictObject({
    allowedDownloadsNum: ZAllowedDownloadsNum.optional(),
  })
  .meta({ id: 'UpdateOtpUserBody' });

export const ZDownloadEvent = z.object({ id: ZObjectId, at: ZIsoDateTime });
export const ZDownloadEventPage = ZPaginated(ZDownloadEvent);
