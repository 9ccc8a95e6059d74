import type { Page } from '@playwright/test';
import { OWNER, openProvider, signIn } from './helpers';
import { expect, test } from './test';

/**
 * Delivery providers are a list (configured first) that opens one provider at a time in a drawer,
 * and the stores list is the console's shared table: cards on a phone, nothing clipped.
 */

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
});

for (const width of [1440, 390]) {
  test(`delivery providers are a list, configured first, each opening its own drawer (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.goto('/console/demo/delivery');
    const list = page.getByRole('region', { name: 'Providers' });
    await expect(list.getByRole('listitem')).toHaveCount(4);
    // No form is open until a provider is chosen.
    await expect(page.getByRole('textbox', { name: 'SMTP host' })).toHaveCount(0);
    const states = (await list.getByRole('listitem').allInnerTexts()).map((text) =>
      /Not configured/.test(text) ? 'not' : 'configured',
    );
    expect(states).toEqual([...states].sort());
    await noSidewaysScroll(page);

    const smtp = await openProvider(page, 'Email · SMTP');
    await expect(smtp.getByRole('textbox', { name: 'SMTP host' })).toBeVisible();
    await expect(page).toHaveURL(/[?&]provider=smtp/);
    // One provider at a time: the others' fields are not on the page.
    await expect(page.getByRole('textbox', { name: 'Account SID' })).toHaveCount(0);
    await noSidewaysScroll(page);
    // The drawer is in the URL: a reload reopens it.
    await page.reload();
    await expect(page.getByRole('dialog', { name: 'Email · SMTP' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page).not.toHaveURL(/provider=/);
  });
}

test('the stores list is the shared table: stacked cards with their labels on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/console/demo/stores');
  const table = page.getByRole('table', { name: 'Stores' });
  await expect(table).toBeVisible();
  await expect(table.locator('tbody td[data-label="Description"]').first()).toBeAttached();
  await expect(table.locator('tbody td[data-actions]').first()).toBeAttached();
  await noSidewaysScroll(page);
});
