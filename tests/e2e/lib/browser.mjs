// Browser tests: a real `kesu serve` on a fresh demo database, driven by
// playwright-core in Debian's Chromium (never a downloaded browser).
//
//   const app = useApp();                       // before/after hooks
//   const page = await app.page({ phone: true });
//   await signIn(page, 'zhangwei');
//   await shot(page, 'intake');                 // tests/artifacts/screens/intake.png
//
// Every page fails its test on a JavaScript error, a failed request for one
// of kesu's own files, or a Content-Security-Policy violation: the checks
// run in app.page()'s `done()`, called by the hooks after each test.
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, repoRoot, TESTER_PASSWORD } from '../../api/lib/server.mjs';

export { TESTER_PASSWORD };

export const CHROMIUM = process.env.KESU_CHROMIUM || '/usr/bin/chromium';
export const DEMO_PASSWORD = 'Kesu-Demo-Passw0rd!';
export const SCREENS = join(repoRoot, 'tests', 'artifacts', 'screens');

export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

// Start kesu (fresh database with the demo projects and staff, all with
// DEMO_PASSWORD; `tester` holds centre, auditor and admin with
// TESTER_PASSWORD) and Chromium in `before`; stop both in `after`.
// The front end is served from web/ on disk (web_root), so an edit needs no
// rebuild; opts.embedded: serve the copy built into kesu instead.
// opts.env: extra KESU_* settings.
export function useApp(opts = {}) {
  const app = { pages: [] };
  let resolveReady;
  app.ready = new Promise((r) => { resolveReady = r; });
  before(async () => {
    const env = { KESU_DEMO_PASSWORD: DEMO_PASSWORD, ...(opts.env || {}) };
    if (!opts.embedded) env.KESU_WEB_ROOT = join(repoRoot, 'web');
    app.srv = await startServer({ env, demo: true });
    app.url = app.srv.url;
    app.api = (...a) => app.srv.api(...a);
    app.browser = await launchBrowser();
    resolveReady(app);
  });
  afterEach(async () => {
    const pages = app.pages.splice(0);
    const problems = [];
    for (const p of pages) {
      problems.push(...p.problems);
      await p.context.close().catch(() => {});
    }
    assert.deepEqual(problems, [], 'the page reported errors');
  });
  after(async () => {
    if (app.browser) await app.browser.close();
    if (app.srv) await app.srv.stop();
  });
  // A new browser context (own cookies) and page at kesu's URL.
  // opts.phone: a 360 px phone; opts.lang: 'zh' (default) or 'en'.
  app.page = async ({ phone = false, lang = 'zh', path = '/' } = {}) => {
    const context = await app.browser.newContext({
      ...(phone ? PHONE : DESKTOP), locale: lang === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'Europe/London',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.origin === app.url && !u.pathname.startsWith('/api/') && r.status() >= 400) problems.push(`${r.status()} ${u.pathname}`);
    });
    app.pages.push({ context, page, problems });
    if (lang === 'en') await context.addInitScript(() => localStorage.setItem('kesu.lang', 'en'));
    if (path !== null) await page.goto(app.url + path);
    return page;
  };
  return app;
}

// Sign in through the form as a demo user (every demo user has DEMO_PASSWORD).
export async function signIn(page, login, password = DEMO_PASSWORD) {
  await page.getByLabel(/用户名|User name/).fill(login);
  await page.getByLabel(/^(密码|Password)/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.locator('header.topbar').waitFor();
}

// Keep a screenshot of the page as a test artifact (not committed).
export async function shot(page, name) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}
