import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type APIRequestContext, expect, type Page, type TestInfo } from '@playwright/test';
import { E2E } from './env';

/** A suffix that keeps one run's rows apart from any other run's on a shared database. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const OWNER = { email: 'owner@demo.example', password: E2E.ownerPassword };

/** Signs the page's browser context in through `/login` (the sign-in page has its own test). */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  const response = await page.request.post('/login', { data: { username: email, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** The Applivery REST API with an organization's API key: quick setup and checks behind the UI. */
export function rest(request: APIRequestContext, apiKey: string = E2E.demoApiKey, organization = 'demo') {
  const base = `/v1/organizations/${organization}`;
  const headers = { authorization: `Bearer ${apiKey}` };
  return {
    async store(): Promise<{ id: string; name: string }> {
      const response = await request.get(`${base}/stores`, { headers });
      expect(response.status()).toBe(200);
      return (await response.json()).data.items[0];
    },
    async app(storeId: string): Promise<{ id: string }> {
      const response = await request.get(`${base}/stores/${storeId}/published-applications`, { headers });
      expect(response.status()).toBe(200);
      return (await response.json()).data.items[0];
    },
    async createUsers(
      storeId: string,
      body: { email: string | string[]; publishedApplicationId: string; allowedDownloadsNum?: number },
    ) {
      const response = await request.post(`${base}/stores/${storeId}/otp-users`, { headers, data: body });
      expect(response.status(), await response.text()).toBe(200);
      return (await response.json()).data as { id: string; email: string; allowedDownloadsNum: number }[];
    },
    async getUser(storeId: string, otpUserId: string) {
      return request.get(`${base}/stores/${storeId}/otp-users/${otpUserId}`, { headers });
    },
  };
}

/** A tRPC mutation over HTTP with an API key, as any script would call it. */
export async function trpcMutation<T>(
  request: APIRequestContext,
  apiKey: string,
  procedure: string,
  input: unknown,
) {
  const response = await request.post(`/api/trpc/${procedure}`, {
    headers: { authorization: `Bearer ${apiKey}` },
    data: input,
  });
  return { status: response.status(), body: (await response.json()) as { result?: { data: T } } };
}

/** Sends organization `demo`'s codes (its default mail setting) to a test's own SMTP server. */
export async function sendDemoMailTo(request: APIRequestContext, smtpPort: number): Promise<void> {
  const smtp = await trpcMutation(request, E2E.demoApiKey, 'otpSettings.upsertSmtp', {
    type: 'MAIL',
    provider: 'DEFAULT',
    isDefault: true,
    smtpHost: '127.0.0.1',
    smtpPort,
    transportStrategy: 'SMTP',
    fromAddress: 'no-reply@demo.example',
  });
  expect(smtp.status, JSON.stringify(smtp.body)).toBe(200);
}

/** Invites an admin with an API key; a new account comes with its initial password. */
export async function inviteMember(
  request: APIRequestContext,
  apiKey: string,
  email: string,
  role: 'OWNER' | 'ADMIN' | 'VIEWER',
): Promise<string | null> {
  const { status, body } = await trpcMutation<{ initialPassword: string | null }>(
    request,
    apiKey,
    'member.invite',
    {
      email,
      role,
    },
  );
  expect(status, JSON.stringify(body)).toBe(200);
  return body.result!.data.initialPassword;
}

/**
 * A small screenshot of the page. Every run takes it (a rendering failure fails the test); it
 * replaces the README's picture in docs/screenshots only with UPDATE_SCREENSHOTS=1, so a test run
 * leaves the working tree clean.
 */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const update = process.env.UPDATE_SCREENSHOTS === '1';
  await page.screenshot({
    path: update
      ? path.resolve(testInfo.project.testDir, '../docs/screenshots', `${name}.png`)
      : testInfo.outputPath(`${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    // Toasts come and go; the page is what the picture is for.
    style: '.mantine-Notifications-root { display: none !important; }',
  });
}

/** The store's OTP-user table in the browser. */
export async function openStore(page: Page, space = 'demo'): Promise<void> {
  await page.goto(`/console/${space}`);
  await expect(page).toHaveURL(new RegExp(`/console/${space}/stores/[0-9a-f]{24}`));
  await expect(page.getByRole('heading', { name: 'OTP users' })).toBeVisible();
}

export function usersTable(page: Page) {
  return page.getByRole('table', { name: 'OTP users' });
}

export async function searchEmail(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search by email' }).fill(text);
  await expect(page).toHaveURL(new RegExp(`[?&]email=${encodeURIComponent(text).replace(/\./g, '\\.')}`));
}

/** Collects the page's console errors (a hydration mismatch shows up here in production React). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // The browser asks for /favicon.ico on its own, whenever it likes; the app has none.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
