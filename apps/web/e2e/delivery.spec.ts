import { startMailSink } from '@otp-access/api';
import type { Locator, Page } from '@playwright/test';
import { closeDrawers, OWNER, openProvider, screenshot, signIn, uniqueSuffix } from './helpers';
import { expect, test } from './test';

/** The provider's settings: its drawer, opened from the provider list. */
const card = (page: Page, title: string) => openProvider(page, title);

async function save(page: Page, section: Locator) {
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Settings saved' }).last()).toBeVisible();
}

test('saves each provider’s settings and sends a test email to a local SMTP sink', async ({
  page,
}, testInfo) => {
  // The test's own mailbox: the SMTP setting points at it, and it captures the test message.
  const sink = await startMailSink();
  try {
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/console/demo');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Delivery' }).click();
    await expect(page.getByRole('heading', { name: 'Delivery', level: 1 })).toBeVisible();

    const smtp = await card(page, 'Email · SMTP');
    await smtp.getByRole('textbox', { name: 'SMTP host' }).fill('127.0.0.1');
    await smtp.getByRole('textbox', { name: 'Port' }).fill(String(sink.port));
    await smtp.getByRole('textbox', { name: 'From address' }).fill('not an address');
    await smtp.getByRole('button', { name: 'Save' }).click();
    await expect(smtp.getByText('Enter a valid email address')).toBeVisible();
    await smtp.getByRole('textbox', { name: 'From address' }).fill('no-reply@demo.example');
    await smtp.getByRole('combobox', { name: 'Security' }).click();
    // The modes in words, not the API's enum names.
    await expect(page.getByRole('option', { name: 'STARTTLS required' })).toBeVisible();
    await expect(page.getByRole('option', { name: /SMTP_TLS/ })).toHaveCount(0);
    await page.getByRole('option', { name: 'STARTTLS when offered' }).click();
    await smtp.getByRole('switch', { name: 'Use for email codes by default' }).check();
    await save(page, smtp);
    await expect(smtp.getByText('Default for email')).toBeVisible();

    const twilio = await card(page, 'SMS · Twilio');
    await twilio.getByRole('textbox', { name: 'Account SID' }).fill('AC123');
    await twilio.getByRole('button', { name: 'Save' }).click();
    await expect(twilio.getByText('A Twilio Account SID')).toBeVisible();
    await twilio.getByRole('textbox', { name: 'Account SID' }).fill(`AC${'0123456789abcdef'.repeat(2)}`);
    await twilio.getByRole('textbox', { name: 'Auth token' }).fill('twilio-secret-token');
    await twilio.getByRole('textbox', { name: 'Sender number' }).fill('+15005550006');
    await save(page, twilio);
    await expect(twilio.getByText('Configured', { exact: true })).toBeVisible();
    // The secret is write-only: it comes back as "set", never as its value.
    await expect(twilio.getByText('Set. Type a new value to change it')).toBeVisible();
    await expect(twilio.getByRole('textbox', { name: 'Auth token' })).toHaveValue('');

    // Alike on purpose: each provider's own fields, filled as a person would.
    const netgsm = await card(page, 'SMS · NetGSM');
    await netgsm.getByRole('textbox', { name: 'Username' }).fill('netgsm-user');
    await netgsm.getByRole('textbox', { name: 'Password' }).fill('netgsm-secret');
    await netgsm.getByRole('textbox', { name: 'Dealer code (bayi kodu)' }).fill('1234');
    await netgsm.getByRole('textbox', { name: 'Sender name (header)' }).fill('OTPACCESS');
    await save(page, netgsm);
    await expect(netgsm.getByText('Configured', { exact: true })).toBeVisible();

    const dataport = await card(page, 'SMS · Dataport');
    await dataport.getByRole('textbox', { name: 'Username' }).fill('dataport-user');
    await dataport.getByRole('textbox', { name: 'Password' }).fill('dataport-secret');
    await dataport.getByRole('textbox', { name: 'Account number' }).fill('987654');
    await dataport.getByRole('textbox', { name: 'Originator' }).fill('OTPACCESS');
    await save(page, dataport);
    await expect(dataport.getByText('Configured', { exact: true })).toBeVisible();

    // A save without the secret keeps it; the default switch moves the SMS default.
    await card(page, 'SMS · NetGSM');
    await netgsm.getByRole('switch', { name: 'Use for SMS codes by default' }).check();
    await save(page, netgsm);
    await expect(netgsm.getByText('Default for SMS')).toBeVisible();
    await expect(netgsm.getByText('Set. Type a new value to change it')).toBeVisible();

    await closeDrawers(page);
    const to = `delivery-${uniqueSuffix()}@mail.example`;
    const test = page.getByRole('region', { name: 'Send a test' });
    await test.getByRole('textbox', { name: 'Send to' }).fill(to);
    await test.getByRole('button', { name: 'Send test' }).click();
    // The address just typed, unmasked, and the provider named as the log names it.
    await expect(test.getByRole('status')).toContainText(`Delivered to ${to}`);
    await expect(test.getByRole('table', { name: 'Delivery attempts' })).toContainText('Email · SMTP');
    await expect(test.getByRole('table', { name: 'Delivery attempts' })).toContainText('Sent');
    await expect(test.getByRole('table', { name: 'Delivery attempts' })).not.toContainText('DEFAULT');
    // Who changed a setting reads as their email, not as the API's actor label.
    await card(page, 'Email · SMTP');
    await expect(smtp.getByText(/Last changed .* by owner@demo\.example$/)).toBeVisible();
    await expect(smtp.getByText(/user:[0-9a-f]/)).toHaveCount(0);
    const mail = await sink.waitFor((m) => m.to.includes(to), 10_000);
    expect(mail.subject).toBe('OTP Access test message');
    expect(mail.text).toContain('your delivery settings work');
    await closeDrawers(page);
    await screenshot(page, testInfo, 'delivery');

    await page.getByRole('tab', { name: 'Delivery log' }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    await page.getByRole('combobox', { name: 'Purpose' }).click();
    await page.getByRole('option', { name: 'Test' }).click();
    await expect(log.getByRole('row').filter({ hasText: 'Sent' }).first()).toContainText('Email · SMTP');
  } finally {
    await sink.stop();
  }
});

test('an optional field saved blank is cleared; a blank secret is kept', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/console/demo/delivery');
  // The open drawer is in the URL (?provider=netgsm): each reload below reopens it.
  const netgsm = await card(page, 'SMS · NetGSM');
  const dealer = netgsm.getByRole('textbox', { name: 'Dealer code (bayi kodu)' });
  await netgsm.getByRole('textbox', { name: 'Username' }).fill('netgsm-user');
  await netgsm.getByRole('textbox', { name: 'Password' }).fill('netgsm-secret');
  await netgsm.getByRole('textbox', { name: 'Sender name (header)' }).fill('OTPACCESS');
  await dealer.fill('4321');
  await save(page, netgsm);
  await page.reload();
  await expect(dealer).toHaveValue('4321');

  // The dealer code names the account the password belongs to: clearing it sends the password again.
  await dealer.fill('');
  await netgsm.getByRole('textbox', { name: 'Password' }).fill('netgsm-secret');
  await save(page, netgsm);
  await page.reload();
  await expect(dealer).toHaveValue('');

  // Only the sender name changes: the password, left blank, is kept.
  const header = netgsm.getByRole('textbox', { name: 'Sender name (header)' });
  await header.fill('OTPNEW');
  await save(page, netgsm);
  await page.reload();
  await expect(header).toHaveValue('OTPNEW');
  await expect(netgsm.getByText('Set. Type a new value to change it')).toBeVisible();
});

test('a failed test send explains itself in a sentence, without field names', async ({
  page,
  consoleGuard,
}) => {
  // The failing test send (400) is the point: the page must explain it.
  consoleGuard.allow(/status of 400 .*\/api\/trpc\/otpSettings\.test\?/);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/console/demo/delivery');
  const test = page.getByRole('region', { name: 'Send a test' });
  await test.getByRole('textbox', { name: 'Send to' }).fill('not-an-address');
  await test.getByRole('button', { name: 'Send test' }).click();
  const alert = test.getByRole('alert');
  await expect(alert).toContainText(/email address/i);
  await expect(alert).not.toContainText('to:');
});
