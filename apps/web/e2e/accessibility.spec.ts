import type { Page } from '@playwright/test';
import { expectAccessible, useColorScheme } from './axe';
import { E2E } from './env';
import { inviteMember, OWNER, rest, signIn, uniqueSuffix } from './helpers';
import { expect, test } from './test';

/**
 * axe-core (WCAG 2.1 A/AA) over every page of the console, wide and phone, light and dark, as an
 * owner and as a viewer: no serious or critical violation, colour contrast included. Dialogs are
 * checked open, since a modal is where names and focus go missing.
 */
const SIZES = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** Waits until the page's data is in: nothing busy, no skeleton left. */
async function settled(page: Page, heading: string | RegExp): Promise<void> {
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page.locator('.mantine-Skeleton-root')).toHaveCount(0);
}

async function check(page: Page, path: string, heading: string | RegExp, what: string) {
  await page.goto(path);
  await settled(page, heading);
  await expectAccessible(page, `${what} ${path}`);
}

async function checkDialog(page: Page, opener: string, dialogName: string, what: string) {
  await page.getByRole('button', { name: opener, exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expectAccessible(page, `${what} dialog “${dialogName}”`);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
}

/** A delivery provider's drawer, open: its fields (read-only for a viewer) and its buttons. */
async function checkProviderDrawer(page: Page, what: string) {
  await page.getByRole('button', { name: /^Email · SMTP/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Email · SMTP' });
  await expect(drawer).toBeVisible();
  await expect(drawer).toHaveAttribute('aria-modal', 'true');
  await expectAccessible(page, `${what} drawer “Email · SMTP”`);
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
}

for (const size of SIZES) {
  for (const scheme of SCHEMES) {
    test.describe(`${size.name}, ${scheme}`, () => {
      test.use({ viewport: { width: size.width, height: size.height } });
      // A dozen pages, each analysed in full: more than the default minute on a busy machine.
      test.setTimeout(240_000);

      test('signed-out pages: sign-in, the store page, the API reference, not found', async ({
        page,
        request,
        consoleGuard,
      }) => {
        // The one expected error: the browser reports the 404 of the page it was sent to.
        consoleGuard.allow(/status of 404 .*\/no-such-page\)$/);
        await useColorScheme(page, scheme);
        const store = await rest(request).store();
        const what = `${size.name} ${scheme}`;
        await check(page, '/sign-in', 'OTP Access', what);
        await check(page, `/store/${store.id}`, store.name, what);
        await page.goto('/no-such-page');
        await expect(page.getByRole('link', { name: /home|console/i })).toBeVisible();
        await expectAccessible(page, `${what} not found`);
      });

      test('every console page as the owner', async ({ page, request }) => {
        await useColorScheme(page, scheme);
        await signIn(page, OWNER.email, OWNER.password);
        const store = await rest(request).store();
        // A seeded user: the run adds no rows the other specs would have to page past.
        const found = await request.get(
          `/v1/organizations/demo/stores/${store.id}/otp-users?email=alice%40demo.example`,
          { headers: { authorization: `Bearer ${E2E.demoApiKey}` } },
        );
        const user = (await found.json()).data.items[0] as { id: string; email: string };
        const what = `owner ${size.name} ${scheme}`;
        const base = '/console/demo';
        await check(page, `${base}/overview`, 'Overview', what);
        await check(page, `${base}/stores`, /Stores|OTP users/, what);
        await check(page, `${base}/stores/${store.id}`, 'OTP users', what);
        await checkDialog(page, 'Add users', 'Add OTP users', what);
        await check(page, `${base}/stores/${store.id}/otp-users/${user.id}`, user.email, what);
        await check(page, `${base}/delivery`, 'Delivery', what);
        await checkProviderDrawer(page, what);
        await page.getByRole('tab', { name: 'Delivery log' }).click();
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        await expectAccessible(page, `${what} delivery log`);
        await check(page, `${base}/api-keys`, 'API keys', what);
        await checkDialog(page, 'Create key', 'Create API key', what);
        await check(page, `${base}/members`, 'Members', what);
        await checkDialog(page, 'Invite member', 'Invite member', what);
        await check(page, `${base}/audit`, 'Audit log', what);
      });

      test('every console page as a viewer', async ({ page }) => {
        await useColorScheme(page, scheme);
        const email = `axe-viewer-${uniqueSuffix()}@admins.example`;
        const password = await inviteMember(page.request, E2E.demoApiKey, email, 'VIEWER');
        await signIn(page, email, password!);
        const store = await rest(page.request).store();
        const what = `viewer ${size.name} ${scheme}`;
        const base = '/console/demo';
        await check(page, `${base}/overview`, 'Overview', what);
        await check(page, `${base}/stores`, /Stores|OTP users/, what);
        await check(page, `${base}/stores/${store.id}`, 'OTP users', what);
        await check(page, `${base}/delivery`, 'Delivery', what);
        await checkProviderDrawer(page, what);
        await check(page, `${base}/members`, 'Members', what);
        await check(page, `${base}/api-keys`, 'API keys', what);
      });
    });
  }
}
