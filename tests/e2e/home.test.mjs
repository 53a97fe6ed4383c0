// The home view: what each role has to do now.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp();
let assigned; let waiting; let injured;

before(async () => {
  await app.ready;
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
  assert.equal((await page.locator('[data-stat="mine"] .n').textContent()).trim(), '1');
  // a handler triages nothing: no dispatch queue
  assert.equal(await page.locator('[data-section="dispatch"]').count(), 0);

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
});

test('a supervisor sees what waits for dispatch and reaches the filtered list from its count', async () => {
  const page = await app.page();
  await signIn(page, 'wangfang');
  const queue = page.locator('[data-section="dispatch"]');
  await queue.getByRole('link', { name: waiting }).waitFor();
  assert.equal(await queue.getByRole('link', { name: assigned }).count(), 0, 'in progress, not waiting');
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
