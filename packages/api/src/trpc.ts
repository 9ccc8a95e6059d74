import type { Db } from '@otp-access/db';
import type { Permission } from '@otp-access/validators';
import { initTRPC } from '@trpc/server';
import { AppError, asAppError, describeError, ErrorCode } from './errors';
import { authenticateApiKey } from './services/api-key-auth';

export interface CreateContextOptions {
  db: Db;
  headers: Headers;
  /**
   * The organization (space) slug the caller addresses: the REST path's `{organizationSlug}`, or
   * an `X-Space` header on tRPC. An API key only reaches its own organization.
   */
  requestedSpace?: string | null;
  /** Injectable clock, for tests. */
  now?: () => Date;
}

export function createTRPCContext(options: CreateContextOptions) {
  return {
    db: options.db,
    headers: options.headers,
    requestedSpace: options.requestedSpace ?? options.headers.get('x-space'),
    now: options.now ?? (() => new Date()),
  };
}
export type TRPCContext = ReturnType<typeof createTRPCContext>;

export interface ProcedureMeta {
  /** Required by every organization procedure; checked by one middleware. */
  permission?: Permission;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const described = describeError(error);
      return {
        ...shape,
        message: described.message,
        data: {
          ...shape.data,
          httpStatus: described.status,
          appCode: described.code,
          fields: described.data ?? null,
          // Never leak internals to callers.
          stack: undefined,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Services throw AppError (or Prisma errors with a meaning); this gives tRPC the matching code. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const appError = asAppError(result.error.cause);
    if (appError) throw appError.toTRPCError();
  }
  return result;
});

export const publicProcedure = t.procedure.use(appErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await authenticateApiKey(ctx.db, ctx.headers.get('authorization'), ctx.now());
  return next({ ctx: { principal } });
});

/**
 * Procedures on an organization's data. The organization comes from the credential; addressing
 * another one is 404, never 403, so its existence does not leak. Then the one permission check.
 */
export const organizationProcedure = authedProcedure.use(async ({ ctx, meta, next }) => {
  const { principal } = ctx;
  if (ctx.requestedSpace != null && ctx.requestedSpace !== principal.organizationSlug) {
    throw new AppError(ErrorCode.ENTITY_NOT_FOUND);
  }
  if (!meta?.permission)
    throw new AppError(ErrorCode.INTERNAL, { message: 'Procedure declares no permission' });
  if (!principal.permissions.has(meta.permission)) throw new AppError(ErrorCode.FORBIDDEN);
  return next({
    ctx: {
      organization: { id: principal.organizationId, slug: principal.organizationSlug },
      actor: principal.label,
    },
  });
});
