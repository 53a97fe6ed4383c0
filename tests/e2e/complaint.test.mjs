// The complaint page: a supervisor triages and dispatches, the handler
// writes an internal note and a reply (visibly different), uploads a photo
// and previews it, is told next to the field when the result is missing,
// and resolves; the clocks are shown; phone and desktop layouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { useApp, signIn, shot } from './lib/browser.mjs';

const app = useApp();
let number;

// A small real PNG (a red rectangle), for the upload.
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([200, 40, 40]))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function complaint() {
  const r = await app.api('GET', `/api/complaints/${number}`);
  assert.equal(r.status, 200);
  return r.json;
}

async function open(login, opts = {}) {
  const page = await app.page({ ...opts, path: `/#/complaints/${number}` });
  await signIn(page, login);
  await page.locator('article.cp[data-number]').waitFor();
  return page;
}

test('a supervisor triages and dispatches the complaint', async () => {
  await app.ready;
  const r = await app.api('POST', '/api/complaints', { body: {
    channel: 'phone', project: 'HY', building: '1栋',
    complainant: { name: '陈女士', phone: '139 1111 2222', role: 'owner' },
    subject: '地下车库漏水', content: '车库B区顶棚漏水。\n已经三天了，车被泡。', demands: '尽快修好并赔偿洗车费',
    category: 'equipment',
  } });
  assert.equal(r.status, 201, r.text);
  number = r.json.number;

  const page = await open('wangfang');
  await page.getByRole('heading', { level: 1, name: /地下车库漏水/ }).waitFor();
  assert.equal(await page.locator('.cp-head .status-registered').textContent(), '已登记');
  // the grade and the rule that set it
  assert.match(await page.getByTestId('grade-rule').textContent(), /C1/);
  // the content keeps its line breaks, the phone is masked
  assert.equal(await page.getByTestId('content').textContent(), '车库B区顶棚漏水。\n已经三天了，车被泡。');
  assert.equal(await page.getByTestId('phone').textContent(), '139****2222');

  await page.getByRole('button', { name: '初审' }).click();
  const triage = page.getByRole('dialog', { name: '初审' });
  await triage.getByLabel('性质').selectOption('valid');
  await triage.getByLabel('沟通类型').selectOption('help');
  await triage.getByLabel('原因').fill('核实属实，物业责任');
  await triage.getByRole('button', { name: '确定' }).click();
  await triage.waitFor({ state: 'detached' });
  await page.locator('.timeline li[data-type="nature_changed"]').waitFor();
  let c = await complaint();
  assert.equal(c.nature, 'valid');
  assert.equal(c.comm_type, 'help');

  await page.getByRole('button', { name: '派单' }).click();
  const assign = page.getByRole('dialog', { name: '派单' });
  await assign.getByLabel('部门').selectOption('engineering');
  // the picker offers the project's handlers by name, and takes a name typed
  const offered = assign.locator('datalist option[value="lina"]');
  await offered.waitFor({ state: 'attached' });
  assert.match(await offered.getAttribute('label'), /李娜（lina）/);
  assert.equal(await assign.locator('datalist option[value="yangli"]').count(), 0, 'JX staff are not offered');
  await assign.getByLabel('处理人').fill('李娜');
  assert.equal(await assign.getByLabel('处理人').inputValue(), 'lina');
  await assign.locator('.cp-handler-who').getByText(/李娜 · 处理人/).waitFor();
  await assign.getByLabel('处理人').fill('nobody');
  await assign.locator('.cp-handler-who').getByText('不在本项目的处理人名单中').waitFor();
  await assign.getByLabel('处理人').fill('lina');
  await assign.getByRole('button', { name: '确定' }).click();
  await assign.waitFor({ state: 'detached' });
  await page.locator('.cp-head .status-in_progress').waitFor();
  c = await complaint();
  assert.equal(c.status, 'in_progress');
  assert.equal(c.handler.login, 'lina');
  assert.equal(c.department.code, 'engineering');
  // a supervisor of the project may now reassign, the button says so
  await page.getByRole('button', { name: '改派' }).waitFor();

  // the full phone number only with a purpose, which is audited
  await page.getByRole('button', { name: '查看联系方式' }).click();
  const reveal = page.getByRole('dialog', { name: '查看联系方式' });
  await reveal.getByRole('button', { name: '确定' }).click();
  await reveal.locator('.field[data-field="purpose"] .field-error:not(:empty)').waitFor();
  await reveal.getByLabel('查看目的').fill('回电确认漏水位置');
  await reveal.getByRole('button', { name: '确定' }).click();
  await page.getByTestId('phone').filter({ hasText: '13911112222' }).waitFor();
  const audit = await app.api('GET', `/api/audit?action=contact.reveal&complaint=${number}`);
  assert.equal(audit.json.items.length, 1);
  assert.equal(audit.json.items[0].actor, 'wangfang');
});

test('the handler writes an internal note and a reply, visibly different', async () => {
  const page = await open('lina');
  // only what a handler may do in progress
  const buttons = await page.locator('.cp-actions button').allTextContents();
  assert.deepEqual(buttons, ['退单', '办结', '修改事实', '添加投诉人']);

  const text = page.getByRole('textbox', { name: '内容', exact: true });
  assert.equal(await page.getByRole('radio', { name: '内部备注' }).isChecked(), true, 'a note by default');
  await text.fill('已联系工程部，明早上门查看。');
  await page.getByRole('button', { name: '添加记录' }).click();
  const note = page.locator('.timeline li.ev-internal', { hasText: '已联系工程部' });
  await note.waitFor();
  assert.equal(await note.locator('.cp-tag').textContent(), '内部备注');

  await page.getByRole('radio', { name: '回复客户' }).check();
  await page.getByRole('textbox', { name: '内容', exact: true }).fill('陈女士您好，我们明早九点上门处理。');
  await page.getByRole('button', { name: '添加记录' }).click();
  const reply = page.locator('.timeline li.ev-customer', { hasText: '明早九点' });
  await reply.waitFor();
  assert.equal(await reply.locator('.cp-tag').textContent(), '回复客户');
  // different look, not only a different class
  const bg = async (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(await bg(note), await bg(reply));

  const c = await complaint();
  const types = c.timeline.map((e) => `${e.type}:${e.visibility}`);
  assert.ok(types.includes('note:internal'));
  assert.ok(types.includes('reply:customer'));

  // the clocks: labels and states; the reply met the first response
  const clocks = page.locator('.cp-clocks');
  await clocks.getByRole('heading', { name: '时限' }).waitFor();
  const first = clocks.locator('li[data-clock="first_response"]');
  assert.equal(await first.locator('.cp-clock-label').textContent(), '首次回复');
  assert.equal(await first.locator('.badge').textContent(), '按时完成');
  const resolve = clocks.locator('li[data-clock="resolve"]');
  assert.equal(await resolve.locator('.cp-clock-label').textContent(), '办结');
  assert.equal(await resolve.locator('.badge').textContent(), '计时中');
  assert.match(await resolve.textContent(), /截止 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);

  // pause the resolve clock while waiting for the customer, then resume
  await resolve.getByRole('button', { name: '暂停计时' }).click();
  const pause = page.getByRole('dialog');
  await pause.getByLabel('原因').fill('客户出差，周五回来');
  await pause.getByRole('button', { name: '确定' }).click();
  await clocks.locator('li[data-clock="resolve"] .clock-paused').waitFor();
  assert.equal((await complaint()).clocks.find((k) => k.clock === 'resolve').state, 'paused');
  await clocks.locator('li[data-clock="resolve"]').getByRole('button', { name: '恢复计时' }).click();
  await page.getByRole('dialog').getByLabel('原因').fill('客户已回来');
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await clocks.locator('li[data-clock="resolve"] .clock-running').waitFor();
});

test('a photo shows as a thumbnail and opens in a preview; resolving needs a result', async () => {
  const page = await open('lina');
  await page.getByLabel('上传附件').setInputFiles({ name: '漏水照片.png', mimeType: 'image/png', buffer: png(64, 48) });
  const thumb = page.getByRole('button', { name: '查看大图：漏水照片.png' });
  await thumb.waitFor();
  const img = thumb.locator('img');
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 64, await img.elementHandle());
  assert.equal((await complaint()).attachments.length, 1);
  await thumb.click();
  const preview = page.getByRole('dialog', { name: '漏水照片.png' });
  await preview.waitFor();
  await page.waitForFunction(() => document.querySelector('dialog.cp-preview img')?.naturalWidth === 64);
  await page.keyboard.press('Escape');
  await preview.waitFor({ state: 'detached' });

  // an empty result: the API's message next to the field
  await page.getByRole('button', { name: '办结' }).click();
  const dlg = page.getByRole('dialog', { name: '办结' });
  await dlg.getByRole('button', { name: '确定' }).click();
  const err = dlg.locator('.field[data-field="result"] .field-error');
  await err.filter({ hasText: /必须填写|不能为空/ }).waitFor();
  assert.equal(await dlg.getByLabel('处理结果').getAttribute('aria-invalid'), 'true');
  assert.equal((await complaint()).status, 'in_progress');

  await dlg.getByLabel('处理结果').fill('已修复车库顶棚防水层，并承担洗车费。');
  await dlg.getByRole('button', { name: '确定' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.cp-head .status-resolved').waitFor();
  const c = await complaint();
  assert.equal(c.status, 'resolved');
  assert.equal(c.result, '已修复车库顶棚防水层，并承担洗车费。');
  assert.equal(await page.getByTestId('result').textContent(), c.result);
  // resolved: the handler may close or record a dispute
  assert.deepEqual(await page.locator('.cp-actions button').allTextContents(), ['关闭投诉', '客户不认可', '修改事实', '添加投诉人']);
  await page.evaluate(() => document.getElementById('toasts')?.replaceChildren());
  await shot(page, 'complaint');
});

test('closed, followed up dissatisfied by a supervisor, and reopened', async () => {
  let page = await open('lina');
  await page.getByRole('button', { name: '关闭投诉' }).click();
  const close = page.getByRole('dialog', { name: '关闭投诉' });
  await close.getByLabel('客户答复').selectOption('agreed');
  await close.getByRole('button', { name: '确定' }).click();
  await page.locator('.cp-head .status-closed').waitFor();
  let c = await complaint();
  assert.equal(c.status, 'closed');
  const fu = c.followups.find((f) => f.status === 'open');
  assert.equal(fu.assignee.login, 'wangfang');
  // the handler never records the follow-up call
  assert.equal(await page.getByRole('button', { name: '记录回访' }).count(), 0);

  page = await open('wangfang');
  await page.locator('.cp-actions').getByRole('button', { name: '记录回访' }).click();
  const call = page.getByRole('dialog', { name: '记录回访' });
  await call.getByLabel('回访结果').selectOption('reached');
  await call.getByRole('button', { name: '确定' }).click();
  // satisfaction is required when reached: said next to the field
  await call.locator('.field[data-field="satisfaction"] .field-error').filter({ hasText: /必须填写/ }).waitFor();
  await call.getByLabel('满意度').selectOption('dissatisfied');
  await call.getByLabel('评分').selectOption('2');
  await call.getByLabel('客户意见').fill('车库还有点渗水');
  await call.getByRole('button', { name: '确定' }).click();
  await page.locator('.cp-head .status-followed_up').waitFor();
  c = await complaint();
  assert.equal(c.followups[0].satisfaction, 'dissatisfied');
  // offered to reopen, with the source set
  const offer = page.locator('.cp-offer');
  await offer.waitFor();
  await offer.getByRole('button', { name: '重开投诉' }).click();
  const reopen = page.getByRole('dialog', { name: '重开投诉' });
  assert.equal(await reopen.getByLabel('重开来源').inputValue(), 'followup');
  await reopen.getByLabel('原因').fill('回访不满意，继续处理渗水');
  await reopen.getByRole('button', { name: '确定' }).click();
  await page.locator('.cp-head .status-in_progress').waitFor();
  c = await complaint();
  assert.equal(c.status, 'in_progress');
  assert.equal(c.reopenings, 1);
});

test('the page fits a 360 px phone', async () => {
  const page = await open('wangfang', { phone: true });
  const thumb = page.locator('.cp-thumbs img').first();
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  await page.evaluate(() => window.scrollTo(0, 0));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page is ${width}px wide`);
  await shot(page, 'complaint-phone');
});
