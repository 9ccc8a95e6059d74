import { accountRouter } from './router/account/router';
import { apiKeyRouter } from './router/api-key/router';
import { auditRouter } from './router/audit/router';
import { authRouter } from './router/auth/router';
import { buildRouter } from './router/build/router';
import { deliveryLogRouter } from './router/delivery-log/router';
import { invitationRouter } from './router/invitation/router';
import { memberRouter } from './router/member/router';
import { organizationRouter } from './router/organization/router';
import { otpSettingsRouter } from './router/otp-settings/router';
import { otpUserRouter } from './router/otp-user/router';
import { overviewRouter } from './router/overview/router';
import { publishedApplicationRouter } from './router/published-application/router';
import { setupRouter } from './router/setup/router';
import { storeRouter } from './router/store/router';
import { storeAccessRouter } from './router/store-access/router';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  setup: setupRouter,
  organization: organizationRouter,
  account: accountRouter,
  invitation: invitationRouter,
  apiKey: apiKeyRouter,
  member: memberRouter,
  audit: auditRouter,
  otpSettings: otpSettingsRouter,
  deliveryLog: deliveryLogRouter,
  overview: overviewRouter,
  otpUser: otpUserRouter,
  store: storeRouter,
  publishedApplication: publishedApplicationRouter,
  build: buildRouter,
  storeAccess: storeAccessRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
