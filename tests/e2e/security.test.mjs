// What a complainant types is only ever text, and a handler sees nothing of
// another project's complaints. (The CSP header itself: shell.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp();

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=2">';
let number;

async function noInjection(page) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no injected <img> in the DOM');
  assert.equal(await page.locator('main script').count(), 0, 'no injected <script> in the DOM');
}

test('a complaint text holding <script> and <img onerror> renders as text', async () => {
  await app.ready;
  const r = await app.api('POST', '/api/complaints', { body: {
    channel: 'phone', project: 'HY',
    complainant: { name: `王${IMG}`, phone: '13855556666' },
    subject: `电梯${SCRIPT}${IMG}`,
    content: `第一行${SCRIPT}\n第二行${IMG}`,
    demands: `${IMG}赔偿`,
  } });
  assert.equal(r.status, 201, r.text);
  number = r.json.number;
  // and in a note, as a staff member could write
  const ev = await app.api('POST', `/api/complaints/${number}/events`, { body: { type: 'note', text: `备注${IMG}${SCRIPT}` } });
  assert.equal(ev.status, 201, ev.text);

  const page = await app.page({ path: `/#/complaints/${number}` });
  await signIn(page, 'wangfang');
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.filter({ hasText: SCRIPT }).waitFor();
  assert.equal(await page.locator('.cp-subject').textContent(), `电梯${SCRIPT}${IMG}`);
  assert.equal(await page.getByTestId('content').textContent(), `第一行${SCRIPT}\n第二行${IMG}`);
  assert.equal(await page.getByTestId('demands').textContent(), `${IMG}赔偿`);
  assert.equal(await page.getByTestId('complainant').textContent(), `王${IMG} · 其他`);
  await page.locator('.timeline li.ev-internal', { hasText: `备注${IMG}${SCRIPT}` }).waitFor();
  await noInjection(page);
  await shot(page, 'security-text');

  // the list shows the subject as text too
  await page.goto(`${app.url}/#/complaints`);
  await page.getByText(`电梯${SCRIPT}${IMG}`).first().waitFor();
  await noInjection(page);
});

test('a handler cannot see another project\'s complaint', async () => {
  const page = await app.page({ path: `/#/complaints/${number}` });
  await signIn(page, 'sunli'); // handler in BJ; the complaint is HY's
  await page.getByTestId('complaint-missing').waitFor();
  await page.getByRole('heading', { level: 1, name: '找不到该投诉' }).waitFor();
  const text = await page.locator('main').textContent();
  assert.match(text, /或您无权查看/);
  for (const secret of ['电梯', '第一行', '赔偿', '138', '5555', '6666']) {
    assert.ok(!text.includes(secret), `the page shows "${secret}"`);
  }
  await noInjection(page);
  // and the API agrees: the same answer as a number never issued
  const api = await page.evaluate(async (n) => {
    const res = await fetch(`/api/complaints/${n}`);
    return { status: res.status, body: await res.json() };
  }, number);
  assert.equal(api.status, 404);
  assert.equal(api.body.error.field, 'number');
});
