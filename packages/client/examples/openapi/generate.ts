/**
 * Regenerates `schema.d.ts` from the server's OpenAPI document with openapi-typescript, exactly as
 * an integrator would from `/api/openapi.json`:
 *   pnpm --filter @otp-access/client openapi:generate
 * A test fails when the committed file differs from what this produces.
 */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '@otp-access/api/openapi';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const SCHEMA_FILE = new URL('./schema.d.ts', import.meta.url);

export async function generateSchemaTypes(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(buildOpenApiDocument()), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, await generateSchemaTypes());
}
