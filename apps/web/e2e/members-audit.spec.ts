import { expect, test } from '@playwright/test';
import { consoleErrors, OWNER, screenshot, signIn, uniqueSuffix } from './helpers';

test('invites a member, changes the role, finds both in the audit log, and removes them', async ({
  page,
}, testInfo) => {
  const email = `member-${uniqueSuffix()}@admins.example`;
  const errors = consoleErrors(page);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/console/demo/members');
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();

  await page.getByRole('button', { name: 'Invite member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite member' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill('not an email');
  await dialog.getByRole('button', { name: 'Invite' }).click();
  await expect(dialog.getByText('Enter a valid email address')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
  await dialog.getByRole('radio', { name: 'Viewer' }).check({ force: true });
  await dialog.getByRole('button', { name: 'Invite' }).click();

  const invited = page.getByRole('dialog', { name: 'Member invited' });
  await expect(invited.getByText('This password is shown only now.')).toBeVisible();
  expect((await invited.getByTestId('secret-value').textContent())!.trim().length).toBeGreaterThan(8);
  await invited.getByRole('button', { name: 'Done' }).click();

  const row = page.getByRole('row').filter({ hasText: email });
  const role = row.getByRole('combobox', { name: `Role of ${email}` });
  await expect(role).toHaveValue('Viewer');
  await role.click();
  await page.getByRole('option', { name: 'Admin' }).click();
  await expect(page.getByText(`${email} is now admin.`)).toBeVisible();
  await expect(role).toHaveValue('Admin');
  await screenshot(page, testInfo, 'members');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const events = page.getByRole('table', { name: 'Audit events' });
  await page.getByRole('combobox', { name: 'Filter by action' }).fill('member.changeRole');
  await page.keyboard.press('Escape');
  await expect(events.getByRole('row').filter({ hasText: 'Role: Viewer → Admin' }).first()).toBeVisible();
  await expect(events.getByText('member.invite')).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Filter by action' }).fill('member.invite');
  await page.keyboard.press('Escape');
  await expect(events.getByRole('row').filter({ hasText: email }).first()).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter by actor' }).fill('nobody-did-this');
  await expect(page.getByText('No events match')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter by actor' }).fill(OWNER.email);
  await expect(events.getByRole('row').filter({ hasText: email }).first()).toBeVisible();
  await screenshot(page, testInfo, 'audit-log');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await row.getByRole('button', { name: `Remove ${email}` }).click();
  await page.getByRole('dialog', { name: 'Remove member' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Member removed')).toBeVisible();
  await expect(row).toHaveCount(0);
  expect(errors).toEqual([]);
});
