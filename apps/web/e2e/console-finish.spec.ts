import type { Locator, Page } from '@playwright/test';
import { E2E } from './env';
import {
  OWNER,
  openProvider,
  openStore,
  rest,
  searchEmail,
  signIn,
  uniqueSuffix,
  usersTable,
} from './helpers';
import { expect, test } from './test';

/**
 * The finishing work of the console: the overview's download and allowance charts and the lists
 * behind them, downloads used beside the allowance, the CSV allowance column, toasts clear of the
 * primary button, no 401 logged while renewing a session, the published application's id.
 */

const TAG = `finish-${uniqueSuffix()}`;

/** Every OTP user these tests add carries TAG in its email; they all go afterwards. */
test.afterAll(async ({ request }) => {
  const headers = { authorization: `Bearer ${E2E.demoApiKey}` };
  const store = await rest(request).store();
  const list = await request.get(
    `/v1/organizations/demo/stores/${store.id}/otp-users?email=${TAG}&limit=100`,
    { headers },
  );
  for (const user of (await list.json()).data.items as { id: string }[])
    await request.delete(`/v1/organizations/demo/stores/${store.id}/otp-users/${user.id}`, { headers });
});

test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
});

async function createUser(page: Page, name: string, allowedDownloadsNum: number) {
  const demo = rest(page.request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  const [user] = await demo.createUsers(store.id, {
    email: `${name}-${TAG}@demo.example`,
    publishedApplicationId: app.id,
    allowedDownloadsNum,
  });
  return { store, app, user: user! };
}

test('the overview charts downloads per app and the users near their allowance, each linked to its list', async ({
  page,
}) => {
  const { store } = await createUser(page, 'spent', 0);
  await page.goto('/console/demo/overview');
  const downloads = page.getByRole('region', { name: 'Downloads per app' });
  await expect(downloads).toBeVisible();
  await expect(downloads.getByRole('link', { name: 'Open the applications' })).toBeVisible();

  const near = page.getByRole('region', { name: 'OTP users near their allowance' });
  await expect(near).toContainText('have two downloads or fewer left');
  const noneLeft = near.getByRole('link', { name: /with none left/ }).first();
  await expect(noneLeft).toHaveAttribute('href', `/console/demo/stores/${store.id}?left=0`);
  await noneLeft.click();
  await expect(page).toHaveURL(/[?&]left=0/);
  await expect(page.getByText('Only users with no downloads left')).toBeVisible();
  await searchEmail(page, TAG);
  const row = usersTable(page).getByRole('row', { name: new RegExp(`spent-${TAG}`) });
  await expect(row).toBeVisible();
  await expect(row.locator('td[data-label="Downloads"]')).toHaveText('0 used · none left');
  // The filter keeps to its users: one with downloads to spare is not listed.
  await createUser(page, 'plenty', 5);
  await page.reload();
  await expect(usersTable(page).getByRole('row', { name: new RegExp(`plenty-${TAG}`) })).toHaveCount(0);
  await page.getByRole('button', { name: 'Show everyone' }).click();
  await expect(usersTable(page).getByRole('row', { name: new RegExp(`plenty-${TAG}`) })).toBeVisible();
});

test('downloads used and left show beside the allowance, in the list and on the detail page', async ({
  page,
}) => {
  const { store, user } = await createUser(page, 'usage', 3);
  await openStore(page);
  await searchEmail(page, `usage-${TAG}`);
  const row = usersTable(page).getByRole('row', { name: new RegExp(`usage-${TAG}`) });
  await expect(row.locator('td[data-label="Downloads"]')).toHaveText('0 used · 3 left');
  await page.goto(`/console/demo/stores/${store.id}/otp-users/${user.id}`);
  await expect(page.getByText('0 used · 3 left')).toBeVisible();
});

async function uploadCsv(dialog: Locator, csv: string) {
  await dialog
    .locator('input[type="file"]')
    .setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
}

test('a CSV allowance column is honoured, and a value it cannot read refuses the file with a sentence', async ({
  page,
}) => {
  const demo = rest(page.request);
  const store = await demo.store();
  await openStore(page);
  await page.getByRole('button', { name: 'Add users' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add OTP users' });

  await uploadCsv(dialog, `email,allowance\nbad-${TAG}@demo.example,lots\n`);
  await expect(dialog.getByRole('alert')).toContainText('users.csv was not added');
  await expect(dialog.getByRole('alert')).toContainText('Row 2: “lots” is not an allowance.');
  await expect(dialog.getByRole('textbox', { name: 'Emails' })).toHaveValue('');

  await uploadCsv(
    dialog,
    `email,allowance\ntwo-${TAG}@demo.example,2\nfree-${TAG}@demo.example,unlimited\nform-${TAG}@demo.example,\n`,
  );
  await expect(dialog.getByText('Its “allowance” column gives 2 of them their own allowance.')).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'Unlimited' }).uncheck();
  await dialog.getByRole('textbox', { name: 'Allowed downloads' }).fill('7');
  await dialog.getByRole('button', { name: 'Add 3 users' }).click();
  await expect(dialog).toBeHidden();

  const list = await page.request.get(
    `/v1/organizations/demo/stores/${store.id}/otp-users?email=${TAG}&limit=100`,
    { headers: { authorization: `Bearer ${E2E.demoApiKey}` } },
  );
  const users = (await list.json()).data.items as { email: string; allowedDownloadsNum: number }[];
  const allowance = (name: string) =>
    users.find((u) => u.email === `${name}-${TAG}@demo.example`)?.allowedDownloadsNum;
  expect([allowance('two'), allowance('free'), allowance('form')]).toEqual([2, -1, 7]);
});

for (const width of [1440, 390]) {
  test(`a toast does not cover the page's primary button at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await openStore(page);
    const primary = page.getByRole('button', { name: 'Add users' }).first();
    await primary.click();
    const dialog = page.getByRole('dialog', { name: 'Add OTP users' });
    await dialog.getByRole('textbox', { name: 'Emails' }).fill(`toast-${width}-${TAG}@demo.example`);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const toast = page.locator('.mantine-Notification-root').filter({ hasText: 'OTP users added' });
    await expect(toast).toBeVisible();
    const [a, b] = [await toast.boundingBox(), await primary.boundingBox()];
    expect(a && b).toBeTruthy();
    const overlaps =
      a!.x < b!.x + b!.width && b!.x < a!.x + a!.width && a!.y < b!.y + b!.height && b!.y < a!.y + a!.height;
    expect(overlaps, `toast ${JSON.stringify(a)} over button ${JSON.stringify(b)}`).toBe(false);
  });
}

for (const width of [1440, 390]) {
  test(`a toast does not cover a provider drawer's Save button at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.goto('/console/demo/delivery');
    const drawer = await openProvider(page, 'Email · SMTP');
    await drawer.getByRole('textbox', { name: 'SMTP host' }).fill('127.0.0.1');
    await drawer.getByRole('textbox', { name: 'Port' }).fill('2525');
    await drawer.getByRole('textbox', { name: 'From address' }).fill('no-reply@demo.example');
    await drawer.getByRole('combobox', { name: 'Security' }).click();
    await page.getByRole('option', { name: 'STARTTLS when offered' }).click();
    const save = drawer.getByRole('button', { name: 'Save' });
    await save.click();
    const toast = page.locator('.mantine-Notification-root').filter({ hasText: 'Settings saved' });
    await expect(toast).toBeVisible();
    // The saved setting starts the form afresh: measure the Save button it has then.
    await expect(drawer.getByText('Configured', { exact: true })).toBeVisible();
    expect(overlap(await toast.boundingBox(), await save.boundingBox())).toBe(false);
  });
}

/** Whether two boxes on the screen share any area. */
function overlap(a: { x: number; y: number; width: number; height: number } | null, b: typeof a): boolean {
  if (!a || !b) throw new Error('Both elements must be on the screen.');
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('an expired access token is renewed before auth.me, so no 401 is logged', async ({ page, context }) => {
  const refused: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 401) refused.push(response.url());
  });
  await page.goto('/console/demo/overview');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  // The browser drops the access cookie when it expires (its Max-Age is the token's lifetime).
  const cookies = await context.cookies();
  await context.clearCookies();
  await context.addCookies(cookies.filter((cookie) => cookie.name !== 'ins_access_token'));
  // The server cannot read the session without the access token: the page asks for auth.me itself.
  const me = page.waitForResponse((response) => response.url().includes('auth.me'));
  await page.reload();
  expect((await me).status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Codes per provider' })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  expect(refused).toEqual([]);
  expect((await context.cookies()).some((cookie) => cookie.name === 'ins_access_token')).toBe(true);
});

test('the applications page shows the published application id for API clients', async ({ page }) => {
  const demo = rest(page.request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  await page.goto(`/console/demo/stores/${store.id}/applications`);
  await expect(page.getByTestId('published-application-id').first()).toBeVisible();
  await expect(page.getByTestId('published-application-id').filter({ hasText: app.id })).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Copy the id of / }).first()).toBeVisible();
});
