// The complaint list: full text, a status filter kept in the link, keyset
// pages ("load more") without duplicates, saved filters, phone cards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp();
const TOTAL = 30;
const WEB = 4; // filed on the web: status received
const created = [];

before(async () => {
  await app.ready;
  for (let i = 1; i <= TOTAL; i++) {
    const web = i <= WEB;
    const r = await app.api('POST', '/api/complaints', { body: {
      channel: web ? 'web' : 'phone', project: 'HY', building: `${(i % 12) + 1}栋`,
      complainant: { name: `业主${i}`, phone: `1391234${String(i).padStart(4, '0')}` },
      subject: i === 17 ? '垃圾清运不及时，楼道异味' : `测试投诉 ${i} 号 噪音扰民`,
      content: `第 ${i} 条测试内容`, category: 'environment',
    } });
    assert.equal(r.status, 201, r.text);
    created.push(r.json.number);
  }
  // two raised to grade A, one of them dispatched to lina
  for (const n of [created[9], created[19]]) {
    const g = await app.api('POST', `/api/complaints/${n}/triage`, { body: { grade: 'A', reason: '影响面大' } });
    assert.equal(g.status, 200, g.text);
  }
  const a = await app.api('POST', `/api/complaints/${created[19]}/assign`, { body: { handler: 'lina' } });
  assert.equal(a.status, 200, a.text);
});

const ROWS = '[data-testid="complaint-table"] tbody tr[data-number]';
const rowNumbers = (page) => page.locator(ROWS).evaluateAll((trs) => trs.map((tr) => tr.dataset.number));
const waitRows = (page, n) => page.waitForFunction(([sel, want]) =>
  !document.querySelector('.list-results[aria-busy]') && document.querySelectorAll(sel).length === want, [ROWS, n]);

async function openList(page, hash = '') {
  await signIn(page, 'wangfang');
  await page.goto(`${app.url}/#/complaints${hash}`);
  await page.getByRole('heading', { name: '投诉列表', level: 1 }).waitFor();
}

test('the list pages with "load more" through every complaint, once each', async () => {
  const page = await app.page();
  await openList(page);
  await waitRows(page, 25);
  await page.getByText('已显示 25 条').waitFor();
  const first = await rowNumbers(page);
  assert.equal(first[0], created.at(-1), 'newest first');
  await page.getByRole('button', { name: '加载更多' }).click();
  await waitRows(page, TOTAL);
  const all = await rowNumbers(page);
  assert.equal(new Set(all).size, all.length, 'no duplicates');
  assert.deepEqual([...all].sort(), [...created].sort());
  await page.getByText(`共 ${TOTAL} 条`).waitFor();
  assert.equal(await page.getByRole('button', { name: '加载更多' }).isVisible(), false);
  // a row links to the complaint's page
  assert.equal(await page.locator(ROWS).first().getByRole('link').getAttribute('href'), `#/complaints/${created.at(-1)}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'list');
});

test('the full-text box finds a complaint by a Chinese word', async () => {
  const page = await app.page();
  await openList(page);
  await waitRows(page, 25);
  await page.getByRole('searchbox', { name: '搜索' }).fill('垃圾');
  await page.getByRole('searchbox', { name: '搜索' }).press('Enter');
  await waitRows(page, 1);
  await page.locator(ROWS).getByText('垃圾清运不及时').waitFor();
  assert.match(decodeURIComponent(page.url()), /q=垃圾/);
});

test('a status filter narrows the list and survives a reload', async () => {
  const page = await app.page();
  await openList(page);
  await waitRows(page, 25);
  await page.getByLabel('状态').selectOption('received');
  await waitRows(page, WEB);
  assert.match(page.url(), /status=received/);
  for (const tr of await page.locator(ROWS).all()) await tr.getByText('待受理').waitFor();
  await page.reload();
  await waitRows(page, WEB);
  assert.equal(await page.getByLabel('状态').inputValue(), 'received');
  // back to everything
  await page.getByRole('button', { name: '清除条件' }).click();
  await waitRows(page, 25);
  assert.doesNotMatch(page.url(), /status=/);
});

test('a filter is saved, reapplied from its link and deleted', async () => {
  const page = await app.page();
  await openList(page, '?status=received');
  await waitRows(page, WEB);
  await page.getByRole('button', { name: '保存当前筛选' }).click();
  // a name is needed
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('.save-filter .field-error').getByText('请填写名称').waitFor();
  await page.getByLabel('筛选名称').fill('网站待受理');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const saved = page.locator('.saved-list').getByRole('link', { name: '网站待受理' });
  await saved.waitFor();

  await page.goto(`${app.url}/#/complaints`);
  await waitRows(page, 25);
  await page.reload(); // kept in this browser
  await saved.click();
  await waitRows(page, WEB);
  assert.match(page.url(), /status=received/);
  assert.equal(await page.getByLabel('状态').inputValue(), 'received');

  await page.getByRole('button', { name: '删除筛选“网站待受理”' }).click();
  await page.locator('.saved-list').getByText('还没有保存的筛选').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('kesu.savedFilters.wangfang')), '[]');
});

test('on a 360 px phone the rows are cards and the page does not scroll sideways', async () => {
  const page = await app.page({ phone: true });
  await openList(page);
  await waitRows(page, 25);
  assert.equal(await page.locator('[data-testid="complaint-table"] thead').isVisible(), false);
  const first = page.locator(ROWS).first();
  const box = await first.boundingBox();
  assert.ok(box.width <= 360 && box.height > 80, `a card, not a table row: ${JSON.stringify(box)}`);
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= 360),
    `scrollWidth ${await page.evaluate(() => document.scrollingElement.scrollWidth)}`);
  await shot(page, 'list-phone');
});

test('grade and handler filters narrow the list, stay in the link and show the handler', async () => {
  const page = await app.page();
  await openList(page);
  await waitRows(page, 25);
  await page.getByLabel('等级').selectOption('A');
  await waitRows(page, 2);
  assert.match(page.url(), /grade=A/);
  assert.deepEqual((await rowNumbers(page)).sort(), [created[9], created[19]].sort());
  // the handler column: a name, or that nobody has it yet
  await page.locator(`${ROWS}[data-number="${created[19]}"] .col-handler`).getByText('李娜').waitFor();
  await page.locator(`${ROWS}[data-number="${created[9]}"] .col-handler`).getByText('未派单').waitFor();

  // a supervisor picks the handler by name from the project's staff
  await page.locator('select[name="handler"] option[value="lina"]').waitFor({ state: 'attached' });
  await page.getByLabel('处理人').selectOption('lina');
  await waitRows(page, 1);
  assert.match(page.url(), /grade=A/);
  assert.match(page.url(), /handler=lina/);
  assert.deepEqual(await rowNumbers(page), [created[19]]);
  await page.reload();
  await waitRows(page, 1);
  assert.equal(await page.getByLabel('等级').inputValue(), 'A');
  assert.equal(await page.getByLabel('处理人').inputValue(), 'lina');

  // nothing of these is overdue yet, and nothing was returned
  await page.getByLabel('处理人').selectOption('');
  await waitRows(page, 2);
  await page.getByLabel('时限').selectOption('overdue');
  await page.locator('[data-testid="complaint-table"] tr.empty').waitFor();
  assert.match(page.url(), /clock=overdue/);
  await page.getByLabel('时限').selectOption('');
  await waitRows(page, 2);
  await page.getByLabel('只看被退回的派单').check();
  await page.locator('[data-testid="complaint-table"] tr.empty').waitFor();
  assert.match(page.url(), /returned=1/);
  await page.getByRole('button', { name: '清除条件' }).click();
  await waitRows(page, 25);
  assert.equal(await page.getByLabel('只看被退回的派单').isChecked(), false);
});
