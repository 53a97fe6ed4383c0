// The workspace shell: served by kesu with a strict CSP, sign-in, language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp({ embedded: true });

test('pages come with a Content-Security-Policy that forbids inline scripts', async () => {
  await app.ready;
  for (const path of ['/', '/portal', '/js/app.js', '/api/health']) {
    const r = await fetch(app.url + path);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  const js = await fetch(`${app.url}/js/app.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const tag = js.headers.get('etag');
  const again = await fetch(`${app.url}/js/app.js`, { headers: { 'If-None-Match': tag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${app.url}/js/nope.js`)).status, 404);
  assert.equal((await fetch(`${app.url}/.hidden`)).status, 404);
});

test('a wrong password is refused next to the form; the right one opens the workspace', async () => {
  const page = await app.page();
  await page.getByLabel('用户名').fill('zhangwei');
  await page.getByLabel('密码').fill('wrong-password-123');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.form-error, .field-error:not(:empty)').first().waitFor();
  await shot(page, 'login');
  await signIn(page, 'zhangwei');
  await assert.doesNotReject(page.getByRole('button', { name: '退出' }).waitFor());
});

test('the language switches between Chinese and English and is remembered', async () => {
  const page = await app.page();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await signIn(page, 'lina');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByTestId('lang-switch').click();
  await page.getByRole('button', { name: '退出' }).waitFor();
});
