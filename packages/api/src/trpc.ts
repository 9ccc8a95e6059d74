import type { Db } from '@otp-access/db';
import { type Permission, ROLE_PERMISSIONS, type Role } from '@otp-access/validators';
import {
  type AnyProcedure,
  getTRPCErrorFromUnknown,
  initTRPC,
  type ProcedureType,
  TRPCError,
} from '@trpc/server';
import { type CookieContext, isCrossSiteRequest, readCookies } from './cookies';
import { AppError, asAppError, describeError, ErrorCode } from './errors';
import { createLogger, type RequestLogger } from './logger';
import type { ApiKeyCache } from './services/api-key-cache';
import type { BuildStorage } from './services/builds/storage';
import { DEFAULT_BUILD_MAX_BYTES, type UploadSource } from './services/builds/upload';
import { DEFAULT_DELIVERY_CONFIG, type DeliveryConfig } from './services/delivery';
import type { Limits } from './services/limits';
import { type Principal, resolvePrincipal } from './services/principal';
import type { Keyring } from './services/secret-box';
import { ACCESS_COOKIE, deriveKey, type SessionConfig, SPACE_COOKIE } from './services/session';
import { readStoreSession, STORE_SESSION_COOKIE } from './services/store-access';
import { keepNoStoredBuilds, type RemoveStoredBuilds, removeFromStorage } from './services/stored-builds';

/** The client address, as our own HTTP server saw it; never taken from the client. */
export const CLIENT_IP_HEADER = 'x-otp-access-client-ip';

export interface CreateContextOptions {
  db: Db;
  session: SessionConfig;
  headers: Headers;
  /** Response headers the procedures may add to (Set-Cookie). */
  resHeaders?: Headers;
  /** URL of the HTTP request, when there is one (decides Secure cookies under `auto`). */
  url?: string;
  /**
   * The organization (space) slug the caller addresses: the REST path's `{organizationSlug}`, the
   * `X-Space` header, or the UI's chosen space (cookie).
   */
  requestedSpace?: string | null;
  /** Encryption keys of delivery-setting secrets; settings procedures need them. */
  keyring?: Keyring;
  delivery?: DeliveryConfig;
  /** Send and verify limits, shared by every instance. */
  limits?: Limits;
  /** The request's logger (its lines carry the request id). */
  logger?: RequestLogger | undefined;
  /** Injectable clock, for tests. */
  now?: () => Date;
  /** Per-process API-key cache (invalidated across instances by NOTIFY). */
  apiKeyCache?: ApiKeyCache | undefined;
  storage?: BuildStorage | undefined;
  buildMaxBytes?: number | undefined;
  /**
   * The unread multipart body of a build upload (REST only): the upload procedure streams it to
   * storage, so a build is never held in memory nor passed as a procedure input.
   */
  upload?: UploadSource | undefined;
  /** The one-time setup page's token (first run); unset = the page is closed. */
  setupToken?: string | undefined;
  /** Removes build files of published applications whose rows were deleted. */
  removeStoredBuilds?: RemoveStoredBuilds | undefined;
}

const silentLogger = createLogger({ level: 'silent' });

export function createTRPCContext(options: CreateContextOptions) {
  const { headers } = options;
  const forwardedProto = headers.get('x-forwarded-proto');
  const overHttps = forwardedProto ? forwardedProto === 'https' : options.url?.startsWith('https:') === true;
  const cookies: CookieContext = {
    secure: options.session.secureCookies === 'auto' ? overHttps : options.session.secureCookies,
  };
  return {
    db: options.db,
    session: options.session,
    headers,
    resHeaders: options.resHeaders ?? new Headers(),
    cookies,
    requestedSpace:
      options.requestedSpace ?? headers.get('x-space') ?? readCookies(headers)[SPACE_COOKIE] ?? null,
    now: options.now ?? (() => new Date()),
    delivery: options.delivery ?? DEFAULT_DELIVERY_CONFIG,
    logger: options.logger ?? silentLogger,
    apiKeyCache: options.apiKeyCache,
    setupToken: options.setupToken,
    removeStoredBuilds:
      options.removeStoredBuilds ??
      (options.storage ? removeFromStorage(options.storage) : keepNoStoredBuilds),
    /** Set by our HTTP server from the connection (or the trusted proxy's X-Forwarded-For). */
    clientIp: headers.get(CLIENT_IP_HEADER) ?? 'unknown',
    codeKey: deriveKey(options.session, 'otp-code'),
    storeSessionKey: deriveKey(options.session, 'store-session'),
    limits(): Limits {
      if (!options.limits) throw new AppError(ErrorCode.INTERNAL, { message: 'Limits are not configured' });
      return options.limits;
    },
    buildMaxBytes: options.buildMaxBytes ?? DEFAULT_BUILD_MAX_BYTES,
    upload: options.upload,
    storage(): BuildStorage {
      if (!options.storage)
        throw new AppError(ErrorCode.INTERNAL, { message: 'Build storage is not configured' });
      return options.storage;
    },
    keyring(): Keyring {
      if (!options.keyring)
        throw new AppError(ErrorCode.INTERNAL, { message: 'Secret encryption keys are not configured' });
      return options.keyring;
    },
    // A slot for everything a middleware adds (the organization scope, the admin, the store
    // session), filled later. Node's V8 copies a context in about 0.1 µs when the additions only
    // fill slots it has, and in about 8–13 µs when they add properties: each such copy gets
    // hidden classes of its own (bench/FINDINGS.md).
    principal: undefined,
    organization: undefined,
    permissions: undefined,
    role: undefined,
    actor: undefined,
    user: undefined,
    storeSession: undefined,
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

/**
 * A UTF-16 surrogate without its pair (text no UTF-8 encoder, nor PostgreSQL's JSON, accepts) or
 * a NUL character (which no PostgreSQL text value may hold).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isUnstorable = (text: string) => LONE_SURROGATE.test(text) || text.includes('\u0000');

/** The path of the first string (value or key) in `input` that the database could not store. */
function malformedTextPath(input: unknown): string | undefined {
  // Iterative, so a deeply nested input cannot exhaust the stack.
  const pending: [unknown, string][] = [[input, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (isUnstorable(value)) return path;
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries())
        pending.push([item, path ? `${path}.${index}` : String(index)]);
    } else if (
      value !== null &&
      typeof value === 'object' &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      for (const [key, item] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (isUnstorable(key)) return at;
        pending.push([item, at]);
      }
    }
  }
  return undefined;
}

/** The refusal of input holding text the database could not store; undefined when it has none. */
function unstorableInputError(input: unknown): AppError | undefined {
  const path = malformedTextPath(input);
  return path === undefined
    ? undefined
    : new AppError(ErrorCode.VALIDATION, {
        data: { [path || '(root)']: 'Must be well-formed Unicode text without NUL characters' },
      });
}

/**
 * Every procedure's first middleware, one step rather than two: tRPC copies its call options at
 * each middleware, a measurable share of a small request's CPU (see bench/FINDINGS.md).
 *
 * - Input text must be storable: a lone surrogate (refused in JSON columns, where settings and
 *   audit changes live) or a NUL (refused in any text) would otherwise fail the query with a 500.
 * - Services throw AppError (or Prisma errors with a meaning); this gives tRPC the matching code.
 */
const baseMiddleware = t.middleware(async ({ getRawInput, next }) => {
  const refused = unstorableInputError(await getRawInput());
  if (refused) throw refused.toTRPCError();
  const result = await next();
  if (!result.ok) throw asProductTRPCError(result.error);
  return result;
});

/**
 * What a procedure threw, as tRPC answers it: an AppError (or an error with a meaning, such as a
 * zod or Prisma one) with the product's code, anything else as tRPC's own error.
 */
export function asProductTRPCError(cause: unknown): TRPCError {
  const error = getTRPCErrorFromUnknown(cause);
  return asAppError(error.cause)?.toTRPCError() ?? error;
}

export const publicProcedure = t.procedure.use(baseMiddleware);

function assertSameSite(headers: Headers, message = 'Cross-site request refused') {
  if (isCrossSiteRequest(headers)) throw new AppError(ErrorCode.FORBIDDEN, { message });
}

/** Refuses a request another site made the browser send (cookies ride along on those). */
export const refuseCrossSite = (message?: string) =>
  t.middleware(({ ctx, next }) => {
    assertSameSite(ctx.headers, message);
    return next();
  });

const sameSiteMiddleware = refuseCrossSite();

/** For procedures that set session cookies: a sign-in form on another site must not work. */
export const sameSiteProcedure = publicProcedure.use(sameSiteMiddleware);

/** The OTP user signed in to a store (its session cookie), as `ctx.storeSession`; 401 without one. */
export const withStoreSession = t.middleware(async ({ ctx, next }) => {
  const storeSession = await readStoreSession(
    ctx.storeSessionKey,
    readCookies(ctx.headers)[STORE_SESSION_COOKIE],
    ctx.now(),
  );
  return next({ ctx: { storeSession } });
});

/** Procedures of the OTP user signed in to a store. */
export const storeSessionProcedure = publicProcedure.use(withStoreSession);

/** Who calls: an API key or an admin's session; 401 without either. */
async function principalOf(ctx: TRPCContext, type: 'query' | 'mutation' | 'subscription') {
  const credentials = {
    authorization: ctx.headers.get('authorization'),
    accessToken: readCookies(ctx.headers)[ACCESS_COOKIE],
  };
  const principal = await resolvePrincipal(ctx.db, ctx.session, credentials, ctx.now(), ctx.apiKeyCache);
  if (principal.kind === 'user' && type === 'mutation' && isCrossSiteRequest(ctx.headers)) {
    throw new AppError(ErrorCode.FORBIDDEN, { message: 'Cross-site request refused' });
  }
  return principal;
}

export const authedProcedure = publicProcedure.use(async ({ ctx, type, next }) =>
  next({ ctx: { principal: await principalOf(ctx, type) } }),
);

/** Procedures about the signed-in admin themself (not an organization's data). */
export const userProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== 'user') {
    throw new AppError(ErrorCode.FORBIDDEN, { message: 'Requires an admin session, not an API key' });
  }
  return next({ ctx: { user: ctx.principal } });
});

export const NOT_A_MEMBER = 'You are not a member of this space';

function spaceRequired(message: string) {
  return new AppError(ErrorCode.VALIDATION, { message, data: { 'X-Space': message } });
}

/** Who calls in which organization, with what permissions: what an organization procedure adds to its context. */
export interface OrganizationScope {
  principal: Principal;
  organization: { id: string; slug: string; name: string };
  permissions: readonly Permission[];
  /** The caller's role in the organization; null for an API key (a key is not a person). */
  role: Role | null;
  actor: string;
}

/**
 * The scope of a call on an organization's data. An API key is bound to its organization:
 * addressing another one is 404, so its existence does not leak. An admin addresses a space
 * (X-Space); one they are not a member of, or one that does not exist, is 403 (the same answer).
 * Then the one permission check, by key grant or by role.
 */
async function organizationScope(
  ctx: TRPCContext,
  permission: Permission | undefined,
  type: ProcedureType,
): Promise<OrganizationScope> {
  const principal = await principalOf(ctx, type);
  if (!permission) throw new AppError(ErrorCode.INTERNAL, { message: 'Procedure declares no permission' });
  let organization: OrganizationScope['organization'];
  let permissions: readonly Permission[];
  let role: Role | null = null;
  if (principal.kind === 'apiKey') {
    if (ctx.requestedSpace != null && ctx.requestedSpace !== principal.organizationSlug) {
      throw new AppError(ErrorCode.ENTITY_NOT_FOUND);
    }
    organization = {
      id: principal.organizationId,
      slug: principal.organizationSlug,
      name: principal.organizationName,
    };
    permissions = [...principal.permissions];
  } else {
    if (!ctx.requestedSpace) throw spaceRequired('Choose a space: send the X-Space header with its slug');
    const membership = principal.memberships.find((m) => m.slug === ctx.requestedSpace);
    // Unknown and foreign spaces answer alike, without a query: slugs cannot be enumerated.
    if (!membership) throw new AppError(ErrorCode.FORBIDDEN, { message: NOT_A_MEMBER });
    organization = { id: membership.organizationId, slug: membership.slug, name: membership.name };
    permissions = ROLE_PERMISSIONS[membership.role];
    role = membership.role;
  }
  if (!permissions.includes(permission)) throw new AppError(ErrorCode.FORBIDDEN);
  return { principal, organization, permissions, role, actor: principal.label };
}

// Who calls and where, in one middleware: each one more is another copy of the context.
const organizationMiddleware = t.middleware(async ({ ctx, meta, type, next }) =>
  next({ ctx: await organizationScope(ctx, meta?.permission, type) }),
);

/** Procedures on an organization's data: `ctx.organization`, after the permission in their `meta`. */
export const organizationProcedure = publicProcedure.use(organizationMiddleware);

/** What a built procedure keeps of its definition (tRPC's `_def`, typed loosely in its exports). */
interface ProcedureDefinition {
  type: ProcedureType;
  meta?: ProcedureMeta;
  inputs: Partial<Schema>[];
  output?: Partial<Schema>;
  middlewares: ({ _type?: string } | undefined)[];
  resolver?: (opts: { ctx: unknown; input: unknown; type: ProcedureType; path: string }) => Promise<unknown>;
}

/** A zod schema, as tRPC calls it. */
interface Schema {
  parseAsync(value: unknown): Promise<unknown>;
}

/** How tRPC calls a procedure (its `ProcedureCallOptions`, not exported from its public entry). */
type ProcedureCall = (opts: {
  ctx: TRPCContext;
  getRawInput: () => Promise<unknown>;
  path: string;
  type: ProcedureType;
  signal: AbortSignal | undefined;
  batchIndex: number;
}) => Promise<unknown>;

/**
 * The steps `runProcedure` runs itself between the base middleware and the input schema, and what
 * each adds to the context: the organization scope and permission, or the same-site check.
 */
type ScopeStep = (ctx: TRPCContext, def: ProcedureDefinition) => Promise<object> | object;
const SCOPE_STEPS = new Map<unknown, ScopeStep>([
  [
    organizationMiddleware._middlewares[0],
    (ctx, def) => organizationScope(ctx, def.meta?.permission, def.type),
  ],
  [
    sameSiteMiddleware._middlewares[0],
    (ctx) => {
      assertSameSite(ctx.headers);
      return {};
    },
  ],
]);

/** A procedure `runProcedure` may run itself, with the steps it is made of. */
interface PlainProcedure {
  scope: ScopeStep | undefined;
  input: Schema;
  output: Schema;
  resolver: NonNullable<ProcedureDefinition['resolver']>;
}

/**
 * The steps of a procedure built as `publicProcedure`, `sameSiteProcedure` or
 * `organizationProcedure` with one input and one output schema, and nothing else: base, the
 * scope step if any, input, output, resolver. A procedure with any other middleware is not one
 * `runProcedure` may run itself (undefined).
 */
function plainProcedureOf(def: ProcedureDefinition): PlainProcedure | undefined {
  let plain = plainProcedures.get(def);
  if (plain === undefined) {
    plain = plainStepsOf(def) ?? null;
    plainProcedures.set(def, plain);
  }
  return plain ?? undefined;
}

/** Each procedure's steps, read once: procedures are built at start-up and never change. */
const plainProcedures = new WeakMap<ProcedureDefinition, PlainProcedure | null>();

function plainStepsOf(def: ProcedureDefinition): PlainProcedure | undefined {
  const [base, ...steps] = def.middlewares;
  if (base !== baseMiddleware._middlewares[0] || (steps.length !== 3 && steps.length !== 4)) return undefined;
  const scoped = steps.length === 4;
  const scope = scoped ? SCOPE_STEPS.get(steps.shift()) : undefined;
  if (scoped && !scope) return undefined;
  const [input, output] = steps;
  const [inputSchema] = def.inputs;
  const outputSchema = def.output;
  if (
    input?._type !== 'input' ||
    output?._type !== 'output' ||
    def.inputs.length !== 1 ||
    typeof inputSchema?.parseAsync !== 'function' ||
    typeof outputSchema?.parseAsync !== 'function' ||
    def.resolver === undefined
  )
    return undefined;
  return { scope, input: inputSchema as Schema, output: outputSchema as Schema, resolver: def.resolver };
}

/**
 * Runs a procedure for a REST route or a single tRPC call: what tRPC's caller would, without
 * its caller.
 *
 * A procedure built only from `publicProcedure`, `sameSiteProcedure` or `organizationProcedure`,
 * one input and one output schema runs its steps here, in tRPC's order: storable input, the
 * same-site check or the organization scope and permission, input schema, resolver, output
 * schema. tRPC copies its call options (and the context) at each of those steps with a generic
 * object-spread helper: 12% of a REST read's CPU under load (bench/FINDINGS.md). Any other
 * procedure runs through tRPC's own middleware chain, so a middleware added to a procedure is
 * never skipped.
 */
export async function runProcedure(
  procedure: AnyProcedure,
  ctx: TRPCContext,
  input: unknown,
  path: string,
): Promise<unknown> {
  const def = procedure._def as unknown as ProcedureDefinition;
  const plain = plainProcedureOf(def);
  if (!plain) {
    return (procedure as unknown as ProcedureCall)({
      ctx,
      getRawInput: async () => input,
      path,
      type: def.type,
      signal: undefined,
      batchIndex: 0,
    });
  }
  const refused = unstorableInputError(input);
  if (refused) throw refused;
  const scope = plain.scope ? await plain.scope(ctx, def) : {};
  let parsedInput: unknown;
  try {
    parsedInput = await plain.input.parseAsync(input);
  } catch (cause) {
    throw new TRPCError({ code: 'BAD_REQUEST', cause });
  }
  const result = await plain.resolver({
    ctx: { ...ctx, ...scope },
    input: parsedInput,
    type: def.type,
    path,
  });
  try {
    return await plain.output.parseAsync(result);
  } catch (cause) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Output validation failed', cause });
  }
}
