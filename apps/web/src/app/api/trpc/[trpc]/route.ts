import { getApi } from '~/server/api';

export const dynamic = 'force-dynamic';

const handle = (request: Request) => getApi().handlers.trpc(request);

export { handle as GET, handle as POST };
