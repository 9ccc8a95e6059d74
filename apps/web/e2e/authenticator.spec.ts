import type { Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { E2E } from './env';
import { inviteMember, signIn, uniqueSuffix, usersTable } from './helpers';
import { expect, test } from './test';

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
}

/**
 * Leaves the console, then ends the session through the API. Leaving first cancels what the page
 * still has in flight (the users' usage loads after the table), which would otherwise come back
 * 401 once the session is gone and be logged as an error.
 */
async function signOut(page: Page) {
  await page.goto('about:blank');
  expect((await page.request.post('/logout')).status()).toBe(200);
}

/** A code of the next time step: the one used to turn the app on cannot sign in again. */
async function nextCode(totp: OTPAuth.TOTP, after: number) {
  const step = Math.floor(after / 30_000);
  const wait = (step + 1) * 30_000 - Date.now() + 250;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return totp.generate();
}

test('an admin sets up an authenticator app, signs in with it, and once with a recovery code', async ({
  page,
  request,
  consoleGuard,
}) => {
  // A code that is refused on purpose: the browser reports the 401 of /validate.
  consoleGuard.allow(/status of 401 .*\/validate\)$/);
  test.setTimeout(120_000);
  const email = `totp-${uniqueSuffix()}@admins.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'ADMIN');
  await signIn(page, email, password);

  await page.goto('/console/demo/account');
  const section = page.getByRole('region', { name: 'Two-factor sign-in' });
  await section.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(section.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await section.getByTestId('totp-secret').textContent())!.trim();
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  await section.getByRole('textbox', { name: 'Code from your app' }).fill(totp.generate());
  const enrolledAt = Date.now();
  await section.getByRole('button', { name: 'Turn on' }).click();
  const codes = (await section.getByTestId('secret-value').textContent())!.trim().split(/\s+/);
  expect(codes).toHaveLength(10);
  await section.getByRole('button', { name: 'I saved them' }).click();
  await expect(section.getByText('10 recovery codes left')).toBeVisible();
  await signOut(page);

  // Sign in with the app.
  await passwordStep(page, email, password);
  await expect(page.getByText('Open your authenticator app')).toBeVisible();
  await page.getByRole('textbox', { name: 'One-time code' }).fill(await nextCode(totp, enrolledAt));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/console\/demo\/stores\/[0-9a-f]{24}$/);
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
  await signOut(page);

  // Sign in with a recovery code, once.
  await passwordStep(page, email, password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/console\/demo\/stores\/[0-9a-f]{24}$/);
  await signOut(page);

  await passwordStep(page, email, password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not valid' })).toBeVisible();
});

test.describe('the account page on a phone, in dark mode', () => {
  test.use({ viewport: { width: 390, height: 760 }, colorScheme: 'dark' });

  test('fits the screen and is usable by keyboard', async ({ page, request }) => {
    const email = `account-${uniqueSuffix()}@admins.example`;
    const password = await inviteMember(request, E2E.demoApiKey, email, 'VIEWER');
    await signIn(page, email, password);
    await page.goto('/console/demo/account');
    for (const name of ['Two-factor sign-in', 'Password', 'Where you are signed in']) {
      await expect(page.getByRole('region', { name })).toBeVisible();
    }
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The sessions list shows this browser's session.
    await expect(page.getByText('This browser')).toBeVisible();
    // Keyboard: the enrolment button is reachable and works with Enter.
    const setUp = page.getByRole('button', { name: 'Set up an authenticator app' });
    await setUp.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  });
});
