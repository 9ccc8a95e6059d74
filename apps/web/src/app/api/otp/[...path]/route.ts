import { getApi } from '~/server/api';

export const dynamic = 'force-dynamic';

const handle = (request: Request) => getApi().handlers.settings(request);

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
