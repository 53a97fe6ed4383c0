// The whole life of a complaint through the browser, as the issue tells it:
// a customer files it on the portal from a phone → the operator accepts it
// (受理) and the supervisor triages and dispatches it → the handler replies
// and resolves → the customer confirms on the portal → the supervisor records
// the follow-up call → it shows as followed up, and the customer rates it.
// Every step goes through the UI; the API is only read, to check each step
// left the complaint where the UI said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp();

const PHONE = '13712340000';
const REPLY = '王女士您好，工程部今天下午到现场查看渗水。';
const NOTE = '内部：疑似楼上卫生间防水层老化-LIFE42';
const RESULT = '已重做楼上卫生间防水，墙面已修补。';

async function complaint(number) {
  const r = await app.api('GET', `/api/complaints/${encodeURIComponent(number)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// A desktop page signed in as `login`, at the complaint's page.
async function staffAt(login, number) {
  const page = await app.page();
  await signIn(page, login);
  await page.goto(`${app.url}/#/complaints/${encodeURIComponent(number)}`);
  await page.locator(`article.cp[data-status]`).waitFor();
  return page;
}

async function act(page, button, dialogName, fill) {
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: '确定' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function statusIs(page, number, status) {
  await page.locator(`article.cp[data-status="${status}"]`).waitFor();
  assert.equal((await complaint(number)).status, status);
}

async function portalTrack(page, number) {
  await page.getByRole('link', { name: '查询进度' }).click();
  await page.getByLabel('投诉编号').fill(number);
  await page.getByLabel('手机号').fill(PHONE);
  await page.getByRole('button', { name: '查询', exact: true }).click();
}

test('a complaint from the portal to the follow-up call, all in the browser', async () => {
  await app.ready;

  // 1. The customer files it on a phone.
  const customer = await app.page({ phone: true, path: '/portal' });
  await customer.getByRole('heading', { name: '提交投诉' }).waitFor();
  await customer.getByLabel('项目').selectOption('HY');
  await customer.getByLabel('楼栋').selectOption('2栋');
  await customer.getByLabel('房号').selectOption({ index: 1 });
  await customer.getByLabel('主题').fill('卧室墙面渗水发霉');
  await customer.getByLabel('投诉内容').fill('楼上卫生间漏水，我家卧室墙面渗水发霉一个月了。');
  await customer.getByLabel('姓名').fill('王女士');
  await customer.getByLabel('手机号').fill(PHONE);
  await customer.getByRole('button', { name: '提交投诉' }).click();
  const numberBox = customer.getByTestId('complaint-number');
  await numberBox.waitFor();
  const number = (await numberBox.textContent()).trim();
  assert.match(number, /^KS-\d{4}-\d{6}$/);
  await shot(customer, 'life-1-portal-filed');
  let c = await complaint(number);
  assert.equal(c.status, 'received');
  assert.equal(c.channel, 'web');

  // 2. The operator accepts it (受理); the supervisor triages and dispatches.
  const operator = await staffAt('zhangwei', number);
  await act(operator, '受理', '受理', async () => {});
  await statusIs(operator, number, 'registered');

  const supervisor = await staffAt('wangfang', number);
  await act(supervisor, '初审', '初审', async (d) => {
    await d.getByLabel('性质').selectOption('valid');
    await d.getByLabel('原因').fill('核实属实，物业维修范围');
  });
  await supervisor.locator('.badge', { hasText: '有效投诉' }).first().waitFor();
  await act(supervisor, '派单', '派单', async (d) => {
    await d.getByLabel('处理人').fill('lina');
  });
  await statusIs(supervisor, number, 'in_progress');
  c = await complaint(number);
  assert.equal(c.nature, 'valid');
  await shot(supervisor, 'life-2-dispatched');

  // 3. The handler writes an internal note and a reply, then resolves.
  const handler = await staffAt('lina', number);
  const entry = handler.getByRole('textbox', { name: '内容', exact: true });
  await entry.fill(NOTE);
  await handler.getByRole('button', { name: '添加记录' }).click();
  await handler.locator('li.ev-internal', { hasText: NOTE }).waitFor();
  await handler.getByRole('radio', { name: '回复客户' }).check();
  await entry.fill(REPLY);
  await handler.getByRole('button', { name: '添加记录' }).click();
  await handler.locator('li.ev-customer', { hasText: REPLY }).waitFor();
  await act(handler, '办结', '办结', async (d) => {
    await d.getByLabel('处理结果').fill(RESULT);
  });
  await statusIs(handler, number, 'resolved');
  await shot(handler, 'life-3-resolved');

  // 4. The customer sees the reply and the result, never the note, and confirms.
  await portalTrack(customer, number);
  await customer.getByText(REPLY).waitFor();
  await customer.getByText(RESULT).first().waitFor();
  assert.equal(await customer.getByText(NOTE).count(), 0, 'an internal note never reaches the portal');
  assert.equal(await customer.getByText('李娜').count(), 0, 'no staff names on the portal');
  await shot(customer, 'life-4-portal-confirm');
  await customer.getByRole('button', { name: '确认已解决' }).click();
  await customer.locator('.portal-steps [aria-current="step"]', { hasText: '已关闭' }).waitFor();
  assert.equal((await complaint(number)).status, 'closed');

  // 5. The supervisor records the follow-up call; it shows as followed up.
  await supervisor.reload();
  await supervisor.locator('article.cp[data-status="closed"]').waitFor();
  await act(supervisor, '记录回访', '记录回访', async (d) => {
    await d.getByLabel('回访结果').selectOption('reached');
    await d.getByLabel('满意度').selectOption('satisfied');
    await d.getByLabel('客户意见').fill('维修及时，很满意');
  });
  await statusIs(supervisor, number, 'followed_up');
  await supervisor.locator('.cp-head .status-followed_up').waitFor();
  await shot(supervisor, 'life-5-followed-up');

  // 6. The customer rates the handling on the portal.
  await customer.reload();
  await customer.getByRole('heading', { name: '评价本次处理' }).waitFor();
  await customer.getByRole('radio', { name: '满意', exact: true }).check();
  await customer.getByLabel('意见或建议').fill('处理很快，谢谢');
  await customer.getByRole('button', { name: '提交评价' }).click();
  await customer.getByRole('heading', { name: '您的评价' }).waitFor();
  await shot(customer, 'life-6-portal-rated');
  const events = (await app.api('GET', `/api/complaints/${encodeURIComponent(number)}/events`)).json.items;
  assert.ok(events.some((e) => e.type === 'customer_rating'), 'the rating is kept as an event');
});
