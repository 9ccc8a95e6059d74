import { ZApiKey, ZCreateApiKeyBody, ZObjectId } from '@otp-access/validators';
import { z } from 'zod';

export const ZListApiKeysOutput = z.array(ZApiKey);
export const ZCreateApiKeyInput = ZCreateApiKeyBody;
/** `key` is the only time the key itself is ever shown. */
export const ZCreateApiKeyOutput = z.object({ apiKey: ZApiKey, key: z.string() });
export const ZRevokeApiKeyInput = z.strictObject({ id: ZObjectId });
export const ZRevokeApiKeyOutput = ZApiKey;
