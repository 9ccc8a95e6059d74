import { ZLoginBody, ZLoginResult, ZObjectId, ZSpace } from '@otp-access/validators';
import { z } from 'zod';

export const ZLoginInput = ZLoginBody;
export const ZLoginOutput = ZLoginResult;

export const ZRefreshSessionInput = z
  .strictObject({ refresh_token: z.string().min(1).max(512).optional() })
  .optional();
export const ZRefreshSessionOutput = ZLoginResult;

export const ZLogoutOutput = z.object({ status: z.literal('ok') });

export const ZMeOutput = z.object({
  userId: ZObjectId,
  email: z.string(),
  spaces: z.array(ZSpace),
  /** The space tRPC calls without an X-Space header work in, if chosen. */
  activeSpace: z.string().nullable(),
});

export const ZSwitchSpaceInput = z.strictObject({ slug: z.string().min(1).max(64) });
export const ZSwitchSpaceOutput = ZSpace;
