import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type APIRequestContext,
  expect,
  type Locator,
  type Page,
  request as playwrightRequest,
  type TestInfo,
} from '@playwright/test';
import { baseURL, E2E } from './env';

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

/**
 * A message the installation's own mail server sent (admin sign-in codes, invitations): the server
 * under test keeps them as JSON files in its data directory's mailbox.
 */
export async function operatorMail(
  match: (mail: { to: string[]; subject: string; text: string }) => boolean,
  timeoutMs = 15_000,
): Promise<{ to: string[]; subject: string; text: string; receivedAt: string }> {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set: run the browser tests with playwright.config.ts');
  const mailbox = path.join(dir, 'mailbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(mailbox).catch(() => [] as string[]);
    const mails = await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map(async (name) => JSON.parse(await readFile(path.join(mailbox, name), 'utf8'))),
    );
    const found = mails
      .filter(match)
      .sort((a, b) => String(b.receivedAt).localeCompare(String(a.receivedAt)))[0];
    if (found) return found;
    if (Date.now() > deadline) throw new Error('No such mail arrived in the mailbox');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Invites an admin with an API key and accepts for them, as they would from the mailed link: a new
 * account chooses a password there (returned); an existing one (`existingPassword`) signs in and
 * accepts on its account page's API.
 */
export async function inviteMember(
  request: APIRequestContext,
  apiKey: string,
  email: string,
  role: 'OWNER' | 'ADMIN' | 'VIEWER',
  existingPassword?: string,
): Promise<string> {
  const sentAfter = new Date().toISOString();
  const { status, body } = await trpcMutation<{ invitation: { id: string } }>(
    request,
    apiKey,
    'member.invite',
    {
      email,
      role,
    },
  );
  expect(status, JSON.stringify(body)).toBe(200);
  const mail = await operatorMail(
    (m) =>
      m.to.includes(email) &&
      /invitation#/.test(m.text) &&
      (m as { receivedAt?: string }).receivedAt! >= sentAfter,
  );
  const token = /invitation#([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const context = await playwrightRequest.newContext({ baseURL });
  try {
    if (existingPassword) {
      const login = await context.post('/login', { data: { username: email, password: existingPassword } });
      expect(login.status(), await login.text()).toBe(200);
      const pending = await context.get('/api/trpc/account.invitations');
      const invitations = (await pending.json()).result.data as { id: string }[];
      for (const invitation of invitations) {
        const answered = await context.post('/api/trpc/account.answerInvitation', {
          data: { id: invitation.id, accept: true },
        });
        expect(answered.status(), await answered.text()).toBe(200);
      }
      return existingPassword;
    }
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const accepted = await context.post('/api/trpc/invitation.accept', { data: { token, password } });
    expect(accepted.status(), await accepted.text()).toBe(200);
    return password;
  } finally {
    await context.dispose();
  }
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

/**
 * A delivery provider's settings, in the drawer it opens from the provider list (another open
 * drawer is closed first). The drawer is a dialog named after the provider.
 */
export async function openProvider(page: Page, title: string): Promise<Locator> {
  const drawer = page.getByRole('dialog', { name: title });
  if (await drawer.isVisible()) return drawer;
  await closeDrawers(page);
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByRole('button', { name: new RegExp(`^${escaped}`) }).click();
  await expect(drawer).toBeVisible();
  return drawer;
}

/** Closes an open drawer or dialog, so the page behind it can be used. */
export async function closeDrawers(page: Page): Promise<void> {
  const open = page.getByRole('dialog');
  if ((await open.count()) === 0) return;
  await page.keyboard.press('Escape');
  await expect(open).toHaveCount(0);
}

/** Uploads a file as a build of the application `card` shows, through the browser's file chooser. */
export async function uploadBuild(card: Locator, file: string): Promise<void> {
  const chooser = card.page().waitForEvent('filechooser');
  await card.getByRole('button', { name: 'Upload build' }).click();
  await (await chooser).setFiles(file);
}
