import { OWNER, openStore, screenshot, signIn, usersTable } from './helpers';
import { expect, test } from './test';

test.use({ viewport: { width: 390, height: 760 } });

test('works on a narrow screen: the navigation folds away, the table’s rows stack', async ({
  page,
}, testInfo) => {
  await signIn(page, OWNER.email, OWNER.password);
  await openStore(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Members' })).not.toBeInViewport();
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
  await screenshot(page, testInfo, 'otp-users-narrow');

  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await expect(nav.getByRole('link', { name: 'Members' })).toBeInViewport();
  await nav.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Members' })).not.toBeInViewport();
});
