import { test as base, expect, type Page } from '@playwright/test';

/** Console errors a test provokes on purpose (a refused request it asserts on, say). */
export interface ConsoleGuard {
  allow(pattern: RegExp): void;
  /** Watches a page the test opens itself, in a browser context of its own. */
  watch(page: Page): void;
}

/**
 * Playwright's `test`, with every page watched: a console error or an uncaught exception that the
 * test did not declare with `consoleGuard.allow(...)` fails it. A page that works must not log
 * errors in a user's browser, so no spec can miss one by forgetting to look.
 */
export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (watched: Page) => {
        watched.on('console', (message) => {
          if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
        });
        watched.on('pageerror', (error) => errors.push(`Uncaught: ${error.message}`));
      };
      watch(page);
      await use({ allow: (pattern) => allowed.push(pattern), watch });
      const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
      expect(unexpected, 'console errors nobody expected').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
