import type { Page } from '@playwright/test';
import { useColorScheme } from './axe';
import { OWNER, openStore, screenshot, signIn } from './helpers';
import { expect, test } from './test';

/**
 * The README's pictures of the console, light and dark, wide and on a phone. Every run takes them
 * (a page that fails to render fails here); `pnpm --filter @otp-access/web screenshots` writes them
 * to docs/screenshots.
 */
const VARIANTS = [
  { size: 'wide', width: 1440, height: 900, scheme: 'light' },
  { size: 'wide', width: 1440, height: 900, scheme: 'dark' },
  { size: 'phone', width: 390, height: 844, scheme: 'light' },
  { size: 'phone', width: 390, height: 844, scheme: 'dark' },
] as const;

async function settle(page: Page, heading: string) {
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page.locator('.mantine-Skeleton-root')).toHaveCount(0);
}

for (const variant of VARIANTS) {
  test.describe(`${variant.size}, ${variant.scheme}`, () => {
    test.use({ viewport: { width: variant.width, height: variant.height } });
    test.setTimeout(180_000);

    test('screenshots of the console', async ({ page }, testInfo) => {
      const name = (page_: string) => `${page_}-${variant.size}-${variant.scheme}`;
      await useColorScheme(page, variant.scheme);
      await page.goto('/sign-in');
      await settle(page, 'OTP Access');
      await screenshot(page, testInfo, name('sign-in'));

      await signIn(page, OWNER.email, OWNER.password);
      await page.goto('/console/demo/overview');
      await settle(page, 'Overview');
      await screenshot(page, testInfo, name('overview'));
      await openStore(page);
      await settle(page, 'OTP users');
      await screenshot(page, testInfo, name('otp-users'));
      await page.goto('/console/demo/delivery');
      await settle(page, 'Delivery');
      await screenshot(page, testInfo, name('delivery'));
      await page.goto('/console/demo/audit');
      await settle(page, 'Audit log');
      await screenshot(page, testInfo, name('audit-log'));
    });
  });
}
