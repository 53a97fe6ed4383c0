// The customer portal (issue 6): customers file a complaint without an account, add photos,
// follow it with its number and their phone, accept or reject the resolution and rate it.
// Every call here is anonymous (no token, no cookie) unless a test says otherwise; the staff
// side of each story goes through the staff API as the tests' own user.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServer, startServer, hasCJK, KESU_BIN, TESTER_PASSWORD } from './lib/server.mjs';

// The server reads "now" from a file, so that a test can let a day pass (photos are
// taken only within 24 hours of filing). Wrong phones per address are not limited here
// (they are per number), so that the tests of one file do not throttle each other.
const clockDir = mkdtempSync(join(tmpdir(), 'kesu-portal-clock-'));
const clockFile = join(clockDir, 'now');
let now = Date.now();
function setNow(ms) {
  now = ms;
  writeFileSync(clockFile, new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') + '\n');
}
setNow(now);

const srv = useServer({
  env: {
    KESU_CLOCK_FILE: clockFile,
    KESU_PORTAL_FILINGS_PER_HOUR: '1000',
    KESU_ADDRESS_FAILURES_FREE: '100000',
  },
});
process.on('exit', () => rmSync(clockDir, { recursive: true, force: true }));

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const PHONE = '13812345678';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f0b0000000049454e44ae426082', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010101004800480000ffd9', 'hex');
const VIEW_KEYS = ['building', 'can_confirm', 'can_rate', 'content', 'demands', 'next_answer_by',
  'number', 'phone', 'photos', 'project', 'rating', 'received_at', 'replies', 'resolution',
  'status', 'subject', 'unit'].sort();

/** A request with no credentials at all (the tests' token is not sent). */
function portal(method, path, body, headers = {}) {
  return srv.api(method, path, { body, headers: { Authorization: null, ...headers } });
}

/** The staff API as the tests' own user (centre, every permission). */
const staff = (method, path, body) => srv.api(method, path, { body });

function filing(over = {}) {
  const b = {
    project: 'HY', building: '1栋', unit: '1单元101', name: '王先生', phone: '138 1234 5678',
    subject: '电梯停运', content: '3栋电梯从早上起停运,老人上下楼困难。', demands: '尽快修好',
    category: 'equipment', lang: 'zh',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete b[k];
    else b[k] = v;
  }
  return b;
}

function ok(r, status = 200) {
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.json;
}

function assertError(r, status, field, reason) {
  assert.equal(r.status, status, r.text);
  assert.ok(r.json && r.json.error, r.text);
  assert.equal(r.json.error.field, field, r.text);
  assert.equal(r.json.error.reason, reason, r.text);
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
}

async function file(over = {}) {
  return ok(await portal('POST', '/api/portal/complaints', filing(over)), 201);
}

const track = (number, phone = PHONE) => portal('POST', '/api/portal/track', { number, phone });
const upload = (number, bytes, { phone = PHONE, name = '照片.png' } = {}) =>
  portal('POST', `/api/portal/complaints/${number}/attachments?name=${encodeURIComponent(name)}`, bytes,
    { 'Content-Type': 'application/octet-stream', ...(phone === null ? {} : { 'X-Kesu-Phone': phone }) });
const confirm = (number, body) => portal('POST', `/api/portal/complaints/${number}/confirm`, body);
const rate = (number, body) => portal('POST', `/api/portal/complaints/${number}/rating`, body);

/** A complaint filed through the portal and taken by staff to `status`. */
async function filedTo(status) {
  const { number } = await file();
  const path = `/api/complaints/${number}`;
  ok(await staff('POST', `${path}/accept`, {}));
  if (status === 'registered') return number;
  ok(await staff('POST', `${path}/assign`, { handler: 'lina' }));
  if (status === 'in_progress') return number;
  ok(await staff('POST', `${path}/resolve`, { result: '已更换电梯控制板,运行正常' }));
  if (status === 'resolved') return number;
  ok(await confirm(number, { phone: PHONE, accept: true }));
  return number;
}

// ---- reference data for the form ----

test('GET /api/portal/form: projects with buildings, categories, limits; no login', async () => {
  await srv.ready;
  const f = ok(await portal('GET', '/api/portal/form'));
  assert.deepEqual(Object.keys(f).sort(), ['attachment_max', 'categories', 'photos_max', 'projects']);
  const hy = f.projects.find((p) => p.code === 'HY');
  assert.deepEqual(Object.keys(hy).sort(), ['buildings', 'code', 'name']);
  assert.equal(hy.name, '华苑花园');
  assert.ok(hy.buildings.includes('1栋'));
  assert.ok(f.categories.length >= 5);
  for (const c of f.categories) {
    assert.deepEqual(Object.keys(c).sort(), ['code', 'description_en', 'description_zh', 'name_en', 'name_zh']);
  }
  assert.equal(f.attachment_max, 20971520);
  assert.equal(f.photos_max, 6);
});

test('GET /api/portal/projects/{code}/units: units of a building; no login', async () => {
  await srv.ready;
  const u = ok(await portal('GET', `/api/portal/projects/HY/units?building=${encodeURIComponent('1栋')}`));
  assert.ok(u.items.includes('1单元101'));
  assertError(await portal('GET', `/api/portal/projects/HY/units?building=${encodeURIComponent('99栋')}`),
    400, 'building', 'unknown');
  assert.equal((await portal('GET', `/api/portal/projects/ZZ/units?building=${encodeURIComponent('1栋')}`)).status, 404);
});

// ---- filing ----

test('filing without login: 201 with number, status received, answer_by, masked phone', async () => {
  await srv.ready;
  const r = await portal('POST', '/api/portal/complaints', filing());
  const c = ok(r, 201);
  assert.deepEqual(Object.keys(c).sort(), ['answer_by', 'number', 'phone', 'received_at', 'status']);
  assert.match(c.number, /^[A-Z0-9]+-\d{4}-\d{6}$/);
  assert.equal(c.status, 'received');
  assert.match(c.received_at, TIME_RE);
  assert.ok(c.answer_by === null || TIME_RE.test(c.answer_by), c.answer_by);
  assert.ok(c.answer_by !== null, 'a new complaint has a first answer due');
  assert.equal(c.phone, '138****5678');
  // the staff see a web complaint, received by nobody, filed by the customer
  const s = ok(await staff('GET', `/api/complaints/${c.number}`));
  assert.equal(s.channel, 'web');
  assert.equal(s.status, 'received');
  assert.equal(s.received_by, null);
  assert.equal(s.subject, '电梯停运');
  assert.equal(s.category.code, 'equipment');
  assert.equal(s.complainant.name, '王先生');
  assert.equal(s.timeline[0].type, 'received');
  assert.equal(s.timeline[0].author, null);
  assert.equal(s.timeline[0].data.channel, 'web');
  // audited with no actor, marked as the portal's
  const a = ok(await staff('GET', `/api/audit?object=${c.number}`));
  const entry = a.items.find((x) => x.action === 'complaint.create');
  assert.ok(entry, JSON.stringify(a.items));
  assert.equal(entry.actor, null);
  assert.equal(entry.detail.via, 'portal');
});

test('filing: validation errors name the portal\'s fields', async () => {
  await srv.ready;
  const cases = [
    [{ phone: undefined }, 'phone', 'required'],
    [{ phone: '12345' }, 'phone', 'bad_length'],
    [{ phone: 13812345678 }, 'phone', 'bad_type'],
    [{ subject: undefined }, 'subject', 'required'],
    [{ subject: '  ' }, 'subject', 'empty'],
    [{ subject: '长'.repeat(101) }, 'subject', 'too_long'],
    [{ project: undefined }, 'project', 'required'],
    [{ project: 'ZZ' }, 'project', 'unknown'],
    [{ content: undefined }, 'content', 'required'],
    [{ name: '名'.repeat(51) }, 'name', 'too_long'],
    [{ building: undefined }, 'unit', 'requires_building'],
    [{ category: 'nope' }, 'category', 'unknown'],
    [{ lang: 'fr' }, 'lang', 'bad_value'],
    [{ channel: 'phone' }, 'channel', 'unknown_field'],
    [{ complainant: { phone: PHONE } }, 'complainant', 'unknown_field'],
  ];
  for (const [over, field, reason] of cases) {
    const r = await portal('POST', '/api/portal/complaints', filing(over));
    assert.equal(r.status, 400, `${JSON.stringify(over)}: ${r.text}`);
    assert.equal(r.json.error.field, field, `${JSON.stringify(over)}: ${r.text}`);
    assert.equal(r.json.error.reason, reason, `${JSON.stringify(over)}: ${r.text}`);
  }
  assertError(await portal('POST', '/api/portal/complaints', '{"project":', { 'Content-Type': 'application/json' }),
    400, 'body', 'bad_json');
  // English on request, by the body's lang
  const en = await portal('POST', '/api/portal/complaints', filing({ lang: 'en', project: 'ZZ' }));
  assert.equal(en.status, 400);
  assert.ok(!hasCJK(en.json.error.message), en.json.error.message);
});

test('filing is limited per client address (portal_filings_per_hour)', async (t) => {
  const s = await startServer({ env: { KESU_PORTAL_FILINGS_PER_HOUR: '2' } });
  t.after(() => s.stop());
  const post = (body) => s.api('POST', '/api/portal/complaints', { body, headers: { Authorization: null } });
  // refused filings do not count: neither a bad body nor one the store refuses
  assert.equal((await post(filing({ subject: undefined }))).status, 400);
  assert.equal((await post(filing({ project: 'ZZ' }))).status, 400);
  assert.equal((await post(filing())).status, 201);
  assert.equal((await post(filing())).status, 201);
  const r = await post(filing());
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.code, 'rate_limited');
  assert.equal(r.json.error.reason, 'rate_limited');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 3500 && wait <= 3600, `Retry-After ${r.headers.get('retry-after')}`);
  // staff registration is not affected
  assert.equal((await s.api('POST', '/api/complaints', {
    body: { channel: 'phone', project: 'HY', complainant: { phone: PHONE }, subject: '电话登记', content: '内容' },
  })).status, 201);
});

// ---- photos ----

test('photos: PNG and JPEG taken, text refused, at most 6, wrong phone like an unknown number', async () => {
  await srv.ready;
  const { number } = await file();
  // a staff member's upload is not one of the customer's six
  ok(await srv.api('POST', `/api/complaints/${number}/attachments?name=staff.png`,
    { body: PNG, headers: { 'Content-Type': 'image/png' } }), 201);
  const a = ok(await upload(number, PNG), 201);
  assert.deepEqual(Object.keys(a).sort(), ['content_type', 'id', 'name', 'size']);
  assert.equal(a.content_type, 'image/png');
  assert.equal(a.name, '照片.png');
  assert.equal(a.size, PNG.length);
  // the type is what the bytes are, whatever the name says; the number in any case
  assert.equal(ok(await upload(number.toLowerCase(), JPEG, { name: 'photo.png' }), 201).content_type, 'image/jpeg');
  assertError(await upload(number, Buffer.from('just some text\n'), { name: 'a.txt' }), 415, 'body', 'not_image');
  assertError(await upload(number, Buffer.from('%PDF-1.4\n'), { name: 'a.pdf' }), 415, 'body', 'not_image');
  assertError(await upload(number, Buffer.alloc(0)), 400, 'body', 'empty');
  assertError(await upload(number, PNG, { phone: '13900001111' }), 404, 'number', 'not_found');
  assertError(await upload(number, PNG, { phone: null }), 400, 'X-Kesu-Phone', 'required');
  assertError(await upload(number, PNG, { name: '' }), 400, 'name', 'empty');
  for (let i = 0; i < 4; i++) ok(await upload(number, PNG, { name: `p${i}.png` }), 201);
  assertError(await upload(number, PNG, { name: 'p7.png' }), 409, 'photos', 'too_many');
  // staff see them, marked as the customer's
  const s = ok(await staff('GET', `/api/complaints/${number}`));
  assert.equal(s.attachments.length, 7);
  const ev = s.timeline.filter((e) => e.type === 'attachment' && e.data.by === 'customer');
  assert.equal(ev.length, 6);
  assert.ok(ev.every((e) => e.author === null));
  assert.equal(ok(await track(number)).photos, 6);
});

test('photos: an upload over attachment_max is 413', async (t) => {
  const s = await startServer({ env: { KESU_ATTACHMENT_MAX: '2048' } });
  t.after(() => s.stop());
  const f = await s.api('POST', '/api/portal/complaints', { body: filing(), headers: { Authorization: null } });
  assert.equal(f.status, 201, f.text);
  const big = Buffer.concat([PNG, Buffer.alloc(4096)]);
  const r = await s.api('POST', `/api/portal/complaints/${f.json.number}/attachments?name=big.png`,
    { body: big, headers: { Authorization: null, 'X-Kesu-Phone': PHONE, 'Content-Type': 'image/png' } });
  assert.equal(r.status, 413, r.text);
});

test('photos: not after the complaint is resolved', async () => {
  await srv.ready;
  const number = await filedTo('resolved');
  assertError(await upload(number, PNG), 409, null, 'closed_for_upload');
});

// ---- tracking ----

test('track: the customer\'s view only — replies yes, notes, staff, grade and departments no', async () => {
  await srv.ready;
  const number = await filedTo('in_progress');
  const note = '内部备注:业主情绪激动,注意沟通XYZ';
  ok(await staff('POST', `/api/complaints/${number}/events`, { type: 'note', text: note }), 201);
  ok(await staff('POST', `/api/complaints/${number}/events`, { type: 'reply', text: '已安排维修人员今天下午上门' }), 201);
  ok(await staff('POST', `/api/complaints/${number}/events`, { type: 'reply', text: '配件已到,明天更换' }), 201);
  const inside = ok(await staff('GET', `/api/complaints/${number}`));
  assert.ok(inside.handler && inside.handler.name, JSON.stringify(inside.handler));

  const r = await track(number);
  const v = ok(r);
  assert.deepEqual(Object.keys(v).sort(), VIEW_KEYS);
  assert.equal(v.number, number);
  assert.equal(v.status, 'in_progress');
  assert.equal(v.subject, '电梯停运');
  assert.equal(v.demands, '尽快修好');
  assert.deepEqual(v.project, { code: 'HY', name: '华苑花园' });
  assert.equal(v.building, '1栋');
  assert.notEqual(v.unit, '1单元101', 'the unit is masked');
  assert.equal(v.phone, '138****5678');
  assert.match(v.received_at, TIME_RE);
  assert.deepEqual(v.replies.map((x) => x.text), ['已安排维修人员今天下午上门', '配件已到,明天更换']);
  for (const x of v.replies) {
    assert.deepEqual(Object.keys(x).sort(), ['at', 'text']);
    assert.match(x.at, TIME_RE);
  }
  assert.equal(v.resolution, null);
  assert.equal(v.can_confirm, false);
  assert.equal(v.can_rate, false);
  assert.equal(v.rating, null);
  // nothing internal anywhere in the answer
  for (const secret of [note, 'XYZ', inside.handler.name, 'lina', inside.handler.login]) {
    assert.ok(!r.text.includes(secret), `"${secret}" in ${r.text}`);
  }
  if (inside.department) assert.ok(!r.text.includes(inside.department.name));
  for (const key of ['grade', 'handler', 'department', 'timeline', 'notes', 'complainant', 'events']) {
    assert.ok(!(key in v), key);
  }
  // a lower-case number is the same number
  assert.equal(ok(await track(number.toLowerCase())).number, number);
});

test('track: a wrong phone is answered exactly like an unknown number', async () => {
  await srv.ready;
  const { number } = await file();
  const wrong = await track(number, '13900001111');
  const unknown = await track('KS-1999-999999');
  const malformed = await track('nonsense');
  assertError(wrong, 404, 'number', 'not_found');
  assert.equal(wrong.text, unknown.text);
  assert.equal(wrong.text, malformed.text);
  // the phone is compared as a number, not as typed
  assert.equal(ok(await track(number, '+86 138-1234-5678')).number, number);
  assertError(await track(number, 'abc'), 400, 'phone', 'bad_character');
  assertError(await portal('POST', '/api/portal/track', { number }), 400, 'phone', 'required');
  assertError(await portal('POST', '/api/portal/track', { phone: PHONE }), 400, 'number', 'required');
});

test('track: repeated wrong phones are throttled (429 with Retry-After), also for the right one', async () => {
  await srv.ready;
  const { number } = await file();
  let r;
  let tries = 0;
  for (; tries < 10; tries++) {
    r = await track(number, '13900001111');
    if (r.status === 429) break;
    assertError(r, 404, 'number', 'not_found');
  }
  assert.equal(r.status, 429, `no 429 after ${tries} wrong phones: ${r.text}`);
  assert.ok(tries >= 3, `the first wrong phones are free (${tries})`);
  assert.equal(r.json.error.code, 'rate_limited');
  assert.equal(r.json.error.reason, 'rate_limited');
  assert.ok(Number(r.headers.get('retry-after')) >= 1, r.headers.get('retry-after'));
  // while the number waits, even the right phone is told to wait: guessing gains nothing
  assert.equal((await track(number)).status, 429);
  // every route that takes number and phone is throttled alike
  assert.equal((await upload(number, PNG)).status, 429);
  assert.equal((await confirm(number, { phone: PHONE, accept: true })).status, 429);
  // another number is not affected
  const other = await file();
  assert.equal((await track(other.number)).status, 200);
});

// ---- confirming the resolution ----

test('confirm accept: resolved → closed with the customer\'s agreement, follow-up scheduled', async () => {
  await srv.ready;
  const number = await filedTo('resolved');
  const before = ok(await track(number));
  assert.equal(before.can_confirm, true);
  assert.equal(before.resolution.text, '已更换电梯控制板,运行正常');
  assert.match(before.resolution.at, TIME_RE);
  const v = ok(await confirm(number, { phone: PHONE, accept: true, comment: '谢谢,已经好了' }));
  assert.deepEqual(Object.keys(v).sort(), VIEW_KEYS);
  assert.equal(v.status, 'closed');
  assert.equal(v.can_confirm, false);
  assert.equal(v.can_rate, true);
  assert.equal(v.resolution.text, '已更换电梯控制板,运行正常');
  const s = ok(await staff('GET', `/api/complaints/${number}`));
  assert.equal(s.status, 'closed');
  assert.equal(s.close_response, 'agreed');
  assert.equal(s.followups.length, 1);
  assert.equal(s.followups[0].status, 'open');
  const closed = s.timeline.find((e) => e.type === 'closed');
  assert.equal(closed.author, null);
  assert.equal(closed.data.by, 'customer');
  assert.equal(closed.text, '谢谢,已经好了');
  assert.ok(s.timeline.some((e) => e.type === 'followup_scheduled'));
  // not twice
  assertError(await confirm(number, { phone: PHONE, accept: true }), 409, 'status', 'not_allowed');
});

test('confirm reject: a comment is required; resolved → in_progress, the handler told', async () => {
  await srv.ready;
  const number = await filedTo('resolved');
  assertError(await confirm(number, { phone: PHONE, accept: false }), 400, 'comment', 'required');
  assertError(await confirm(number, { phone: PHONE }), 400, 'accept', 'required');
  assertError(await confirm(number, { phone: '13900001111', accept: false, comment: '没修好' }), 404, 'number', 'not_found');
  const v = ok(await confirm(number, { phone: PHONE, accept: false, comment: '电梯今天又停了' }));
  assert.equal(v.status, 'in_progress');
  assert.equal(v.resolution, null);
  assert.equal(v.can_confirm, false);
  const s = ok(await staff('GET', `/api/complaints/${number}`));
  assert.equal(s.status, 'in_progress');
  const d = s.timeline.find((e) => e.type === 'disputed');
  assert.equal(d.text, '电梯今天又停了');
  assert.equal(d.data.by, 'customer');
  assert.equal(d.author, null);
  // lina handles it: her inbox says so
  const tok = spawnSync(KESU_BIN, ['token', 'add', '--db', srv.db, '--name', 'portal-lina', '--user', 'lina', '--scopes', '*'],
    { env: srv.env, encoding: 'utf8' });
  assert.equal(tok.status, 0, tok.stderr);
  const inbox = ok(await srv.api('GET', '/api/notifications', { headers: { Authorization: `Bearer ${tok.stdout.trim()}` } }));
  assert.ok(inbox.items.some((n) => n.kind === 'customer_disputed' && n.title_zh.includes(number)),
    JSON.stringify(inbox.items.map((n) => n.kind)));
  // not before it is resolved
  const open = await filedTo('in_progress');
  assertError(await confirm(open, { phone: PHONE, accept: true }), 409, 'status', 'not_allowed');
});

// ---- rating ----

test('rating: once, after closing; kept as an event the staff see', async () => {
  await srv.ready;
  const resolved = await filedTo('resolved');
  assertError(await rate(resolved, { phone: PHONE, satisfaction: 'satisfied' }), 409, 'status', 'not_allowed');
  const number = await filedTo('closed');
  assertError(await rate(number, { phone: PHONE, satisfaction: 'great' }), 400, 'satisfaction', 'bad_value');
  assertError(await rate(number, { phone: PHONE }), 400, 'satisfaction', 'required');
  assertError(await rate(number, { phone: PHONE, satisfaction: 'fair', comment: '长'.repeat(501) }), 400, 'comment', 'too_long');
  const v = ok(await rate(number, { phone: PHONE, satisfaction: 'fair', comment: '修得慢了点' }), 201);
  assert.equal(v.can_rate, false);
  assert.equal(v.rating.satisfaction, 'fair');
  assert.equal(v.rating.comment, '修得慢了点');
  assert.match(v.rating.at, TIME_RE);
  assertError(await rate(number, { phone: PHONE, satisfaction: 'satisfied' }), 409, null, 'already_rated');
  assert.deepEqual(ok(await track(number)).rating, v.rating);
  const s = ok(await staff('GET', `/api/complaints/${number}`));
  const ev = s.timeline.filter((e) => e.type === 'customer_rating');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].data.satisfaction, 'fair');
  assert.equal(ev[0].text, '修得慢了点');
  assert.equal(ev[0].visibility, 'customer');
  assert.equal(ev[0].author, null);
});

// ---- staff credentials are not the portal's business ----

test('a staff session cookie without CSRF token does not break the portal, nor lend it rights', async () => {
  await srv.ready;
  // a session must begin after the password was set (by the command line, on the real clock)
  setNow(Math.max(now, Date.now()) + 120_000);
  const s = await srv.api('POST', '/api/session', { body: { login: 'tester', password: TESTER_PASSWORD }, headers: { Authorization: null } });
  assert.equal(s.status, 200, s.text);
  const cookie = s.headers.get('set-cookie').split(';')[0];
  const withCookie = { Cookie: cookie };
  // the same cookie on a staff route changing state needs its CSRF token
  const refused = await srv.api('POST', '/api/complaints', { body: {}, headers: { Authorization: null, ...withCookie } });
  assert.equal(refused.status, 403, refused.text);
  const f = await portal('POST', '/api/portal/complaints', filing(), withCookie);
  assert.equal(f.status, 201, f.text);
  assert.equal((await portal('POST', '/api/portal/track', { number: f.json.number, phone: PHONE }, withCookie)).status, 200);
  assert.equal((await upload(f.json.number, PNG, {})).status, 201);
  // a broken cookie or token is ignored too
  assert.equal((await portal('POST', '/api/portal/track', { number: f.json.number, phone: PHONE },
    { Cookie: 'kesu_session=garbage', Authorization: 'Bearer nonsense' })).status, 200);
  // and the portal did not act as the signed-in staff member
  const c = ok(await staff('GET', `/api/complaints/${f.json.number}`));
  assert.equal(c.received_by, null);
  assert.equal(c.timeline[0].author, null);
});

// ---- time: photos only within a day of filing (moves the clock: keep last) ----

test('photos: not more than 24 hours after filing', async () => {
  await srv.ready;
  const { number } = await file();
  ok(await upload(number, PNG), 201);
  setNow(now + 25 * 3600_000);
  assertError(await upload(number, PNG), 409, null, 'closed_for_upload');
  const v = ok(await track(number));
  assert.equal(v.photos, 1);
});
