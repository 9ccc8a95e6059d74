import { OWNER, openStore, rest, screenshot, searchEmail, signIn, uniqueSuffix, usersTable } from './helpers';
import { expect, test } from './test';

test.describe('OTP users', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
  });

  test('lists, sorts and searches the store’s users', async ({ page }, testInfo) => {
    await openStore(page);
    const table = usersTable(page);
    await expect(table.getByRole('link', { name: 'alice@demo.example' })).toBeVisible();

    const emailHeader = table.getByRole('columnheader', { name: 'Email' });
    await emailHeader.getByRole('button').click();
    await expect(emailHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/sort=email%3Aasc/);
    await emailHeader.getByRole('button').click();
    await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');

    await searchEmail(page, 'carol');
    await expect(table.getByRole('link', { name: 'carol@demo.example' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'alice@demo.example' })).toHaveCount(0);

    // The view is in the URL: a reload shows the same (now rendered by the server).
    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search by email' })).toHaveValue('carol');
    await expect(usersTable(page).getByRole('link', { name: 'carol@demo.example' })).toBeVisible();

    await searchEmail(page, 'nobody-matches-this');
    await expect(page.getByText('No OTP users match')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(table.getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
    await expect(page).not.toHaveURL(/email=/);
    // The seed's users only, so the picture is the same whatever else the database holds.
    await searchEmail(page, '@demo.example');
    await expect(table.getByRole('link', { name: 'dan@demo.example' })).toBeVisible();
    // A hydration mismatch between the server's page and the browser's is a console error: the
    // console guard fails the test on it.
    await screenshot(page, testInfo, 'otp-users');
  });

  test('adds many users from pasted emails and a CSV file', async ({ page, consoleGuard }, testInfo) => {
    // Adding addresses that are already there is refused on purpose (409), and the page says so.
    consoleGuard.allow(/status of 409 .*\/api\/trpc\/otpUser\.create\?/);
    const run = uniqueSuffix();
    await openStore(page);
    await page.getByRole('button', { name: 'Add users' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add OTP users' });
    await expect(dialog).toBeVisible();

    await dialog
      .getByRole('textbox', { name: 'Emails' })
      .fill(`pasted1-${run}@bulk.example, pasted2-${run}@bulk.example\nnot-an-email@`);
    await expect(dialog.getByText('2 valid, 1 invalid')).toBeVisible();
    await dialog.getByRole('button', { name: 'Add 2 users' }).click();
    await expect(dialog.getByText('Fix or remove the invalid emails first.')).toBeVisible();

    await dialog
      .getByRole('textbox', { name: 'Emails' })
      .fill(`pasted1-${run}@bulk.example\npasted2-${run}@bulk.example\nPASTED1-${run}@bulk.example`);
    const csv = `email,name\ncsv1-${run}@bulk.example,First\n"csv2-${run}@bulk.example",Second\n`;
    await dialog
      .locator('input[type=file]')
      .setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(dialog.getByText('users.csv: 2 emails found.')).toBeVisible();
    await expect(dialog.getByText('4 valid, 1 repeated (merged)')).toBeVisible();
    await dialog.getByRole('checkbox', { name: 'Unlimited' }).uncheck();
    await dialog.getByRole('textbox', { name: 'Allowed downloads' }).fill('3');
    await screenshot(page, testInfo, 'otp-users-add');
    await dialog.getByRole('button', { name: 'Add 4 users' }).click();

    await expect(page.getByText('4 users can now sign in.')).toBeVisible();
    await expect(dialog).toBeHidden();
    await searchEmail(page, run);
    const table = usersTable(page);
    for (const email of ['pasted1', 'pasted2', 'csv1', 'csv2']) {
      const row = table.getByRole('row').filter({ hasText: `${email}-${run}@bulk.example` });
      await expect(row.getByRole('cell').nth(1)).toHaveText('3');
    }
    await expect(page.getByText('1–4 of 4')).toBeVisible();

    // Adding one that exists already names it, and adds nothing.
    await page.getByRole('button', { name: 'Add users' }).first().click();
    await dialog
      .getByRole('textbox', { name: 'Emails' })
      .fill(`csv1-${run}@bulk.example\nfresh-${run}@bulk.example`);
    await dialog.getByRole('button', { name: 'Add 2 users' }).click();
    const conflict = dialog.getByRole('alert').filter({ hasText: 'already have access' });
    await expect(conflict).toContainText(`csv1-${run}@bulk.example`);
    await dialog.getByRole('button', { name: 'Leave out the existing ones' }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('1 user can now sign in.')).toBeVisible();
    await expect(page.getByText('1–5 of 5')).toBeVisible();
  });

  test('edits an allowance inline, with the unlimited switch', async ({ page, request }) => {
    const api = rest(request);
    const store = await api.store();
    const app = await api.app(store.id);
    const email = `edit-${uniqueSuffix()}@edit.example`;
    const [user] = await api.createUsers(store.id, {
      email,
      publishedApplicationId: app.id,
      allowedDownloadsNum: 2,
    });

    await openStore(page);
    await searchEmail(page, email);
    const row = usersTable(page).getByRole('row').filter({ hasText: email });
    await expect(row.getByRole('cell').nth(1)).toHaveText('2');

    await row.getByRole('button', { name: `Change allowance of ${email}` }).click();
    const editor = row.getByRole('form', { name: `Allowance of ${email}` });
    await editor.getByRole('textbox', { name: 'Allowed downloads' }).fill('7');
    await editor.getByRole('textbox', { name: 'Allowed downloads' }).press('Enter');
    await expect(page.getByText(`${email}: 7 downloads`)).toBeVisible();
    await expect(editor).toBeHidden();
    await expect(row.getByRole('cell').nth(1)).toHaveText('7');

    // Escape leaves it as it was.
    await row.getByRole('button', { name: `Change allowance of ${email}` }).click();
    await editor.getByRole('textbox', { name: 'Allowed downloads' }).fill('9');
    await editor.getByRole('textbox', { name: 'Allowed downloads' }).press('Escape');
    await expect(editor).toBeHidden();
    await expect(row.getByRole('cell').nth(1)).toHaveText('7');

    await row.getByRole('button', { name: `Change allowance of ${email}` }).click();
    await editor.getByRole('switch', { name: 'Unlimited' }).check();
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(`${email}: unlimited`)).toBeVisible();
    await expect(row.getByRole('cell').nth(1)).toHaveText('Unlimited');
    const saved = await api.getUser(store.id, user!.id);
    expect((await saved.json()).data.allowedDownloadsNum).toBe(-1);

    // The detail view shows the same user, and edits it too.
    await row.getByRole('link', { name: email }).click();
    await expect(page.getByRole('heading', { name: email })).toBeVisible();
    await expect(page.getByText('Never').first()).toBeVisible();
    await page.getByRole('button', { name: `Change allowance of ${email}` }).click();
    await page.getByRole('switch', { name: 'Unlimited' }).uncheck();
    await page.getByRole('textbox', { name: 'Allowed downloads' }).fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(`${email}: 0 downloads`)).toBeVisible();
    expect((await (await api.getUser(store.id, user!.id)).json()).data.allowedDownloadsNum).toBe(0);
  });

  test('deletes a user only after confirmation', async ({ page, request }) => {
    const api = rest(request);
    const store = await api.store();
    const app = await api.app(store.id);
    const email = `delete-${uniqueSuffix()}@delete.example`;
    const [user] = await api.createUsers(store.id, { email, publishedApplicationId: app.id });

    await openStore(page);
    await searchEmail(page, email);
    const row = usersTable(page).getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: `Delete ${email}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete OTP user' });
    await expect(dialog).toContainText(email);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toBeVisible();

    await row.getByRole('button', { name: `Delete ${email}` }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('OTP user deleted')).toBeVisible();
    await expect(page.getByText('No OTP users match')).toBeVisible();
    expect((await api.getUser(store.id, user!.id)).status()).toBe(404);
  });
});
