// The customer portal on a phone: file a complaint with a photo, follow it
// with the number and the phone, see the replies (never the internal
// notes), say it is not solved yet, confirm it, rate it; in Chinese and in
// English, without sideways scrolling at 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { useApp, shot } from './lib/browser.mjs';

const app = useApp();

const PHONE = '13912345678';
const NOTE = '内部备注-仅限员工-QX7731';
const REPLY = '您好，维修人员明天上午九点上门检查电梯。';
const RESULT = '已更换3栋电梯门机，运行正常。';
const SUBJECT = '3栋电梯经常停运';
let number = null;

// A tiny real PNG (4×3, RGB), made here rather than kept as a file.
function png() {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xFFFFFFFF;
    for (const x of buf) c = table[(c ^ x) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0); ihdr.writeUInt32BE(3, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc(3 * 13);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) raw.set([180, 40 * x, 60 * y], y * 13 + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function staff(method, path, body) {
  const r = await app.api(method, path, body === undefined ? {} : { body });
  assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${r.text}`);
  return r.json;
}

async function noSidewaysScroll(page) {
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth) <= 360, 'no horizontal scroll at 360 px');
}

// Follow the complaint through the form on #/track.
async function track(page, num, phone) {
  await page.getByLabel('投诉编号').fill(num);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '查询', exact: true }).click();
}

const currentStep = (page) => page.locator('.portal-steps [aria-current="step"]');

test('a customer files a complaint with a photo from a phone and gets the number', async () => {
  await app.ready;
  const page = await app.page({ phone: true, path: '/portal' });
  await page.getByRole('heading', { name: '提交投诉' }).waitFor();
  await page.getByLabel('项目').selectOption('HY');
  await page.getByLabel('楼栋').selectOption('3栋');
  await page.getByLabel('房号').selectOption('1单元101');
  await page.getByLabel('问题类别').selectOption('equipment');
  await page.getByText('共用设施设备').waitFor(); // the category's description
  await page.getByLabel('主题').fill(SUBJECT);
  await page.getByLabel('投诉内容').fill('这周电梯停了三次，老人上下楼很不方便。');
  await page.getByLabel('您的诉求').fill('尽快修好');
  await page.getByLabel('姓名').fill('王先生');
  await page.getByLabel('从相册选择').setInputFiles({ name: '电梯.png', mimeType: 'image/png', buffer: png() });
  await page.locator('.portal-thumbs img').waitFor();
  assert.match(await page.locator('.portal-thumbs img').getAttribute('src'), /^blob:/);

  // A phone number that is no phone number: the API's message sits next to the phone field.
  await page.getByLabel('手机号').fill('12345');
  await shot(page, 'portal-file');
  await page.getByRole('button', { name: '提交投诉' }).click();
  const phoneError = page.locator('.field[data-field="phone"] .field-error');
  await phoneError.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await page.getByLabel('手机号').getAttribute('aria-invalid'), 'true');
  assert.equal((await staff('GET', '/api/complaints?channel=web')).items.length, 0, 'nothing filed');
  await noSidewaysScroll(page);

  await page.getByLabel('手机号').fill(PHONE);
  await page.getByRole('button', { name: '提交投诉' }).click();
  await page.getByRole('heading', { name: '提交成功' }).waitFor();
  number = (await page.locator('.callout .big-number').textContent()).trim();
  assert.match(number, /^KS-\d{4}-\d{6,}$/);
  await page.getByText('请记下编号，用编号和手机号查询进度').waitFor();
  await page.getByText(/我们将在 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 前答复您/).waitFor();
  await page.getByText('已上传 1 张照片').waitFor();
  await shot(page, 'portal-done');
  await noSidewaysScroll(page);

  const c = await staff('GET', `/api/complaints/${number}`);
  assert.equal(c.channel, 'web');
  assert.equal(c.status, 'received');
  assert.equal(c.subject, SUBJECT);
  assert.equal(c.attachments.length, 1);
  assert.equal(c.attachments[0].content_type, 'image/png');

  // "查询进度" opens the follow view for this complaint, kept for this tab only.
  await page.getByRole('button', { name: '查询进度' }).click();
  await page.getByRole('heading', { name: number }).waitFor();
  assert.equal(await currentStep(page).innerText().then((s) => s.includes('已受理')), true);
  assert.doesNotMatch(page.url(), new RegExp(PHONE));
  assert.equal(await page.evaluate((p) => JSON.stringify(localStorage).includes(p), PHONE), false);
});

test('following it: a wrong phone reveals nothing; the right one shows the state, also after a reload', async () => {
  assert.ok(number, 'filed by the first test');
  const page = await app.page({ phone: true, path: '/portal#/track' });
  await page.getByRole('heading', { name: '查询投诉进度' }).waitFor();

  await track(page, number, '13900000000');
  const banner = page.locator('.form-error');
  await banner.filter({ hasText: /\S/ }).waitFor();
  const wrongPhone = await banner.innerText();
  assert.match(wrongPhone, /没有找到这条投诉/);
  assert.doesNotMatch(await page.locator('#app').innerText(), new RegExp(SUBJECT));

  // An unknown number is answered with exactly the same words.
  await track(page, 'KS-2026-999999', PHONE);
  await page.waitForFunction(() => !document.querySelector('form button[type=submit]').disabled);
  assert.equal(await banner.innerText(), wrongPhone);

  await track(page, number.toLowerCase(), PHONE); // typed in lower case: still found
  await page.getByRole('heading', { name: number }).waitFor();
  assert.match(await currentStep(page).innerText(), /已受理/);
  await page.getByText('我们已收到您的投诉').waitFor();
  await page.getByText(SUBJECT).waitFor();
  await page.getByText('139****5678').waitFor();

  await page.reload();
  await page.getByRole('heading', { name: number }).waitFor();
  assert.doesNotMatch(page.url(), /139/);
  await noSidewaysScroll(page);
});

test('the customer sees the reply, never the internal note, disputes, then confirms and rates', async () => {
  assert.ok(number, 'filed by the first test');
  const path = `/api/complaints/${number}`;
  await staff('POST', `${path}/accept`, { note: '已受理' });
  await staff('POST', `${path}/triage`, { nature: 'valid', reason: '属实' });
  const depts = (await staff('GET', '/api/departments?project=HY')).items;
  assert.ok(depts.length > 0);
  await staff('POST', `${path}/assign`, { department: depts[0].code, handler: 'lina' });
  await staff('POST', `${path}/events`, { type: 'note', text: NOTE });
  await staff('POST', `${path}/events`, { type: 'reply', text: REPLY });
  await staff('POST', `${path}/resolve`, { result: RESULT });

  const page = await app.page({ phone: true, path: '/portal#/track' });
  await track(page, number, PHONE);
  await page.getByRole('heading', { name: number }).waitFor();
  assert.match(await currentStep(page).innerText(), /已解决/);
  await page.getByText(REPLY).waitFor();
  await page.getByText(RESULT).waitFor();
  const text = await page.locator('#app').innerText();
  assert.doesNotMatch(text, new RegExp(NOTE));
  assert.doesNotMatch(text, /李娜|测试员|lina|tester/);
  await shot(page, 'portal-track');
  await noSidewaysScroll(page);

  // "还没解决" needs a word on what is still wrong; then it is handled again.
  await page.getByRole('button', { name: '还没解决' }).click();
  await page.getByRole('button', { name: '提交反馈' }).click();
  await page.locator('.field[data-field="comment"] .field-error').filter({ hasText: /\S/ }).waitFor();
  await page.getByLabel('还有哪些问题没有解决？').fill('电梯门还是关不严');
  await page.getByRole('button', { name: '提交反馈' }).click();
  await page.getByText('我们正在处理').waitFor();
  assert.match(await currentStep(page).innerText(), /处理中/);
  assert.equal((await staff('GET', path)).status, 'in_progress');

  await staff('POST', `${path}/resolve`, { result: RESULT });
  await page.reload();
  await page.getByRole('button', { name: '确认已解决' }).click();
  await page.getByRole('heading', { name: '评价本次处理' }).waitFor();
  assert.match(await currentStep(page).innerText(), /已关闭/);
  assert.equal((await staff('GET', path)).status, 'closed');

  // Rating: labelled radio buttons, chosen with the keyboard.
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.locator('.field[data-field="satisfaction"] .field-error').filter({ hasText: /\S/ }).waitFor();
  await page.getByRole('radio', { name: '满意', exact: true }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getByRole('radio', { name: '基本满意' }).isChecked(), true);
  await page.getByLabel('意见或建议').fill('维修师傅很负责');
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.getByRole('heading', { name: '您的评价' }).waitFor();
  await page.locator('.portal-rating').getByText('基本满意').waitFor();

  const view = await app.api('POST', '/api/portal/track', { body: { number, phone: PHONE }, headers: { Authorization: null } });
  assert.equal(view.status, 200);
  assert.equal(view.json.rating.satisfaction, 'fair');
  assert.equal(view.json.rating.comment, '维修师傅很负责');
  assert.equal(view.json.can_rate, false);
  assert.ok(!JSON.stringify(view.json).includes(NOTE));
});

test('the portal switches to English and back without losing what was typed', async () => {
  await app.ready;
  const page = await app.page({ phone: true, path: '/portal' });
  await page.getByLabel('主题').fill('噪音');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { name: 'File a complaint' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByLabel('Subject').inputValue(), '噪音');
  await page.getByLabel('Mobile phone').waitFor();
  await page.getByRole('link', { name: 'Follow a complaint' }).click();
  await page.getByLabel('Complaint number').waitFor();
  await noSidewaysScroll(page);
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { name: '查询投诉进度' }).waitFor();
});

// Last, as it spends this address's allowance: too many wrong guesses are
// refused in friendly words, still without a hint about the complaint.
test('guessing phone numbers is slowed down with a friendly message', async () => {
  assert.ok(number, 'filed by the first test');
  const page = await app.page({ phone: true, path: '/portal#/track' });
  const banner = page.locator('.form-error');
  let text = '';
  for (let i = 0; i < 40 && !/操作太频繁/.test(text); i++) {
    await track(page, number, `1390000${String(1000 + i)}`);
    await banner.filter({ hasText: /\S/ }).waitFor();
    await page.waitForFunction(() => !document.querySelector('form button[type=submit]').disabled);
    text = await banner.innerText();
  }
  assert.match(text, /操作太频繁，(请稍后再试|请在 .+ 后再试)/);
  assert.doesNotMatch(await page.locator('#app').innerText(), new RegExp(SUBJECT));
});
