import { baseURL } from './env';
import { OWNER, operatorMail, screenshot, signIn, uniqueSuffix } from './helpers';
import { expect, test } from './test';

test('invites a member who accepts by the mailed link, changes the role, finds both in the audit log, and removes them', async ({
  page,
  browser,
}, testInfo) => {
  const email = `member-${uniqueSuffix()}@admins.example`;
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

  // Pending until the invitee accepts: listed with the typed email only, not as a member.
  await expect(page.getByText('Invitation sent')).toBeVisible();
  const pending = page.getByRole('table', { name: 'Pending invitations' });
  await expect(pending.getByRole('row').filter({ hasText: email })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members' }).getByText(email)).toHaveCount(0);

  // The invitee opens the mailed link in their own browser and chooses a password.
  const mail = await operatorMail((m) => m.to.includes(email) && /invitation#/.test(m.text));
  const link = /https?:\/\/\S+\/invitation#[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const invitee = await browser.newContext({ baseURL });
  const inviteePage = await invitee.newPage();
  await inviteePage.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(inviteePage.getByRole('heading', { name: 'Join Demo Inc.' })).toBeVisible();
  await inviteePage.getByLabel('Password', { exact: true }).fill('my chosen password 1');
  await inviteePage.getByLabel('Password again').fill('my chosen password 1');
  await inviteePage.getByRole('button', { name: 'Create account and join' }).click();
  await expect(inviteePage).toHaveURL(/\/console\/demo/);
  await invitee.close();

  await page.reload();
  const row = page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: email });
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
});
