import type { AppRouter } from '@otp-access/api';
import { OTP_USER_SORT_FIELDS, type OtpUserSortField, ZObjectId, ZOtpUserSort } from '@otp-access/validators';
import type { inferRouterInputs } from '@trpc/server';

type Inputs = inferRouterInputs<AppRouter>;
export type OtpUserListInput = Inputs['otpUser']['list'];

/** Stores and published applications are few per space: one page of them is all of them. */
export const STORE_LIST_INPUT = { page: 1, limit: 100 } satisfies Inputs['store']['list'];
export const publishedApplicationsInput = (storeId: string) =>
  ({ storeId, page: 1, limit: 100 }) satisfies Inputs['publishedApplication']['list'];

export const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_LIMIT = 20;

export type SortDirection = 'asc' | 'desc';

/** What the OTP-user table shows, kept in the URL so a view can be shared and survives reloads. */
export interface OtpUserListView {
  page: number;
  limit: number;
  sort: { field: OtpUserSortField; direction: SortDirection } | null;
  email: string;
  app: string | null;
  /** Only users with a limited allowance and at most this many downloads left (the overview's link). */
  left: number | null;
}

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function read(source: ParamSource, name: string): string | undefined {
  if (source instanceof URLSearchParams) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The view in the URL; anything malformed falls back to the default instead of failing. */
export function readListView(source: ParamSource): OtpUserListView {
  const page = Number(read(source, 'page'));
  const limit = Number(read(source, 'limit'));
  const sort = ZOtpUserSort.safeParse(read(source, 'sort'));
  const email = (read(source, 'email') ?? '').trim().slice(0, 256);
  const app = ZObjectId.safeParse(read(source, 'app'));
  const left = read(source, 'left');
  return {
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_LIMIT,
    sort: sort.success ? sort.data : null,
    email,
    app: app.success ? app.data : null,
    left: left === '0' || left === '1' || left === '2' ? Number(left) : null,
  };
}

export function listViewToSearch(view: OtpUserListView): string {
  const params = new URLSearchParams();
  if (view.email) params.set('email', view.email);
  if (view.app) params.set('app', view.app);
  if (view.left !== null) params.set('left', String(view.left));
  if (view.sort) params.set('sort', `${view.sort.field}:${view.sort.direction}`);
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.limit !== DEFAULT_LIMIT) params.set('limit', String(view.limit));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The `otpUser.list` input of a view: the server prefetches and the browser queries this same input. */
export function listInputOf(storeId: string, view: OtpUserListView): OtpUserListInput {
  return {
    storeId,
    page: view.page,
    limit: view.limit,
    ...(view.sort ? { sort: `${view.sort.field}:${view.sort.direction}` } : {}),
    ...(view.email ? { email: view.email } : {}),
    ...(view.app ? { publishedApplicationId: view.app } : {}),
    ...(view.left !== null ? { downloadsLeft: view.left } : {}),
  };
}

export const SORTABLE_FIELDS: readonly OtpUserSortField[] = OTP_USER_SORT_FIELDS;
