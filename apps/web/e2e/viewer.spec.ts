import { E2E } from './env';
import { inviteMember, openStore, rest, uniqueSuffix, usersTable } from './helpers';
import { expect, test } from './test';

test('a viewer sees no edit controls, and the server refuses their edits anyway', async ({
  page,
  request,
}) => {
  // Starts like spaces.spec on purpose: each test invites its own admin through the API.
  const email = `viewer-${uniqueSuffix()}@admins.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'VIEWER');
  expect(password).toBeTruthy();

  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'OTP users' })).toBeVisible();
  await openStore(page);

  const table = usersTable(page);
  await expect(table.getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add users' })).toHaveCount(0);
  await expect(table.getByRole('button', { name: /Change allowance of/ })).toHaveCount(0);
  await expect(table.getByRole('button', { name: /Delete / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Viewer');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'OTP users' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Members' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

  await table.getByRole('link', { name: 'alice@demo.example' }).click();
  await expect(page.getByRole('heading', { name: 'alice@demo.example' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Change allowance of/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('table', { name: 'Members' }).getByText(email)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Invite member' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: /Role of/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Remove / })).toHaveCount(0);

  // Settings and stores: readable, nothing to change.
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue('Demo Inc.');
  await expect(page.getByRole('button', { name: 'Save name' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save code settings' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send test' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete organization' })).toHaveCount(0);
  await page.goto('/console/demo/stores');
  await expect(page.getByRole('table', { name: 'Stores' }).getByRole('link').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'New store' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);

  await page.goto('/console/demo/api-keys');
  await expect(page.getByText('Not available to your role')).toBeVisible();

  // The same calls the edit controls would make, straight to the API with the viewer's session.
  const api = rest(request);
  const store = await api.store();
  const alice = (
    await (
      await request.get(`/v1/organizations/demo/stores/${store.id}/otp-users?email=alice%40demo.example`, {
        headers: { authorization: `Bearer ${E2E.demoApiKey}` },
      })
    ).json()
  ).data.items[0];
  const asViewer = { 'x-space': 'demo' };
  const update = await page.request.post('/api/trpc/otpUser.update', {
    headers: asViewer,
    data: { storeId: store.id, otpUserId: alice.id, data: { allowedDownloadsNum: 99 } },
  });
  expect(update.status()).toBe(403);
  const remove = await page.request.post('/api/trpc/otpUser.delete', {
    headers: asViewer,
    data: { storeId: store.id, otpUserId: alice.id },
  });
  expect(remove.status()).toBe(403);
  const create = await page.request.post('/api/trpc/otpUser.create', {
    headers: asViewer,
    data: {
      storeId: store.id,
      data: { email: 'sneaky@viewer.example', publishedApplicationId: alice.publishedApplicationId },
    },
  });
  expect(create.status()).toBe(403);
  const after = await (await api.getUser(store.id, alice.id)).json();
  expect(after.data.allowedDownloadsNum).toBe(alice.allowedDownloadsNum);
});
