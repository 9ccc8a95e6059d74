import { E2E } from './env';
import { inviteMember, openStore, signIn, uniqueSuffix, usersTable } from './helpers';
import { expect, test } from './test';

test('switches between the spaces an admin belongs to, and remembers the choice', async ({
  page,
  request,
}) => {
  // An admin of both organizations: created in `demo`, then added to `other`.
  const email = `both-${uniqueSuffix()}@admins.example`;
  const password = await inviteMember(request, E2E.demoApiKey, email, 'ADMIN');
  // An existing account joins `other` only by accepting the invitation.
  await inviteMember(request, E2E.otherApiKey, email, 'ADMIN', password);

  await signIn(page, email, password!);
  await openStore(page, 'demo');
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();

  const switcher = page.getByRole('combobox', { name: 'Space' });
  await expect(switcher).toHaveValue('Demo Inc.');
  await switcher.click();
  await page.getByRole('option', { name: 'Other Ltd.' }).click();
  await expect(page).toHaveURL(/\/console\/other\/stores\/[0-9a-f]{24}$/);
  await expect(usersTable(page).getByRole('link', { name: 'erin@other.example' })).toBeVisible();
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Other Store' }).or(page.getByText('Other Store')).first(),
  ).toBeVisible();

  // The choice is remembered: the console opens in that space next time.
  await page.goto('/console');
  await expect(page).toHaveURL(/\/console\/other\//);

  // A space the admin is not a member of is refused.
  await page.goto('/console/not-a-space-of-mine');
  await expect(page.getByRole('heading', { name: /Not a member/ })).toBeVisible();
  await page.getByRole('link', { name: 'Demo Inc.' }).click();
  await expect(usersTable(page).getByRole('link', { name: 'alice@demo.example' })).toBeVisible();
});
