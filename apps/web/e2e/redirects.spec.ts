import { OWNER } from './helpers';
import { expect, test } from './test';

/** After signing in the browser goes back where it was sent from, and never to another site. */
test.describe('where sign-in leads', () => {
  for (const next of [
    '/%09/evil.example/phish',
    '//evil.example/phish',
    '/%5Cevil.example',
    '/%0A/evil.example',
  ]) {
    test(`next=${next} stays on this app`, async ({ page, baseURL }) => {
      const requested: string[] = [];
      page.on('request', (request) => requested.push(new URL(request.url()).host));
      await page.goto(`/sign-in?next=${next}`);
      await page.getByRole('textbox', { name: 'Email' }).fill(OWNER.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/console\//);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(requested.filter((host) => host.includes('evil.example'))).toEqual([]);
    });
  }
});
