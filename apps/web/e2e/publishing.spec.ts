import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { startMailSink } from '@otp-access/api';
import { E2E } from './env';
import { openStore, rest, signIn, trpcMutation, uniqueSuffix, uploadBuild } from './helpers';
import { expect, test } from './test';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * In the seed's `other` organization: the applications it creates would otherwise show up in the
 * demo store that the other specs read.
 */
const OTHER_OWNER = { email: 'owner@other.example', password: E2E.ownerPassword };

test('an application gets builds from the console and from an API key; an OTP user downloads the published one', async ({
  page,
  browser,
  request,
}, testInfo) => {
  const sink = await startMailSink();
  try {
    const smtp = await trpcMutation(request, E2E.otherApiKey, 'otpSettings.upsertSmtp', {
      type: 'MAIL',
      provider: 'DEFAULT',
      isDefault: true,
      smtpHost: '127.0.0.1',
      smtpPort: sink.port,
      transportStrategy: 'SMTP',
      fromAddress: 'no-reply@other.example',
    });
    expect(smtp.status, JSON.stringify(smtp.body)).toBe(200);
    const run = uniqueSuffix();
    const appName = `Field App ${run}`;

    // The console: a new application in the store, and a first build uploaded with progress.
    await signIn(page, OTHER_OWNER.email, OTHER_OWNER.password);
    await openStore(page, 'other');
    await page.getByRole('link', { name: 'Applications and builds' }).click();
    await expect(page.getByRole('heading', { name: 'Applications', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'New application' }).click();
    const dialog = page.getByRole('dialog', { name: 'New application' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(appName);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const card = page.getByRole('region', { name: appName });
    await expect(card.getByText('No build published yet')).toBeVisible();

    const consoleBuild = randomBytes(300_000);
    const consoleFile = testInfo.outputPath('console-build.bin');
    await writeFile(consoleFile, consoleBuild);
    await uploadBuild(card, consoleFile);
    const builds = card.getByRole('table', { name: `Builds of ${appName}` });
    await expect(builds.getByRole('row', { name: /console-build\.bin/ })).toContainText('Published');

    // A CI pipeline: one multipart POST with the organization's API key (what `curl -F` sends).
    const store = await rest(request, E2E.otherApiKey, 'other').store();
    const apps = await request.get(
      `/v1/organizations/other/stores/${store.id}/published-applications?limit=100`,
      {
        headers: { authorization: `Bearer ${E2E.otherApiKey}` },
      },
    );
    const app = ((await apps.json()).data.items as { id: string; name: string }[]).find(
      (a) => a.name === appName,
    )!;
    const ciBuild = randomBytes(500_000);
    const uploaded = await request.post(
      `/v1/organizations/other/stores/${store.id}/published-applications/${app.id}/builds`,
      {
        headers: { authorization: `Bearer ${E2E.otherApiKey}` },
        multipart: { file: { name: 'ci-build.apk', mimeType: 'application/octet-stream', buffer: ciBuild } },
      },
    );
    expect(uploaded.status(), await uploaded.text()).toBe(200);
    expect((await uploaded.json()).data).toMatchObject({ sha256: sha256(ciBuild), published: false });

    // Back in the console, the CI build is chosen as the published one.
    await page.reload();
    const ciRow = builds.getByRole('row', { name: /ci-build\.apk/ });
    await ciRow.getByRole('button', { name: 'Publish ci-build.apk' }).click();
    await expect(ciRow).toContainText('Published');
    await expect(builds.getByRole('row', { name: /console-build\.bin/ })).not.toContainText('Published');

    // At 390 px the page still fits: the builds table scrolls inside its card, not the page. Polled:
    // the navigation slides away after the resize, and mid-slide the page is briefly wider.
    await page.setViewportSize({ width: 390, height: 800 });
    await expect(ciRow).toBeAttached();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(390);
    await expect(card.getByRole('button', { name: 'Upload build' })).toBeVisible();

    // An OTP user of the application signs in to the store with a code and downloads the build.
    const email = `downloader-${run}@users.example`;
    await rest(request, E2E.otherApiKey, 'other').createUsers(store.id, {
      email,
      publishedApplicationId: app.id,
      allowedDownloadsNum: 2,
    });
    const visitor = await browser.newContext();
    const storePage = await visitor.newPage();
    await storePage.goto(`/store/${store.id}`);
    await storePage.getByLabel('Your email address').fill(email);
    await storePage.getByRole('button', { name: 'Send me a code' }).click();
    const mail = await sink.waitFor((m) => m.to.includes(email), 15_000);
    const code = /\b(\d{6,10})\b/.exec(`${mail.subject}\n${mail.text}`)?.[1];
    expect(code, mail.text).toBeTruthy();
    await storePage.getByLabel('Code').fill(code!);
    await storePage.getByRole('button', { name: 'Sign in' }).click();
    const item = storePage.getByRole('listitem').filter({ hasText: appName });
    await expect(item).toContainText('2 downloads left');
    const downloading = storePage.waitForEvent('download');
    await item.getByRole('link', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('ci-build.apk');
    const saved = testInfo.outputPath('downloaded.apk');
    await download.saveAs(saved);
    expect(sha256(await readFile(saved))).toBe(sha256(ciBuild));
    await expect(item).toContainText('1 download left');
    await visitor.close();
  } finally {
    await sink.stop();
  }
});
