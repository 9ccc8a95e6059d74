import { getApi } from '~/server/api';

export const dynamic = 'force-dynamic';

export function GET() {
  return getApi().handlers.openapi();
}
