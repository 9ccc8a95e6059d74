import { OWNER, screenshot, signIn, uniqueSuffix } from './helpers';
import { expect, test } from './test';

test('creates an API key with chosen permissions, shows it once, and revokes it', async ({
  page,
  context,
  request,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/console/demo');
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'API keys' }).getByText('Seed key (all permissions)'),
  ).toBeVisible();

  const name = `Read-only script ${uniqueSuffix()}`;
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  // Nothing chosen yet: the form says what is missing.
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByText('Required')).toBeVisible();
  await expect(dialog.getByText('Choose at least one')).toBeVisible();

  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Read only' }).click();
  await expect(dialog.getByRole('checkbox', { name: 'List OTP users' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Delete OTP users' })).not.toBeChecked();
  await dialog.getByRole('checkbox', { name: 'Read the audit log' }).check();
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const reveal = page.getByRole('dialog', { name: `API key “${name}”` });
  await expect(reveal.getByText('This is the only time the key is shown')).toBeVisible();
  const key = (await reveal.getByTestId('secret-value').textContent())!.trim();
  expect(key.length).toBeGreaterThan(20);
  await reveal.getByRole('button', { name: 'Copy api key' }).click();
  await expect(reveal.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await screenshot(page, testInfo, 'api-key-created');
  await reveal.getByRole('button', { name: 'Done' }).click();
  await expect(reveal).toBeHidden();

  // The key works with exactly what it was given.
  const auth = { authorization: `Bearer ${key}` };
  expect((await request.get('/v1/organizations/demo/stores', { headers: auth })).status()).toBe(200);
  const store = (await (await request.get('/v1/organizations/demo/stores', { headers: auth })).json()).data
    .items[0];
  const denied = await request.post(`/v1/organizations/demo/stores/${store.id}/otp-users`, {
    headers: auth,
    data: { email: 'x@denied.example', publishedApplicationId: store.id },
  });
  expect(denied.status()).toBe(403);

  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('4 permissions');
  await expect(row.getByText(key)).toHaveCount(0);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('dialog', { name: 'Revoke API key' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('API key revoked')).toBeVisible();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: `Revoke ${name}` })).toHaveCount(0);
  expect((await request.get('/v1/organizations/demo/stores', { headers: auth })).status()).toBe(401);
});
