// Intake (登记投诉): a hotline operator registers a phone complaint with the
// keyboard alone and reads the number back; the API's validation errors show
// next to their field; the caller's history comes up from the phone number;
// photos go up with the complaint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
import { useApp, signIn, shot, DEMO_PASSWORD } from './lib/browser.mjs';

const app = useApp();

// Press Tab until the focused control's label (or text) starts with `name`.
async function tabTo(page, name, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const el = document.activeElement;
      return (el?.labels?.[0]?.textContent || el?.getAttribute('aria-label') || el?.textContent || '').trim();
    });
    if (here.startsWith(name)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

const focusedName = (page) => page.evaluate(() => document.activeElement?.name || '');

// A valid 2×2 PNG, made here.
function png() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0); ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const raw = Buffer.from([0, 200, 40, 45, 255, 255, 255, 0, 9, 105, 218, 31, 35, 40]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function openIntake(page, login = 'zhangwei') {
  await signIn(page, login);
  await page.goto(`${app.url}/#/intake`);
  await page.getByRole('heading', { name: '登记投诉', level: 1 }).waitFor();
}

test('an operator registers a phone complaint with the keyboard alone and reads back the number', async () => {
  await app.ready;
  const page = await app.page();

  // sign in by keyboard: the user name has the focus
  await page.getByLabel('用户名').waitFor();
  assert.equal(await focusedName(page), 'login');
  await page.keyboard.type('zhangwei');
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('header.topbar').waitFor();
  await page.locator('main:not([aria-busy])').waitFor();

  // reach intake by keyboard; the phone number has the focus there
  await tabTo(page, '登记投诉');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '登记投诉', level: 1 }).waitFor();
  await page.waitForFunction(() => document.activeElement?.name === 'complainant.phone');

  await page.keyboard.type('139 8765 4321');
  await page.getByTestId('caller-history').getByText('这个号码没有投诉记录').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'complainant.name');
  await page.keyboard.type('王先生');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'complainant.role');
  await page.keyboard.press('ArrowDown'); // 业主

  await tabTo(page, '项目');
  assert.equal(await page.evaluate(() => document.activeElement.selectedOptions[0].textContent), '华苑花园');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'building');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // 3栋
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'unit');
  await page.keyboard.type('1单元101');

  await tabTo(page, '主题');
  await page.keyboard.type('3栋电梯困人');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'content');
  await page.keyboard.type('业主反映3栋1单元电梯停在5楼与6楼之间，困住两人约20分钟。');
  await page.keyboard.press('Tab');
  await page.keyboard.type('尽快修复并书面说明原因');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'category');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown'); // 设备管理类
  await page.locator('.cat-desc').getByText('电梯').waitFor(); // the description of the category shows
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'subcategory');
  await page.keyboard.press('ArrowDown'); // 电梯
  await tabTo(page, '有人受伤');
  await page.keyboard.press('Space');

  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'intake');
  await page.keyboard.press('Control+Enter');

  const number = (await page.getByTestId('intake-number').textContent()).trim();
  assert.match(number, /^KS-\d{4}-\d{6,}$/);
  await page.getByText('请向来电人复述编号').waitFor();
  await page.getByText(/请告知来电人：我们将在 .+ 前答复/).waitFor();
  // the focus waits on "new complaint": Enter starts the next call
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'intake-new');
  await shot(page, 'intake-done');

  const r = await app.api('GET', `/api/complaints/${number}`);
  assert.equal(r.status, 200);
  const c = r.json;
  assert.equal(c.subject, '3栋电梯困人');
  assert.match(c.content, /困住两人/);
  assert.equal(c.demands, '尽快修复并书面说明原因');
  assert.match(c.complainant.phone, /4321$/);
  assert.equal(c.complainant.name, '王先生');
  assert.equal(c.complainant.role, 'owner');
  assert.equal(c.project.code, 'HY');
  assert.equal(c.building, '3栋');
  assert.equal(c.category.code, 'equipment');
  assert.equal(c.subcategory.code, 'lift');
  assert.equal(c.channel, 'phone');
  assert.equal(c.flags.injury, true);
  assert.equal(c.received_by.login, 'zhangwei');

  // Enter on "new complaint" gives an empty form with the phone focused
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.name === 'complainant.phone');
  assert.equal(await page.getByLabel(/^主题/).inputValue(), '');
});

test('a malformed phone number is refused next to the phone field', async () => {
  const page = await app.page();
  await openIntake(page);
  await page.getByLabel('联系电话').fill('123');
  await page.getByLabel(/^主题/).fill('噪音扰民');
  await page.getByLabel(/^详细情况/).fill('楼上深夜装修');
  await page.getByLabel(/^详细情况/).press('Control+Enter');
  const error = page.locator('.field[data-field="complainant.phone"] .field-error');
  await error.filter({ hasText: '号码位数不对' }).waitFor();
  assert.equal(await page.getByLabel('联系电话').getAttribute('aria-invalid'), 'true');
  assert.equal(await focusedName(page), 'complainant.phone');
  // nothing was registered
  assert.equal(await page.getByTestId('intake-number').count(), 0);
});

test('the caller\'s earlier complaints come up as the phone number is typed', async () => {
  const earlier = await app.api('POST', '/api/complaints', { body: {
    channel: 'phone', project: 'HY', complainant: { name: '李女士', phone: '13700001111' },
    subject: '地下车库漏水', content: '车位上方持续滴水', category: 'building',
  } });
  assert.equal(earlier.status, 201);
  const page = await app.page();
  await openIntake(page);
  await page.getByLabel('联系电话').pressSequentially('137 0000 1111');
  const history = page.getByTestId('caller-history');
  await history.getByRole('link', { name: earlier.json.number }).waitFor();
  await history.getByText('地下车库漏水').waitFor();
  await page.getByText('该来电人有 1 条投诉记录，其中 1 条未结').waitFor();
});

test('a photo is shown before upload and is attached to the new complaint', async () => {
  const page = await app.page();
  await openIntake(page);
  await page.getByLabel('联系电话').fill('13600002222');
  await page.getByLabel(/^主题/).fill('绿化带积水');
  await page.getByLabel(/^详细情况/).fill('小区南门绿化带积水发臭，见照片');
  await page.getByTestId('intake-files').setInputFiles({ name: '积水.png', mimeType: 'image/png', buffer: png() });
  const thumb = page.locator('.intake-thumbs img');
  await thumb.waitFor();
  assert.match(await thumb.getAttribute('src'), /^blob:/);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const number = (await page.getByTestId('intake-number').textContent()).trim();
  await page.locator('.uploads').getByText('已上传').waitFor();
  const r = await app.api('GET', `/api/complaints/${number}/attachments`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].name, '积水.png');
  assert.equal(r.json.items[0].content_type, 'image/png');
});

test('intake fits a 360 px phone', async () => {
  const page = await app.page({ phone: true });
  await openIntake(page);
  await page.getByLabel('联系电话').fill('13700001111');
  await page.getByTestId('caller-history').getByText('地下车库漏水').waitFor();
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= 360));
  await shot(page, 'intake-phone');
});
