import { E2E } from './env';
import { inviteMember, operatorMail, signIn, uniqueSuffix, usersTable } from './helpers';
import { expect, test } from './test';

test('a two-factor admin signs in with the code the installation mails', async ({
  page,
  request,
  consoleGuard,
}) => {
  // A wrong code is refused on purpose (401) before the mailed one is entered.
  consoleGuard.allow(/status of 401 .*\/validate\)$/);
  const email = `twofa-${uniqueSuffix()}@admins.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'ADMIN');
  await signIn(page, email, password);
  const enabled = await page.request.post('/api/trpc/auth.setTwoFactor', { data: { otpType: 'MAIL' } });
  expect(enabled.status(), await enabled.text()).toBe(200);
  expect((await page.request.post('/logout')).status()).toBe(200);

  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await expect(page.getByText('We sent a code by email.')).toBeVisible();

  // Sent by the installation's own mail server, not by any organization's delivery setting.
  const mail = await operatorMail((m) => m.to.includes(email) && /sign-in code/.test(m.subject));
  const code = /\b(\d{6,10})\b/.exec(`${mail.subject}\n${mail.text}`)?.[1];
  expect(code, mail.text).toBeTruthy();

  const codeInput = page.getByRole('textbox', { name: 'One-time code' });
  await codeInput.fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not valid' })).toBeVisible();

  await codeInput.fill(code!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/console\/demo\/stores\/[0-9a-f]{24}$/);
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
});
