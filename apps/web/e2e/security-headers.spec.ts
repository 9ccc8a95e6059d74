import { startMailSink } from '@otp-access/api';
import type { APIResponse, Page, Response } from '@playwright/test';
import { baseURL, E2E } from './env';
import { OWNER, rest, sendDemoMailTo, signIn, uniqueSuffix } from './helpers';
import { expect, test } from './test';

type Kind = 'page' | 'api';

/** The hardening every answer carries; pages and API answers differ only in their CSP. */
function expectSecurityHeaders(headers: Record<string, string>, kind: Kind, what: string) {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  if (kind === 'page') {
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).toContain("base-uri 'self'");
    expect(csp, what).toContain("form-action 'self'");
    expect(csp, what).not.toContain('unsafe-eval');
    // Scripts run by this answer's nonce only: no 'unsafe-inline' for scripts.
    const scriptSrc =
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src ')) ?? '';
    expect(scriptSrc, what).toMatch(/'nonce-[A-Za-z0-9+/]{16,}={0,2}'/);
    expect(scriptSrc, what).toContain("'strict-dynamic'");
    expect(scriptSrc, what).not.toContain('unsafe-inline');
  } else {
    expect(csp, what).toContain("default-src 'none'");
  }
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy'], what).toContain('camera=()');
  expect(headers['permissions-policy'], what).toContain('geolocation=()');
  // Plain http (no request here claims https through a proxy): no HSTS.
  expect(headers['strict-transport-security'], what).toBeUndefined();
}

/**
 * Every CSP violation the page reports, from the DOM event (registered before any page script
 * runs) and from the browser's own console line.
 */
function watchPage(page: Page) {
  const violations: string[] = [];
  const responses: Response[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|securitypolicyviolation/i.test(text)) violations.push(text);
  });
  page.on('pageerror', (error) => {
    if (/Content Security Policy/i.test(error.message)) violations.push(error.message);
  });
  page.on('response', (response) => {
    if (response.url().startsWith(baseURL)) responses.push(response);
  });
  return { violations, responses };
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
});

async function visit(page: Page, path: string, ready: (page: Page) => Promise<void>, status = 200) {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  expect(response!.status(), path).toBe(status);
  expectSecurityHeaders(await response!.allHeaders(), 'page', path);
  await ready(page);
  await page.waitForLoadState('networkidle');
}

/** Every answer of this origin the page loaded (documents, chunks, styles, API calls). */
async function expectAllResponsesHardened(responses: Response[]) {
  expect(responses.length).toBeGreaterThan(0);
  for (const response of responses) {
    if (response.status() >= 300 && response.status() < 400) continue;
    const path = new URL(response.url()).pathname;
    const isApi = /^\/(api|v1)\/|^\/(login|logout|refresh|validate)$/.test(path);
    expectSecurityHeaders(await response.allHeaders(), isApi ? 'api' : 'page', path);
  }
}

test('every page answers with the security headers and runs without a CSP violation', async ({
  page,
  request,
  consoleGuard,
}) => {
  // The not-found page is among the pages checked: the browser reports its 404.
  consoleGuard.allow(/status of 404 .*\/no-such-page\)$/);
  test.setTimeout(180_000);
  const { violations, responses } = watchPage(page);
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  const [otpUser] = await demo.createUsers(store.id, {
    email: `headers-${uniqueSuffix()}@demo.example`,
    publishedApplicationId: app.id,
  });

  await visit(page, '/sign-in', (p) => expect(p.getByRole('button', { name: 'Sign in' })).toBeVisible());
  // This server has organizations: the setup page only says it is closed.
  await visit(page, '/setup', (p) =>
    expect(p.getByRole('heading', { name: 'Setup is closed' })).toBeVisible(),
  );
  await visit(page, '/docs/api', (p) =>
    expect(p.getByRole('link', { name: /List the stores of the organization/ })).toBeVisible({
      timeout: 30_000,
    }),
  );
  await visit(page, `/store/${store.id}`, (p) =>
    expect(p.getByRole('button', { name: 'Send me a code' })).toBeVisible(),
  );
  await visit(
    page,
    '/no-such-page',
    (p) => expect(p.getByText(/could not be found|404/i).first()).toBeVisible(),
    404,
  );

  await signIn(page, OWNER.email, OWNER.password);
  const consolePages: [string, string][] = [
    ['/', 'OTP users'],
    ['/console', 'OTP users'],
    ['/console/demo', 'OTP users'],
    ['/console/demo/stores', 'OTP users'],
    [`/console/demo/stores/${store.id}`, 'OTP users'],
    [`/console/demo/stores/${store.id}/otp-users/${otpUser!.id}`, otpUser!.email],
    ['/console/demo/api-keys', 'API keys'],
    ['/console/demo/members', 'Members'],
    ['/console/demo/audit', 'Audit log'],
    ['/console/demo/delivery', 'Delivery'],
    ['/console/demo/settings', 'Sign-in codes'],
  ];
  for (const [path, text] of consolePages) {
    await visit(page, path, (p) => expect(p.getByText(text, { exact: true }).first()).toBeVisible());
  }

  expect(violations).toEqual([]);
  await expectAllResponsesHardened(responses);
});

test('every page script carries the nonce of its own answer, new on every answer', async ({ request }) => {
  const nonces: string[] = [];
  for (const path of ['/sign-in', '/sign-in', '/docs/api']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1];
    expect(nonce, path).toBeTruthy();
    nonces.push(nonce!);
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});

test('every API surface answers with the security headers, errors included', async ({ request }) => {
  const key = { authorization: `Bearer ${E2E.demoApiKey}` };
  const demo = rest(request);
  const store = await demo.store();
  const app = await demo.app(store.id);
  const answers: [string, Promise<APIResponse>][] = [
    ['GET /api/health', request.get('/api/health')],
    ['GET /api/ready', request.get('/api/ready')],
    ['GET /api/openapi.json', request.get('/api/openapi.json')],
    ['GET /v1 stores', request.get('/v1/organizations/demo/stores', { headers: key })],
    ['GET /v1 without a key', request.get('/v1/organizations/demo/stores')],
    ['GET /v1 unknown route', request.get('/v1/nothing-here', { headers: key })],
    ['GET /api/trpc query', request.get('/api/trpc/store.list', { headers: key })],
    ['POST /api/trpc unknown procedure', request.post('/api/trpc/no.such', { headers: key, data: {} })],
    ['GET /api/otp/settings', request.get('/api/otp/settings', { headers: key })],
    ['GET /api/otp/settings without auth', request.get('/api/otp/settings')],
    [
      'POST /login wrong password',
      request.post('/login', { data: { username: 'nobody@x.example', password: 'x' } }),
    ],
    ['POST /refresh without a token', request.post('/refresh')],
    ['POST /logout', request.post('/logout')],
    [
      'POST /validate',
      request.post('/validate', { data: { username: 'nobody@x.example', otp_code: '000000' } }),
    ],
    ['GET store download signed out', request.get(`/api/store/${store.id}/apps/${app.id}/download`)],
  ];
  for (const [what, pending] of answers) {
    const response = await pending;
    expectSecurityHeaders(response.headers(), 'api', `${what} (${response.status()})`);
  }
});

interface SetCookie {
  name: string;
  attributes: Map<string, string>;
}

function setCookies(response: APIResponse): SetCookie[] {
  return response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => {
      const [pair, ...rest] = h.value.split(';').map((part) => part.trim());
      const attributes = new Map(
        rest.map((part) => {
          const [name, ...value] = part.split('=');
          return [name!.toLowerCase(), value.join('=')] as [string, string];
        }),
      );
      return { name: pair!.split('=')[0]!, attributes };
    });
}

function expectSessionCookie(cookie: SetCookie | undefined, secure: boolean) {
  expect(cookie).toBeDefined();
  expect(cookie!.attributes.has('httponly'), cookie!.name).toBe(true);
  expect(cookie!.attributes.get('samesite')?.toLowerCase(), cookie!.name).toBe('lax');
  expect(cookie!.attributes.get('path'), cookie!.name).toBe('/');
  expect(cookie!.attributes.has('secure'), cookie!.name).toBe(secure);
}

test('admin session cookies: HttpOnly, SameSite=Lax, Path=/, Secure only over https', async ({
  playwright,
}) => {
  for (const secure of [false, true]) {
    const api = await playwright.request.newContext({
      baseURL,
      // What a TLS-terminating proxy tells the app; the README documents Secure cookies then
      // (the server here runs with TRUST_PROXY, as behind such a proxy).
      extraHTTPHeaders: secure ? { 'x-forwarded-proto': 'https' } : {},
    });
    try {
      const login = await api.post('/login', { data: { username: OWNER.email, password: OWNER.password } });
      expect(login.status()).toBe(200);
      const issued = setCookies(login);
      expectSessionCookie(
        issued.find((c) => c.name === 'ins_access_token'),
        secure,
      );
      expectSessionCookie(
        issued.find((c) => c.name === 'ins_refresh_token'),
        secure,
      );

      const switched = await api.post('/api/trpc/auth.switchSpace', { data: { slug: 'demo' } });
      expect(switched.status(), await switched.text()).toBe(200);
      expectSessionCookie(
        setCookies(switched).find((c) => c.name === 'ins_space'),
        secure,
      );

      const refreshed = await api.post('/refresh');
      expect(refreshed.status()).toBe(200);
      for (const name of ['ins_access_token', 'ins_refresh_token']) {
        expectSessionCookie(
          setCookies(refreshed).find((c) => c.name === name),
          secure,
        );
      }
      const logout = await api.post('/logout');
      expect(logout.status()).toBe(200);
      for (const cookie of setCookies(logout).filter((c) => c.name.startsWith('ins_'))) {
        expect(cookie.attributes.get('max-age')).toBe('0');
      }
    } finally {
      await api.dispose();
    }
  }
});

test('the store session cookie: HttpOnly, SameSite=Lax, Path=/, one hour, set by the store page', async ({
  page,
  request,
}) => {
  const { violations } = watchPage(page);
  const sink = await startMailSink();
  try {
    await sendDemoMailTo(request, sink.port);
    const demo = rest(request);
    const store = await demo.store();
    const app = await demo.app(store.id);
    const email = `store-cookie-${uniqueSuffix()}@demo.example`;
    await demo.createUsers(store.id, { email, publishedApplicationId: app.id });

    await visit(page, `/store/${store.id}`, (p) =>
      expect(p.getByRole('button', { name: 'Send me a code' })).toBeVisible(),
    );
    await page.getByLabel('Your email address').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const mail = await sink.waitFor((m) => m.to.includes(email), 15_000);
    const code = /\b(\d{6,10})\b/.exec(mail.text)?.[1];
    expect(code, mail.text).toBeTruthy();
    await page.getByLabel('Code').fill(code!);
    const verified = page.waitForResponse((r) => r.url().includes('storeAccess.verifyCode'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const response = await verified;
    expect(response.status()).toBe(200);
    await expect(page.getByText('Signed in as')).toBeVisible();

    const header = (await response.headersArray()).find(
      (h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('ota_store_session='),
    );
    expect(header?.value).toMatch(/;\s*Max-Age=3600/i);
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'ota_store_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(violations).toEqual([]);
  } finally {
    await sink.stop();
  }
});
