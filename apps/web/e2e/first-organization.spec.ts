/**
 * The acceptance journey of a new installation, as the README tells an operator to go: on an empty
 * PostgreSQL database, create the first organization and its owner on the setup page, sign in, set
 * the code policy and templates, point the mail setting at an SMTP server, create a store and an
 * application, upload one build in the console and another with an API key (what `curl -F` sends),
 * publish it, add an OTP user; that user signs in to the store with the mailed code and downloads
 * the build, which is byte for byte the file uploaded.
 *
 * It runs on a server of its own (e2e/first-run-server.ts started again on E2E_PORT+2, on a new
 * empty database) rather than on the config's first-run server: setup works once per database, and
 * first-run.spec.ts needs it open, so sharing that server would make the two specs depend on their
 * order (and on the other one cleaning up after a failure). The server starts only when this spec
 * runs, and the wrapper drops its database when it stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMailSink } from '@otp-access/api';
import { type Page, request as playwrightRequest } from '@playwright/test';
import { E2E, journeyURL } from './env';
import { closeDrawers, openProvider, uploadBuild } from './helpers';
import { expect, test } from './test';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const OWNER = { email: 'owner@northwind.example', password: 'northwind-owner-password-7' };
const ORGANIZATION = { name: 'Northwind Labs', slug: 'northwind' };
const POLICY = {
  codeLength: '8',
  minutes: '7',
  subject: '{{organization}} sign-in code',
  body: 'Hello! Your code for {{organization}} is {{code}}. It expires in {{minutes}} minutes.',
};

test.use({ baseURL: journeyURL });
test.describe.configure({ mode: 'serial' });

let dir: string;
let server: ChildProcess | undefined;
let serverExited: Promise<void> | undefined;

const serverLog = () => readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');

test.beforeAll(async () => {
  const testInfo = test.info();
  // Starting a server (migrations included) on a busy machine takes a while.
  testInfo.setTimeout(3 * 60_000);
  dir = await mkdtemp(path.join(tmpdir(), 'otp-access-e2e-journey-'));
  server = spawn(process.execPath, ['--import', 'tsx', 'e2e/first-run-server.ts'], {
    cwd: path.resolve(testInfo.project.testDir, '..'),
    env: {
      ...process.env,
      PORT: String(E2E.journeyPort),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      E2E_FIRST_RUN_LOG: path.join(dir, 'server.log'),
      MAIL_SINK_PORT: '0',
      // The organization's mail goes to the test's SMTP server on loopback, which an operator
      // must allow explicitly (the outbound address policy refuses loopback otherwise).
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const child = server;
  serverExited = new Promise((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 170_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The journey's server exited: ${await serverLog()}`);
    const healthy = await fetch(`${journeyURL}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`The journey's server did not start: ${await serverLog()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await serverExited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(OWNER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/console/${ORGANIZATION.slug}/stores$`));
}

test('from an empty database to an OTP user downloading the published build', async ({
  page,
  browser,
  consoleGuard,
}, testInfo) => {
  test.setTimeout(4 * 60_000);
  const sink = await startMailSink();
  const api = await playwrightRequest.newContext({ baseURL: journeyURL });
  try {
    // 1. First run: the setup token from the server log, the organization and its owner.
    const log = await serverLog();
    expect(log).toContain('No organization yet.');
    const token = /Setup token \(shown once\): (\S+)/.exec(log)?.[1];
    expect(token, log).toBeTruthy();
    await page.goto('/setup');
    await page.getByLabel('Setup token').fill(token!);
    await page.getByRole('textbox', { name: 'Organization name' }).fill(ORGANIZATION.name);
    await page.getByRole('textbox', { name: 'Organization slug' }).fill(ORGANIZATION.slug);
    await page.getByRole('textbox', { name: 'Owner email' }).fill(OWNER.email);
    await page.getByLabel('Owner password').fill(OWNER.password);
    await page.getByLabel('Repeat the password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('heading', { name: `${ORGANIZATION.name} is ready` })).toBeVisible();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page);

    // 2. Settings: the code policy and the templates, checked in the preview before saving.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
    await page.getByRole('textbox', { name: 'Code length' }).fill(POLICY.codeLength);
    await page.getByRole('textbox', { name: 'Valid for (minutes)' }).fill(POLICY.minutes);
    await page.getByRole('textbox', { name: 'Mail subject' }).fill(POLICY.subject);
    await page.getByRole('textbox', { name: 'Mail text' }).fill(POLICY.body);
    const preview = page.getByTestId('preview-mail');
    await expect(preview).toContainText(`${ORGANIZATION.name} sign-in code`);
    await expect(preview).toContainText(
      `Your code for ${ORGANIZATION.name} is 12345678. It expires in 7 minutes.`,
    );
    await page.getByRole('button', { name: 'Save code settings' }).click();
    await expect(page.getByText('New codes follow them from now on.')).toBeVisible();

    // 3. Delivery: the organization's mail goes to the test's SMTP server.
    await nav.getByRole('link', { name: 'Delivery' }).click();
    await expect(page.getByRole('heading', { name: 'Delivery', level: 1 })).toBeVisible();
    // Like delivery.spec's SMTP step on purpose: this journey fills the form as a person would, with its own sender.
    const smtp = await openProvider(page, 'Email · SMTP');
    await smtp.getByRole('textbox', { name: 'SMTP host' }).fill('127.0.0.1');
    await smtp.getByRole('textbox', { name: 'Port' }).fill(String(sink.port));
    await smtp.getByRole('textbox', { name: 'From address' }).fill('codes@northwind.example');
    await smtp.getByRole('combobox', { name: 'Security' }).click();
    await page.getByRole('option', { name: 'STARTTLS when offered' }).click();
    await smtp.getByRole('switch', { name: 'Use for email codes by default' }).check();
    await smtp.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Settings saved' }).last()).toBeVisible();
    await expect(smtp.getByText('Default for email')).toBeVisible();
    await closeDrawers(page);

    // 4. A store, and an application in it.
    await nav.getByRole('link', { name: 'OTP users' }).click();
    await expect(page.getByRole('heading', { name: 'Stores' })).toBeVisible();
    await page.getByRole('button', { name: 'New store' }).click();
    const newStore = page.getByRole('dialog', { name: 'New store' });
    await newStore.getByRole('textbox', { name: 'Name' }).fill('Field Team');
    await newStore.getByRole('textbox', { name: 'Description' }).fill('Builds for the field team.');
    await newStore.getByRole('button', { name: 'Create store' }).click();
    const storeLink = page.getByRole('table', { name: 'Stores' }).getByRole('link', { name: 'Field Team' });
    const storeId = /stores\/([0-9a-f]{24})/.exec((await storeLink.getAttribute('href'))!)![1]!;
    await storeLink.click();
    await expect(page.getByRole('heading', { name: 'OTP users' })).toBeVisible();
    await page.getByRole('link', { name: 'Applications and builds' }).click();
    await expect(page.getByRole('heading', { name: 'Applications', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'New application' }).click();
    const newApp = page.getByRole('dialog', { name: 'New application' });
    await newApp.getByRole('textbox', { name: 'Name' }).fill('Field App');
    await newApp.getByRole('button', { name: 'Create' }).click();
    await expect(newApp).toBeHidden();
    const card = page.getByRole('region', { name: 'Field App' });
    await expect(card.getByText('No build published yet')).toBeVisible();

    // 5. A first build uploaded in the console.
    const consoleBuild = randomBytes(400_000);
    const consoleFile = testInfo.outputPath('field-app-1.0.bin');
    await writeFile(consoleFile, consoleBuild);
    await uploadBuild(card, consoleFile);
    const builds = card.getByRole('table', { name: 'Builds of Field App' });
    await expect(builds.getByRole('row', { name: /field-app-1\.0\.bin/ })).toContainText('Published');

    // 6. A CI key, created on the API keys page and shown once: it publishes, and it may list the
    // store's applications, which is how a pipeline finds the application's id (the REST listing
    // asks for the OTP-user list permission, as the Applivery API does).
    const appsPage = page.url();
    await nav.getByRole('link', { name: 'API keys' }).click();
    await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'Create API key' });
    await keyDialog.getByLabel('Name').fill('CI uploads');
    await keyDialog.getByRole('checkbox', { name: 'Create applications, upload and publish builds' }).check();
    await keyDialog.getByRole('checkbox', { name: 'List OTP users' }).check();
    await keyDialog.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'API key “CI uploads”' });
    const apiKey = (await reveal.getByTestId('secret-value').textContent())!.trim();
    await reveal.getByRole('button', { name: 'Done' }).click();

    // 7. The CI upload: one multipart POST with the key and nothing else (what `curl -F` sends).
    const auth = { authorization: `Bearer ${apiKey}` };
    const base = `/v1/organizations/${ORGANIZATION.slug}/stores/${storeId}`;
    const listed = await api.get(`${base}/published-applications`, { headers: auth });
    expect(listed.status(), await listed.text()).toBe(200);
    const app = ((await listed.json()).data.items as { id: string; name: string }[]).find(
      (a) => a.name === 'Field App',
    );
    expect(app).toBeTruthy();
    const ciBuild = randomBytes(600_000);
    const uploaded = await api.post(`${base}/published-applications/${app!.id}/builds`, {
      headers: auth,
      multipart: {
        file: { name: 'field-app-1.1.apk', mimeType: 'application/octet-stream', buffer: ciBuild },
      },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(200);
    expect((await uploaded.json()).data).toMatchObject({
      fileName: 'field-app-1.1.apk',
      size: ciBuild.length,
      sha256: sha256(ciBuild),
      published: false,
    });

    // 8. Back in the console, the CI build becomes the published one.
    await page.goto(appsPage);
    const ciRow = builds.getByRole('row', { name: /field-app-1\.1\.apk/ });
    await ciRow.getByRole('button', { name: 'Publish field-app-1.1.apk' }).click();
    await expect(ciRow).toContainText('Published');
    await expect(builds.getByRole('row', { name: /field-app-1\.0\.bin/ })).not.toContainText('Published');

    // 9. An OTP user of the application, added in the console.
    const email = 'technician@northwind.example';
    await page.goto(`/console/${ORGANIZATION.slug}/stores/${storeId}`);
    await expect(page.getByRole('heading', { name: 'OTP users' })).toBeVisible();
    await page.getByRole('button', { name: 'Add users' }).first().click();
    const addUsers = page.getByRole('dialog', { name: 'Add OTP users' });
    await expect(addUsers.getByRole('combobox', { name: 'Published application' })).toHaveValue(/Field App/);
    await addUsers.getByRole('textbox', { name: 'Emails' }).fill(email);
    await addUsers.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('1 user can now sign in.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'OTP users' })).toContainText(email);

    // 10. The OTP user, in a browser of their own: a code by mail, in the organization's words.
    const visitor = await browser.newContext({ baseURL: journeyURL });
    try {
      const store = await visitor.newPage();
      consoleGuard.watch(store);
      await store.goto(`/store/${storeId}`);
      await expect(store.getByRole('heading', { name: 'Field Team' })).toBeVisible();
      await store.getByLabel('Your email address').fill(email);
      await store.getByRole('button', { name: 'Send me a code' }).click();
      const mail = await sink.waitFor((m) => m.to.includes(email), 20_000);
      expect(mail.subject).toBe(`${ORGANIZATION.name} sign-in code`);
      const body = /Hello! Your code for Northwind Labs is (\d+)\. It expires in 7 minutes\./.exec(mail.text);
      expect(body, mail.text).toBeTruthy();
      const code = body![1]!;
      expect(code).toHaveLength(8);
      await store.getByLabel('Code').fill(code);
      await store.getByRole('button', { name: 'Sign in' }).click();

      // 11. The download is the published build, byte for byte.
      const item = store.getByRole('listitem').filter({ hasText: 'Field App' });
      await expect(item).toContainText('Unlimited downloads');
      // Like publishing.spec's download check on purpose: each journey ends on its own build, byte for byte.
      const downloading = store.waitForEvent('download');
      await item.getByRole('link', { name: 'Download' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('field-app-1.1.apk');
      const saved = testInfo.outputPath('downloaded.apk');
      await download.saveAs(saved);
      expect(sha256(await readFile(saved))).toBe(sha256(ciBuild));
    } finally {
      await visitor.close();
    }
  } finally {
    await api.dispose();
    await sink.stop();
  }
});
