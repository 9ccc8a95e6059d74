export { apiKeyPrefix, generateApiKey, hashApiKey } from './api-key-hash';
export { type CreateDbOptions, createDb, type Db } from './client';
export { type DbEnv, readDbEnv } from './env';
export { Prisma } from './generated/prisma/client';
export * from './generated/prisma/enums';
export type * from './generated/prisma/models';
export { newObjectId, stableObjectId } from './object-id';
export { checkReadiness, type Readiness } from './readiness';
export { recountOtpUsers, seedScale } from './scale-seed';
