import { otpUserRouter } from './router/otp-user/router';
import { publishedApplicationRouter } from './router/published-application/router';
import { storeRouter } from './router/store/router';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  otpUser: otpUserRouter,
  store: storeRouter,
  publishedApplication: publishedApplicationRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
