import { getApi } from '~/server/api';

export const dynamic = 'force-dynamic';

export function POST(request: Request) {
  return getApi().handlers.session(request);
}
