import { unlockMember } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZUnlockMemberInput, ZUnlockMemberOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const unlockMemberProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZUnlockMemberInput)
  .output(ZUnlockMemberOutput)
  .mutation(({ ctx, input }) =>
    unlockMember(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input.userId, ctx.now()),
  );
