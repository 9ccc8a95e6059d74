import { OWNER, openStore, screenshot, searchEmail, signIn, usersTable } from './helpers';
import { expect, test } from './test';

test.describe('signing in and out', () => {
  test('the console asks for sign-in, refuses a wrong password, opens the store, and signs out', async ({
    page,
    consoleGuard,
  }, testInfo) => {
    // The wrong password's refusal is the browser's one expected error.
    consoleGuard.allow(/status of 401 .*\/login\)$/);
    await page.goto('/console/demo/members');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fconsole%2Fdemo/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await screenshot(page, testInfo, 'sign-in');

    await page.getByRole('textbox', { name: 'Email' }).fill(OWNER.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid email or password' })).toBeVisible();

    await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back to where sign-in was asked for: the space, which opens on its only store.
    await expect(page).toHaveURL(/\/console\/demo\/stores\/[0-9a-f]{24}$/);
    await expect(page.getByRole('heading', { name: 'OTP users' })).toBeVisible();
    await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();

    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto('/console/demo');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('an expired access token is renewed without the user noticing', async ({
    page,
    context,
    consoleGuard,
  }) => {
    // The cookie is dropped before the page's clock says the token ran out, so the next call is
    // refused once and sent again after the renewal: that retry is what this test exercises.
    consoleGuard.allow(/status of 401 .*\/api\/trpc\//);
    await signIn(page, OWNER.email, OWNER.password);
    await openStore(page);
    const before = (await context.cookies()).find((c) => c.name === 'ins_refresh_token')?.value;
    // The browser drops the access cookie when it expires (after 5 minutes); do it now.
    await context.clearCookies({ name: 'ins_access_token' });

    await searchEmail(page, 'alice@');
    await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
    await expect(usersTable(page).getByRole('link', { name: 'bob@demo.example' })).toHaveCount(0);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'ins_access_token')?.value).toBeTruthy();
    expect(cookies.find((c) => c.name === 'ins_refresh_token')?.value).not.toBe(before);
  });

  test('an ended session sends the user back to sign-in', async ({ page, context, consoleGuard }) => {
    // The ended session refuses the next call and its renewal: the browser reports both.
    consoleGuard.allow(/status of 401 .*\/(api\/trpc\/|refresh\))/);
    await signIn(page, OWNER.email, OWNER.password);
    await openStore(page);
    // The users' usage loads after the table. Let it arrive first: a load still in flight when the
    // session ends would be refused before the search below, and leave the page under its feet.
    const usage = usersTable(page).getByText(/\d used/);
    await expect(usage.first()).toBeVisible();
    // Revoke the session on the server, keeping stale cookies in the browser.
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'ins_refresh_token')!;
    const response = await page.request.post('/logout');
    expect(response.status()).toBe(200);
    await context.addCookies([{ ...refresh }]);
    await context.clearCookies({ name: 'ins_access_token' });

    await page.getByRole('searchbox', { name: 'Search by email' }).fill('bob@');
    await expect(page).toHaveURL(/\/sign-in\?expired=1&next=/);
    await expect(page.getByText('Your session ended')).toBeVisible();
  });
});
