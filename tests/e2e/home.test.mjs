// The home view: what each role has to do now. The parts are the list's
// filters (handler=me, clock=overdue|due_soon, returned=1), and each count
// leads to the list with the same filters. The server reads "now" from a
// file the last test moves forward, so a deadline passes without waiting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp, signIn, shot } from './lib/browser.mjs';

const clockDir = mkdtempSync(join(tmpdir(), 'kesu-home-clock-'));
const clockFile = join(clockDir, 'now');
const DAY = 24 * 3600_000;
let T0 = Date.now();
const setNow = (ms) => writeFileSync(clockFile, `${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}\n`);
setNow(T0);
after(() => rmSync(clockDir, { recursive: true, force: true }));

const app = useApp({ env: { KESU_CLOCK_FILE: clockFile, KESU_SCHEDULER_INTERVAL_MS: '100' } });
let assigned; let waiting; let injured; let returned;
const stat = (page, key) => page.locator(`[data-stat="${key}"] .n`);

before(async () => {
  await app.ready;
  // "now" from here on: not before the demo accounts' passwords were set
  // (a session older than its password is refused)
  T0 = Date.now();
  setNow(T0);
  const file = async (body) => {
    const r = await app.api('POST', '/api/complaints', { body: {
      channel: 'phone', project: 'HY', complainant: { name: '赵先生', phone: '13912340000' }, ...body } });
    assert.equal(r.status, 201, r.text);
    return r.json.number;
  };
  assigned = await file({ subject: '5栋电梯异响', content: '电梯运行时有异响', category: 'equipment', subcategory: 'lift' });
  const a = await app.api('POST', `/api/complaints/${assigned}/assign`, { body: { handler: 'lina', reason: '工程部处理' } });
  assert.equal(a.status, 200, a.text);
  waiting = await file({ subject: '小区门禁卡失灵', content: '东门门禁刷卡无反应', category: 'security' });
  injured = await file({ subject: '大堂地滑摔伤', content: '老人在大堂滑倒', flags: { injury: true } });
});

test('a handler\'s home shows the complaint assigned to them and an unread notification', async () => {
  const page = await app.page();
  await signIn(page, 'lina');
  await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
  const mine = page.locator('[data-section="mine"]');
  await mine.getByRole('link', { name: assigned }).waitFor();
  await mine.getByText('5栋电梯异响').waitFor();
  await page.locator('[data-stat="mine"] .n:text-is("1")').waitFor();
  // a handler triages nothing: no dispatch queue, no returned ones
  assert.equal(await page.locator('[data-section="dispatch"]').count(), 0);
  assert.equal(await page.locator('[data-section="returned"]').count(), 0);

  const notes = page.locator('[data-section="notifications"]');
  const note = notes.getByRole('link', { name: `投诉 ${assigned} 已派给您：5栋电梯异响` });
  await note.waitFor();
  assert.equal((await page.locator('[data-stat="unread"] .n').textContent()).trim(), '1');
  await page.locator('#unread:not([hidden])').waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
  await shot(page, 'home');

  // marking it read takes it off the list and the count in the navigation
  await notes.getByRole('button', { name: `将“投诉 ${assigned} 已派给您：5栋电梯异响”标为已读` }).click();
  await notes.getByText('没有未读通知').waitFor();
  await page.locator('#unread[hidden]').waitFor({ state: 'attached' });
  assert.equal((await page.locator('[data-stat="unread"] .n').textContent()).trim(), '0');

  // the count of her open complaints is the list filtered by handler=me
  await page.locator('[data-stat="mine"]').click();
  await page.getByRole('heading', { name: '投诉列表', level: 1 }).waitFor();
  assert.match(page.url(), /handler=me/);
  assert.equal(await page.getByLabel('处理人').inputValue(), 'me');
  const row = page.locator(`[data-testid="complaint-table"] tbody tr[data-number="${assigned}"]`);
  await row.locator('.col-handler').getByText('李娜').waitFor();
  await page.waitForFunction(() => !document.querySelector('.list-results[aria-busy]'));
  assert.equal(await page.locator('[data-testid="complaint-table"] tbody tr[data-number]').count(), 1);
});

test('a supervisor sees what waits for dispatch and reaches the filtered list from its count', async () => {
  // dispatched to lina, who sends it back: waits for dispatch again, as a returned one
  const r = await app.api('POST', '/api/complaints', { body: { channel: 'phone', project: 'HY',
    complainant: { name: '钱女士', phone: '13912341111' }, subject: '车位被占用', content: '固定车位长期被外来车辆占用', category: 'security' } });
  assert.equal(r.status, 201, r.text);
  returned = r.json.number;
  const b = await app.api('POST', `/api/complaints/${returned}/assign`, { body: { handler: 'lina' } });
  assert.equal(b.status, 200, b.text);
  const back = await app.api('POST', `/api/complaints/${returned}/return`, { body: { reason: '不属于工程部' } });
  assert.equal(back.status, 200, back.text);

  const page = await app.page();
  await signIn(page, 'wangfang');
  const queue = page.locator('[data-section="dispatch"]');
  await queue.getByRole('link', { name: waiting }).waitFor();
  assert.equal(await queue.getByRole('link', { name: assigned }).count(), 0, 'in progress, not waiting');
  // the returned dispatch has its own part, and is marked in the queue
  const box = page.locator('[data-section="returned"]');
  await box.getByRole('link', { name: returned }).waitFor();
  assert.equal(await box.getByRole('link', { name: waiting }).count(), 0, 'never dispatched, not returned');
  await stat(page, 'returned').filter({ hasText: '1' }).waitFor();
  await queue.locator('li', { has: page.getByRole('link', { name: returned }) }).getByText('退单').waitFor();
  await page.locator('[data-stat="returned"]').click();
  await page.getByRole('heading', { name: '投诉列表', level: 1 }).waitFor();
  assert.match(page.url(), /returned=1/);
  assert.equal(await page.getByLabel('只看被退回的派单').isChecked(), true);
  await page.locator(`[data-testid="complaint-table"] tbody tr[data-number="${returned}"]`).waitFor();
  await page.waitForFunction(() => !document.querySelector('.list-results[aria-busy]'));
  assert.equal(await page.locator('[data-testid="complaint-table"] tbody tr[data-number]').count(), 1);
  await page.goto(`${app.url}/#/`);
  await page.locator('[data-stat="dispatch"]').click();
  await page.getByRole('heading', { name: '投诉列表', level: 1 }).waitFor();
  assert.match(page.url(), /status=registered/);
  await page.locator('[data-testid="complaint-table"]').getByRole('link', { name: waiting }).waitFor();
  assert.equal(await page.getByLabel('状态').inputValue(), 'registered');
});

test('the service centre acknowledges a supervision notice from home', async () => {
  const open = await app.api('GET', '/api/notices?open=1');
  const notice = open.json.items.find((n) => n.number === injured && !n.acked_at);
  assert.ok(notice, 'registering an injury issues a notice to the centre');
  const page = await app.page();
  await signIn(page, 'wuxia');
  const box = page.locator('[data-section="notices"]');
  const item = box.locator(`li[data-id="${notice.id}"]`);
  await item.getByRole('link', { name: injured }).waitFor();
  await item.getByLabel('确认说明（可选）').fill('已安排专人跟进');
  await item.getByRole('button', { name: '确认收到' }).click();
  await item.waitFor({ state: 'detached' });
  const after = await app.api('GET', '/api/notices?limit=200');
  const acked = after.json.items.find((n) => n.id === notice.id);
  assert.equal(acked.acked_by, 'wuxia');
  assert.equal(acked.ack_note, '已安排专人跟进');
  assert.ok(acked.acked_at);
});

test('home fits a 360 px phone', async () => {
  const page = await app.page({ phone: true });
  await signIn(page, 'wangfang');
  await page.locator('[data-section="dispatch"]').getByRole('link', { name: waiting }).waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= 360));
  await shot(page, 'home-phone');
});

test('three days on, the handler\'s complaint shows as overdue, for her and for the supervisor', async () => {
  await app.ready;
  setNow(T0 + 3 * DAY); // past the 2-day resolution limit
  // the scheduler marks the clock overdue on its next tick
  for (let i = 0; ; i++) {
    const r = await app.api('GET', '/api/complaints?clock=overdue&handler=lina');
    assert.equal(r.status, 200, r.text);
    if (r.json.items.some((c) => c.number === assigned)) break;
    assert.ok(i < 100, 'the resolution clock went overdue');
    await new Promise((done) => setTimeout(done, 100));
  }
  const page = await app.page();
  await signIn(page, 'lina');
  const due = page.locator('[data-section="due"]');
  await due.locator(`li[data-number="${assigned}"][data-clock="overdue"]`).getByText('已超时').waitFor();
  assert.equal(await due.getByRole('link', { name: waiting }).count(), 0, 'a handler sees only her own clocks');
  await stat(page, 'overdue').filter({ hasText: '1' }).waitFor();
  await page.locator('[data-stat="overdue"].stat-alert').waitFor();
  // her open complaints show it as late too; the one she sent back is not hers
  await page.locator(`[data-section="mine"] li[data-number="${assigned}"][data-clock="overdue"]`).waitFor();
  assert.equal(await page.locator(`[data-section="mine"] li[data-number="${returned}"]`).count(), 0);
  await page.locator('[data-stat="overdue"]').click();
  await page.getByRole('heading', { name: '投诉列表', level: 1 }).waitFor();
  assert.match(page.url(), /clock=overdue/);
  assert.match(page.url(), /handler=me/);
  assert.equal(await page.getByLabel('时限').inputValue(), 'overdue');
  await page.locator(`[data-testid="complaint-table"] tbody tr[data-number="${assigned}"]`).waitFor();

  // the supervisor watches every clock of the project
  const sup = await app.page();
  await signIn(sup, 'wangfang');
  const all = sup.locator('[data-section="due"]');
  await all.locator(`li[data-number="${assigned}"][data-clock="overdue"]`).waitFor();
  await all.locator(`li[data-number="${waiting}"][data-clock="overdue"]`).waitFor();
  const href = await sup.locator('[data-stat="overdue"]').getAttribute('href');
  assert.match(href, /clock=overdue/);
  assert.doesNotMatch(href, /handler=/);
  await shot(sup, 'home-overdue');
});
