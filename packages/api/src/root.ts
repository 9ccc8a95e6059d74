import { apiKeyRouter } from './router/api-key/router';
import { auditRouter } from './router/audit/router';
import { authRouter } from './router/auth/router';
import { memberRouter } from './router/member/router';
import { otpUserRouter } from './router/otp-user/router';
import { publishedApplicationRouter } from './router/published-application/router';
import { storeRouter } from './router/store/router';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  apiKey: apiKeyRouter,
  member: memberRouter,
  audit: auditRouter,
  otpUser: otpUserRouter,
  store: storeRouter,
  publishedApplication: publishedApplicationRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
