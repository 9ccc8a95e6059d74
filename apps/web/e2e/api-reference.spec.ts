import { baseURL } from './env';
import { screenshot } from './helpers';
import { expect, test } from './test';

test('the API reference renders the OpenAPI document, with nothing loaded from elsewhere', async ({
  page,
}, testInfo) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(baseURL) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  await page.goto('/docs/api');
  await expect(page.getByRole('link', { name: /List the stores of the organization/ })).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Open Group - OTP users' }).click();
  await expect(page.getByRole('link', { name: /Update an existing OTP user configuration/ })).toBeVisible();
  await page.getByRole('button', { name: 'Open Group - OTP settings' }).click();
  await expect(page.getByRole('link', { name: /Save the Twilio SMS setting/ })).toBeVisible();
  await screenshot(page, testInfo, 'api-reference');
  expect(foreign).toEqual([]);
});
