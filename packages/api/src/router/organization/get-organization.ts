import { getOrganizationSettings } from '../../services/organization';
import { organizationProcedure } from '../../trpc';
import { ZGetOrganizationOutput } from './schema';

/** The space's name and code policy; everyone who may read its delivery settings may read it. */
export const getOrganizationProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.read' })
  .output(ZGetOrganizationOutput)
  .query(({ ctx }) => getOrganizationSettings(ctx.db, ctx.organization.id));
