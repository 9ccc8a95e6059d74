import type { APIRequestContext, Page } from '@playwright/test';
import { textContrast, useColorScheme } from './axe';
import { E2E } from './env';
import {
  inviteMember,
  OWNER,
  openProvider,
  openStore,
  rest,
  searchEmail,
  sendDemoMailTo,
  signIn,
  trpcMutation,
  uniqueSuffix,
  usersTable,
} from './helpers';
import { expect, test } from './test';

/**
 * OTP users a test adds, deleted after it: the other specs expect the seeded users on the first
 * page of the store.
 */
const added: { storeId: string; id: string }[] = [];
test.afterEach(async ({ request }) => {
  for (const user of added.splice(0)) {
    await request.delete(`/v1/organizations/demo/stores/${user.storeId}/otp-users/${user.id}`, {
      headers: { authorization: `Bearer ${E2E.demoApiKey}` },
    });
  }
});

/** The cells of one column of the OTP-user table, top to bottom. */
async function columnTexts(page: Page, column: string): Promise<string[]> {
  const cells = usersTable(page).locator(`tbody tr td[data-label="${column}"]`);
  return (await cells.allInnerTexts()).map((text) => text.trim());
}

/**
 * OTP users of the demo store's app, `<name>-<tag>@demo.example` with the given allowances,
 * deleted after the test.
 */
async function addUsersWithAllowances(
  request: APIRequestContext,
  tag: string,
  allowances: readonly (readonly [name: string, allowedDownloadsNum: number])[],
): Promise<void> {
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  for (const [name, allowedDownloadsNum] of allowances) {
    for (const u of await demo.createUsers(store.id, {
      email: `${name}-${tag}@demo.example`,
      publishedApplicationId: app.id,
      allowedDownloadsNum,
    }))
      added.push({ storeId: store.id, id: u.id });
  }
}

test('sorting by allowance ranks Unlimited above every number', async ({ page, request }) => {
  const tag = `sort-${uniqueSuffix()}`;
  await addUsersWithAllowances(request, tag, [
    ['three', 3],
    ['zero', 0],
    ['unlimited', -1],
    ['one', 1],
  ]);
  await signIn(page, OWNER.email, OWNER.password);
  await openStore(page);
  await searchEmail(page, tag);
  const sort = usersTable(page).getByRole('button', { name: 'Allowance', exact: true });
  await sort.click();
  await expect(usersTable(page).getByRole('columnheader', { name: 'Allowance' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect.poll(() => columnTexts(page, 'Allowance')).toEqual(['0', '1', '3', 'Unlimited']);
  await sort.click();
  await expect.poll(() => columnTexts(page, 'Allowance')).toEqual(['Unlimited', '3', '1', '0']);
});

// A search applies by writing the URL, and the page reads it back on its next render. A sort clicked
// in between must still keep the search (it once sorted the whole store instead).
test('a sort clicked the moment a search applies keeps the search', async ({ page, request }) => {
  const tag = `race-${uniqueSuffix()}`;
  await addUsersWithAllowances(request, tag, [
    ['five', 5],
    ['two', 2],
  ]);
  await signIn(page, OWNER.email, OWNER.password);
  await openStore(page);
  // Clicks the sort in the same task as the search's URL write, before the page renders it.
  await page.evaluate(() => {
    const replaceState = history.replaceState.bind(history);
    let clicked = false;
    history.replaceState = (data: unknown, unused: string, url?: string | URL | null) => {
      replaceState(data, unused, url);
      if (clicked || !String(url).includes('email=')) return;
      clicked = true;
      const sort = [...document.querySelectorAll<HTMLButtonElement>('table button')].find(
        (button) => button.textContent?.trim() === 'Allowance',
      );
      sort?.click();
    };
  });
  await page.getByRole('searchbox', { name: 'Search by email' }).fill(tag);
  await expect(page).toHaveURL(/[?&]sort=allowedDownloadsNum%3Aasc/);
  await expect(page).toHaveURL(new RegExp(`[?&]email=${tag}`));
  await expect.poll(() => columnTexts(page, 'Allowance')).toEqual(['2', '5']);
});

// Invitations hand out no initial password any more (the invitee chooses one from the mailed
// link), so the API key is the one-time secret left to keep on screen.
test('Escape does not close a one-time secret: the API key stays', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/console/demo/api-keys');
  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create API key' });
  await create.getByRole('textbox', { name: 'Name' }).fill(`escape-${uniqueSuffix()}`);
  await create.getByRole('checkbox').first().check();
  await create.getByRole('button', { name: 'Create key' }).click();
  const reveal = page.getByRole('dialog', { name: /API key “/ });
  await expect(reveal.getByTestId('secret-value')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(reveal.getByTestId('secret-value')).toBeVisible();
  await reveal.getByRole('button', { name: 'Done' }).click();
  await expect(reveal).toHaveCount(0);
});

test('a viewer reads the delivery settings at full contrast', async ({ page, request }) => {
  const smtp = await trpcMutation(request, E2E.demoApiKey, 'otpSettings.upsertSmtp', {
    type: 'MAIL',
    provider: 'DEFAULT',
    isDefault: true,
    smtpHost: '127.0.0.1',
    smtpPort: 2525,
    transportStrategy: 'SMTP',
    fromAddress: 'no-reply@demo.example',
  });
  expect(smtp.status).toBe(200);
  const email = `viewer-${uniqueSuffix()}@admins.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'VIEWER');
  await signIn(page, email, password!);
  await page.goto('/console/demo/delivery');
  const host = (await openProvider(page, 'Email · SMTP')).getByRole('textbox', { name: 'SMTP host' });
  await expect(host).toHaveValue('127.0.0.1');
  await expect(host).not.toBeEditable();
  expect(await textContrast(host)).toBeGreaterThanOrEqual(4.5);
});

test('the audit log reads as sentences: names, roles, real changes only', async ({ page, request }) => {
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  await sendDemoMailTo(request, 2401);
  await sendDemoMailTo(request, 2402);
  const gone = `gone-${uniqueSuffix()}@demo.example`;
  const [user] = await demo.createUsers(store.id, { email: gone, publishedApplicationId: app.id });
  const deleted = await request.delete(`/v1/organizations/demo/stores/${store.id}/otp-users/${user!.id}`, {
    headers: { authorization: `Bearer ${E2E.demoApiKey}` },
  });
  expect(deleted.status()).toBe(200);

  await signIn(page, OWNER.email, OWNER.password);
  // The owner's own change, so the actor column has a person in it.
  const changed = await page.request.post('/api/trpc/otpSettings.setDefault', {
    headers: { 'x-space': 'demo' },
    data: { type: 'MAIL', provider: 'DEFAULT' },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  await page.goto('/console/demo/audit');
  const table = page.getByRole('table', { name: 'Audit events' });

  const update = table.getByRole('row').filter({ hasText: 'otpSettings.update' }).first();
  await expect(update).toContainText('Port: 2401 → 2402');
  await expect(update).not.toContainText('{');
  // `isDefault` did not change: not listed.
  await expect(update).not.toContainText('Default');

  const deletion = table.getByRole('row').filter({ hasText: 'otpUser.delete' }).first();
  await expect(deletion).toContainText(gone);
  await expect(deletion).not.toContainText(user!.id);

  const owner = table.getByRole('row').filter({ hasText: OWNER.email }).first();
  await expect(owner).toContainText('Owner');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('nothing is clipped: empty search, inline editor, row actions, badges', async ({ page, request }) => {
    const demo = rest(request);
    const store = await demo.store();
    const app = await demo.app(store.id);
    const email = `phone-${uniqueSuffix()}@a-rather-long-domain.example`;
    for (const u of await demo.createUsers(store.id, { email, publishedApplicationId: app.id }))
      added.push({ storeId: store.id, id: u.id });
    await signIn(page, OWNER.email, OWNER.password);
    await openStore(page);
    const noSideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    await searchEmail(page, `nobody-${uniqueSuffix()}`);
    await expect(page.getByText('Try another email or application.')).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Clear filters' })).toBeInViewport({ ratio: 1 });
    expect(await noSideways()).toBe(true);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await searchEmail(page, email);
    await expect(usersTable(page).getByRole('link', { name: email })).toBeInViewport({ ratio: 1 });
    await usersTable(page)
      .getByRole('button', { name: `Change allowance of ${email}` })
      .click();
    await expect(page.getByRole('button', { name: 'Save' })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 });
    await expect(usersTable(page).getByRole('button', { name: `Delete ${email}` })).toBeInViewport({
      ratio: 1,
    });
    expect(await noSideways()).toBe(true);

    await page.goto('/console/demo/members');
    const remove = page.getByRole('button', { name: /^Remove / }).first();
    await expect(remove).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('table', { name: 'Members' }).getByText('Active').first()).toBeInViewport({
      ratio: 1,
    });
    expect(await noSideways()).toBe(true);

    await page.goto('/console/demo/api-keys');
    await expect(page.getByRole('button', { name: /^Revoke / }).first()).toBeInViewport({ ratio: 1 });
    expect(await noSideways()).toBe(true);
  });
});

test('keyboard: a skip link, named close buttons, focus back after the inline editor', async ({
  page,
  request,
}) => {
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  const email = `keys-${uniqueSuffix()}@demo.example`;
  for (const u of await demo.createUsers(store.id, {
    email,
    publishedApplicationId: app.id,
    allowedDownloadsNum: 2,
  }))
    added.push({ storeId: store.id, id: u.id });
  await signIn(page, OWNER.email, OWNER.password);
  await openStore(page);

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // The first stop after skipping is inside the page, not the header or the navigation.
  expect(
    await page.evaluate(() => document.getElementById('main-content')?.contains(document.activeElement)),
  ).toBe(true);

  await searchEmail(page, email);
  const pencil = usersTable(page).getByRole('button', { name: `Change allowance of ${email}` });
  await pencil.click();
  await expect(page.getByRole('textbox', { name: 'Allowed downloads' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(pencil).toBeFocused();

  await page.getByRole('button', { name: 'Add users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add OTP users' });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeVisible();
});

test('the store page says how long to wait, in the server’s numbers', async ({
  page,
  request,
  consoleGuard,
}) => {
  // The refused request (429) is the point: the page must say the server's wait.
  consoleGuard.allow(/status of 429 .*\/api\/trpc\/storeAccess\.requestCode\)$/);
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  const email = `wait-${uniqueSuffix()}@demo.example`;
  for (const u of await demo.createUsers(store.id, { email, publishedApplicationId: app.id }))
    added.push({ storeId: store.id, id: u.id });
  await page.goto(`/store/${store.id}`);
  await page.getByRole('textbox', { name: 'Your email address' }).fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByRole('button', { name: 'Use another email' }).click();
  await page.getByRole('textbox', { name: 'Your email address' }).fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toHaveText(/Try again in \d+ seconds?\./);
  await expect(alert).not.toContainText('a minute');
});

test('no console error and no missing file on the signed-out pages', async ({ page, request }) => {
  const store = await rest(request).store();
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
  });
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.goto(`/store/${store.id}`);
  await expect(page.getByRole('button', { name: 'Send me a code' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(missing).toEqual([]);
});

test('the icon browsers ask for on their own, /favicon.ico, is found', async ({ request }) => {
  const response = await request.get('/favicon.ico');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('image/svg+xml');
  expect(response.url()).toMatch(/\/icon\.svg$/);
});

test('a space with one store opens it straight from the list for someone who cannot add stores', async ({
  page,
  request,
}) => {
  const store = await rest(request).store();
  const email = `one-store-viewer-${Date.now()}@demo.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'VIEWER');
  await signIn(page, email, password);
  await page.goto('/console/demo/stores');
  await expect(page).toHaveURL(new RegExp(`/console/demo/stores/${store.id}$`));
  await expect(page.getByRole('heading', { name: 'OTP users', level: 1 })).toBeVisible();
});

test('the sign-in page is dark all over in the dark theme', async ({ page }) => {
  await useColorScheme(page, 'dark');
  await page.goto('/sign-in');
  const title = page.getByRole('heading', { name: 'OTP Access', level: 1 });
  await expect(title).toBeVisible();
  expect(await textContrast(title)).toBeGreaterThanOrEqual(4.5);
  expect(await textContrast(page.getByText('Admin console'))).toBeGreaterThanOrEqual(4.5);
});

test('an unknown address shows the product’s own page, with a way home', async ({ page, consoleGuard }) => {
  // The browser reports the 404 of the page it was sent to: that is the point of this test.
  consoleGuard.allow(/status of 404 .*\/no-such-page\)$/);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the console' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});
