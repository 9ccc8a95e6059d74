import { AppError, ErrorCode } from '../../errors';
import { createOrganizationWithOwner, setupTokenMatches } from '../../services/first-run';
import { sameSiteProcedure } from '../../trpc';
import { ZCreateFirstOrganizationInput, ZCreateFirstOrganizationOutput } from './schema';

/**
 * The first organization and its owner, from the setup page: only with the token the server
 * printed at start-up, and only while no organization exists.
 */
export const createFirstOrganizationProcedure = sameSiteProcedure
  .input(ZCreateFirstOrganizationInput)
  .output(ZCreateFirstOrganizationOutput)
  .mutation(async ({ ctx, input }) => {
    if (!setupTokenMatches(ctx.setupToken, input.token)) {
      throw new AppError(ErrorCode.INVALID_TOKEN, {
        message: 'The setup token is not valid. Copy it from the server log.',
      });
    }
    const { token: _, ...organization } = input;
    const created = await createOrganizationWithOwner(ctx.db, organization, {
      onlyWhenEmpty: true,
      actor: 'system (setup page)',
      now: ctx.now(),
    });
    ctx.logger.info({ slug: created.organization.slug }, 'first organization created on the setup page');
    return { organization: created.organization, ownerEmail: created.owner.email };
  });
