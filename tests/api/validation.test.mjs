// POST /api/complaints: one test per (field, reason) of the contract, plus the
// accepted edge values next to each limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, complaintBody, hasCJK, cstIso, reveal } from './lib/server.mjs';

const srv = useServer();

const clone = (o) => JSON.parse(JSON.stringify(o));
/** Body with a modification applied by fn(body) (deep copy first). */
const mod = (fn) => () => { const b = clone(complaintBody()); fn(b); return b; };
const set = (path, v) => mod((b) => {
  const keys = path.split('.');
  let o = b;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  if (v === undefined) delete o[keys.at(-1)];
  else o[keys.at(-1)] = v;
});

const zh = (n, ch = '电') => ch.repeat(n);
const minutesFromNow = (m) => cstIso(new Date(Date.now() + m * 60_000));

// [title, body(), field, reason] — all must give 400 invalid.
const INVALID = [
  // channel
  ['channel missing', set('channel', undefined), 'channel', 'required'],
  ['channel null', set('channel', null), 'channel', 'required'],
  ['channel white space', set('channel', '   '), 'channel', 'empty'],
  ['channel not in enum', set('channel', 'fax'), 'channel', 'bad_value'],
  ['channel wrong case', set('channel', 'PHONE'), 'channel', 'bad_value'],
  ['channel number', set('channel', 3), 'channel', 'bad_type'],
  // kind
  ['kind not in enum', set('kind', 'praise'), 'kind', 'bad_value'],
  ['kind number', set('kind', 1), 'kind', 'bad_type'],
  // comm_type
  ['comm_type not in enum', set('comm_type', 'rant'), 'comm_type', 'bad_value'],
  ['comm_type bool', set('comm_type', true), 'comm_type', 'bad_type'],
  // received_at
  ['received_at date only', set('received_at', '2026-01-05'), 'received_at', 'missing_time'],
  ['received_at 10 min in the future', () => complaintBody({ received_at: minutesFromNow(10) }), 'received_at', 'in_future'],
  ['received_at next year', () => complaintBody({ received_at: `${new Date().getUTCFullYear() + 1}-06-01T10:00+08:00` }), 'received_at', 'in_future'],
  ['received_at 30 Feb', set('received_at', '2025-02-30T10:00+08:00'), 'received_at', 'bad_date'],
  ['received_at 29 Feb non-leap', set('received_at', '2025-02-29T10:00+08:00'), 'received_at', 'bad_date'],
  ['received_at month 13', set('received_at', '2025-13-01T10:00+08:00'), 'received_at', 'bad_date'],
  ['received_at 24:00', set('received_at', '2025-03-01T24:00+08:00'), 'received_at', 'bad_time'],
  ['received_at 12:60', set('received_at', '2025-03-01T12:60+08:00'), 'received_at', 'bad_time'],
  ['received_at offset +25:00', set('received_at', '2025-03-01T12:00+25:00'), 'received_at', 'bad_offset'],
  ['received_at offset +08:60', set('received_at', '2025-03-01T12:00+08:60'), 'received_at', 'bad_offset'],
  ['received_at words', set('received_at', 'yesterday'), 'received_at', 'bad_format'],
  ['received_at slashes', set('received_at', '2025/03/01 12:00'), 'received_at', 'bad_format'],
  ['received_at before 1970', set('received_at', '1969-12-31T12:00+08:00'), 'received_at', 'out_of_range'],
  ['received_at number', set('received_at', 1700000000), 'received_at', 'bad_type'],
  ['received_at empty', set('received_at', ' '), 'received_at', 'empty'],
  // received_by
  ['received_by unknown login', set('received_by', 'nobody'), 'received_by', 'unknown'],
  ['received_by number', set('received_by', 7), 'received_by', 'bad_type'],
  // project
  ['project missing', set('project', undefined), 'project', 'required'],
  ['project null', set('project', null), 'project', 'required'],
  ['project empty', set('project', ''), 'project', 'empty'],
  ['project unknown', set('project', 'ZZ'), 'project', 'unknown'],
  ['project object', set('project', { code: 'HY' }), 'project', 'bad_type'],
  // building
  ['building unknown', set('building', '99栋'), 'building', 'unknown'],
  ['building of another project (HY has 12)', set('building', '13栋'), 'building', 'unknown'],
  ['building number', set('building', 3), 'building', 'bad_type'],
  // unit
  ['unit without building', set('unit', '1单元101'), 'unit', 'requires_building'],
  ['unit unknown entrance', mod((b) => { b.building = '3栋'; b.unit = '3单元101'; }), 'unit', 'unknown'],
  ['unit unknown floor', mod((b) => { b.building = '3栋'; b.unit = '1单元1901'; }), 'unit', 'unknown'],
  ['unit unknown room', mod((b) => { b.building = '3栋'; b.unit = '1单元105'; }), 'unit', 'unknown'],
  // complainant
  ['complainant missing', set('complainant', undefined), 'complainant', 'required'],
  ['complainant null', set('complainant', null), 'complainant', 'required'],
  ['complainant string', set('complainant', '王先生'), 'complainant', 'bad_type'],
  ['complainant array', set('complainant', []), 'complainant', 'bad_type'],
  ['complainant without phone or email', set('complainant', { name: '王先生' }), 'complainant.phone', 'required'],
  ['complainant not anonymous, empty object', set('complainant', {}), 'complainant.phone', 'required'],
  ['complainant.name 51 chars', set('complainant.name', zh(51, '王')), 'complainant.name', 'too_long'],
  ['complainant.name number', set('complainant.name', 5), 'complainant.name', 'bad_type'],
  ['complainant.name control char', set('complainant.name', '王\u0007先生'), 'complainant.name', 'bad_character'],
  ['complainant.phone number type', set('complainant.phone', 13812345678), 'complainant.phone', 'bad_type'],
  ['complainant.phone letters', set('complainant.phone', '138abcd5678'), 'complainant.phone', 'bad_character'],
  ['complainant.phone +1', set('complainant.phone', '+1 415 555 1234'), 'complainant.phone', 'bad_country_code'],
  ['complainant.phone +44', set('complainant.phone', '+44 20 7946 0958'), 'complainant.phone', 'bad_country_code'],
  ['complainant.phone mobile 12x', set('complainant.phone', '12012345678'), 'complainant.phone', 'bad_mobile'],
  ['complainant.phone mobile 10 digits', set('complainant.phone', '1381234567'), 'complainant.phone', 'bad_length'],
  ['complainant.phone mobile 12 digits', set('complainant.phone', '138123456789'), 'complainant.phone', 'bad_length'],
  ['complainant.phone landline short', set('complainant.phone', '010-1234567'), 'complainant.phone', 'bad_length'],
  ['complainant.phone landline long', set('complainant.phone', '0755-123456789'), 'complainant.phone', 'bad_length'],
  ['complainant.phone bad area code 011', set('complainant.phone', '011-12345678'), 'complainant.phone', 'bad_area_code'],
  ['complainant.phone bad area code 0123', set('complainant.phone', '0123-1234567'), 'complainant.phone', 'bad_area_code'],
  ['complainant.phone extension too long', set('complainant.phone', '010-12345678 ext 1234567'), 'complainant.phone', 'bad_extension'],
  ['complainant.phone extension on mobile', set('complainant.phone', '13812345678 ext 12'), 'complainant.phone', 'bad_extension'],
  ['complainant.email without @', set('complainant.email', 'wang.example.com'), 'complainant.email', 'bad_email'],
  ['complainant.email two @', set('complainant.email', 'wang@x@example.com'), 'complainant.email', 'bad_email'],
  ['complainant.email no dot in domain', set('complainant.email', 'wang@localhost'), 'complainant.email', 'bad_email'],
  ['complainant.email nothing before @', set('complainant.email', '@example.com'), 'complainant.email', 'bad_email'],
  ['complainant.email 255 chars', set('complainant.email', 'a'.repeat(243) + '@example.com'), 'complainant.email', 'too_long'],
  ['complainant.email number', set('complainant.email', 1), 'complainant.email', 'bad_type'],
  ['complainant.role bad', set('complainant.role', 'landlord'), 'complainant.role', 'bad_value'],
  ['complainant.role number', set('complainant.role', 1), 'complainant.role', 'bad_type'],
  ['complainant.anonymous string', set('complainant.anonymous', 'yes'), 'complainant.anonymous', 'bad_type'],
  ['complainant.anonymous number', set('complainant.anonymous', 1), 'complainant.anonymous', 'bad_type'],
  ['complainant unknown member', set('complainant.age', 40), 'complainant.age', 'unknown_field'],
  // headcount
  ['headcount 0', set('headcount', 0), 'headcount', 'too_small'],
  ['headcount -1', set('headcount', -1), 'headcount', 'too_small'],
  ['headcount 100001', set('headcount', 100001), 'headcount', 'too_large'],
  ['headcount 1e12', set('headcount', 1e12), 'headcount', 'too_large'],
  ['headcount 1.5', set('headcount', 1.5), 'headcount', 'bad_type'],
  ['headcount "3"', set('headcount', '3'), 'headcount', 'bad_type'],
  ['headcount true', set('headcount', true), 'headcount', 'bad_type'],
  // subject
  ['subject missing', set('subject', undefined), 'subject', 'required'],
  ['subject null', set('subject', null), 'subject', 'required'],
  ['subject empty', set('subject', ''), 'subject', 'empty'],
  ['subject white space only', set('subject', '    '), 'subject', 'empty'],
  ['subject 101 Chinese chars', set('subject', zh(101)), 'subject', 'too_long'],
  ['subject 101 latin chars', set('subject', 'a'.repeat(101)), 'subject', 'too_long'],
  ['subject 101 astral chars (𠮷)', set('subject', '𠮷'.repeat(101)), 'subject', 'too_long'],
  ['subject control char', set('subject', '电梯\u0001困人'), 'subject', 'bad_character'],
  ['subject newline', set('subject', '电梯\n困人'), 'subject', 'bad_character'],
  ['subject DEL', set('subject', '电梯\u007f'), 'subject', 'bad_character'],
  ['subject number', set('subject', 123), 'subject', 'bad_type'],
  ['subject array', set('subject', ['电梯']), 'subject', 'bad_type'],
  // content
  ['content missing', set('content', undefined), 'content', 'required'],
  ['content empty', set('content', ''), 'content', 'empty'],
  ['content only newlines', set('content', '\n\n\t '), 'content', 'empty'],
  ['content 20001 chars', set('content', zh(20001, '漏')), 'content', 'too_long'],
  ['content control char', set('content', '漏水\u0008了'), 'content', 'bad_character'],
  ['content NUL', set('content', '漏水\u0000了'), 'content', 'bad_character'],
  ['content object', set('content', {}), 'content', 'bad_type'],
  // demands
  ['demands 2001 chars', set('demands', zh(2001, '修')), 'demands', 'too_long'],
  ['demands number', set('demands', 1), 'demands', 'bad_type'],
  ['demands control char', set('demands', '修\u001b好'), 'demands', 'bad_character'],
  // category / subcategory
  ['category unknown', set('category', 'weather'), 'category', 'unknown'],
  ['category by Chinese name', set('category', '设备管理类'), 'category', 'unknown'],
  ['category number', set('category', 2), 'category', 'bad_type'],
  ['subcategory without category', set('subcategory', 'lift'), 'subcategory', 'requires_category'],
  ['subcategory of another category', mod((b) => { b.category = 'building'; b.subcategory = 'lift'; }), 'subcategory', 'unknown'],
  ['subcategory unknown', mod((b) => { b.category = 'equipment'; b.subcategory = 'rocket'; }), 'subcategory', 'unknown'],
  // flags
  ['flags array', set('flags', []), 'flags', 'bad_type'],
  ['flags string', set('flags', 'injury'), 'flags', 'bad_type'],
  ['flags.injury string', set('flags', { injury: 'yes' }), 'flags.injury', 'bad_type'],
  ['flags.vip number', set('flags', { vip: 1 }), 'flags.vip', 'bad_type'],
  ['flags unknown member', set('flags', { fire: true }), 'flags.fire', 'unknown_field'],
  // loss_amount
  ['loss_amount "12.345"', set('loss_amount', '12.345'), 'loss_amount', 'too_many_decimals'],
  ['loss_amount 12.345', set('loss_amount', 12.345), 'loss_amount', 'too_many_decimals'],
  ['loss_amount -1', set('loss_amount', -1), 'loss_amount', 'negative'],
  ['loss_amount "-0.01"', set('loss_amount', '-0.01'), 'loss_amount', 'negative'],
  ['loss_amount 100000000.01', set('loss_amount', 100000000.01), 'loss_amount', 'too_large'],
  ['loss_amount "100000000.01"', set('loss_amount', '100000000.01'), 'loss_amount', 'too_large'],
  ['loss_amount 1e10', set('loss_amount', 1e10), 'loss_amount', 'too_large'],
  ['loss_amount "abc"', set('loss_amount', 'abc'), 'loss_amount', 'bad_format'],
  ['loss_amount "1,200"', set('loss_amount', '1,200'), 'loss_amount', 'bad_format'],
  ['loss_amount true', set('loss_amount', true), 'loss_amount', 'bad_type'],
  // unknown members
  ['unknown top-level member', set('foo', 1), 'foo', 'unknown_field'],
  ['unknown member "number"', set('number', 'KS-2026-000001'), 'number', 'unknown_field'],
  ['unknown member "status"', set('status', 'closed'), 'status', 'unknown_field'],
];

for (const [title, body, field, reason] of INVALID) {
  test(`400 ${field} ${reason}: ${title}`, async () => {
    const r = await srv.api('POST', '/api/complaints', { body: body() });
    assert.equal(r.status, 400, `want 400 ${field}/${reason}, got ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json?.error?.code, 'invalid', r.text);
    assert.deepEqual({ field: r.json.error.field, reason: r.json.error.reason }, { field, reason }, r.json.error.message);
    assert.ok(hasCJK(r.json.error.message), `Chinese message by default: ${r.json.error.message}`);
    assert.ok(!r.headers.get('location'), 'no Location on error');
  });
}

// [title, body(), check(json)] — all must give 201.
const VALID = [
  ['subject 100 Chinese chars', set('subject', zh(100)), (j) => assert.equal(j.subject, zh(100))],
  ['subject 100 astral chars (𠮷 is 4 bytes)', set('subject', '𠮷'.repeat(100)), (j) => assert.equal(j.subject, '𠮷'.repeat(100))],
  ['subject trimmed', set('subject', '  电梯困人 \u3000'), (j) => assert.match(j.subject, /^电梯困人\u3000?$/)],
  ['subject of 100 chars after trimming', set('subject', '  ' + zh(100) + '  '), (j) => assert.equal(j.subject, zh(100))],
  ['content 20000 chars', set('content', zh(20000, '漏')), (j) => assert.equal(j.content.length, 20000)],
  ['content with newlines and tabs', set('content', '第一行\n第二行\r\n\t缩进'), (j) => assert.equal(j.content, '第一行\n第二行\r\n\t缩进')],
  ['demands 2000 chars', set('demands', zh(2000, '修')), (j) => assert.equal(j.demands, zh(2000, '修'))],
  ['complainant.name 50 chars', set('complainant.name', zh(50, '王')), (j) => assert.equal(j.complainant.name, zh(50, '王'))],
  ['complainant.email 254 chars', set('complainant.email', 'a'.repeat(242) + '@example.com'), async (j) => assert.equal((await reveal(srv, j.number)).email.length, 254)],
  ['anonymous without phone or email', set('complainant', { anonymous: true }), (j) => assert.equal(j.complainant.anonymous, true)],
  ['email instead of phone', set('complainant', { name: '李女士', email: 'li@example.com' }), (j) => {
    assert.equal(j.complainant.email, 'l***@example.com');
    assert.equal(j.complainant.phone, null);
  }],
  ['headcount 1', set('headcount', 1), (j) => assert.equal(j.headcount, 1)],
  ['headcount 100000', set('headcount', 100000), (j) => assert.equal(j.headcount, 100000)],
  ['loss_amount "0"', set('loss_amount', '0'), (j) => assert.equal(j.loss_amount, '0.00')],
  ['loss_amount 0', set('loss_amount', 0), (j) => assert.equal(j.loss_amount, '0.00')],
  ['loss_amount 100000000', set('loss_amount', 100000000), (j) => assert.equal(j.loss_amount, '100000000.00')],
  ['loss_amount "100000000.00"', set('loss_amount', '100000000.00'), (j) => assert.equal(j.loss_amount, '100000000.00')],
  ['loss_amount 12.5', set('loss_amount', 12.5), (j) => assert.equal(j.loss_amount, '12.50')],
  ['loss_amount 0.1 (binary float)', set('loss_amount', 0.1), (j) => assert.equal(j.loss_amount, '0.10')],
  ['loss_amount 1200.57', set('loss_amount', 1200.57), (j) => assert.equal(j.loss_amount, '1200.57')],
  ['loss_amount "1200.50"', set('loss_amount', '1200.50'), (j) => assert.equal(j.loss_amount, '1200.50')],
  ['received_at +08:00', set('received_at', '2025-03-01T09:15+08:00'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at Z', set('received_at', '2025-03-01T01:15:00Z'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at -05:00', set('received_at', '2025-02-28T20:15:00-05:00'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at without zone = deployment zone', set('received_at', '2025-03-01T09:15'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at seconds dropped', set('received_at', '2025-03-01T09:15:59+08:00'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at fraction dropped', set('received_at', '2025-03-01T09:15:59.999+08:00'), (j) => assert.equal(j.received_at, '2025-03-01T09:15:00+08:00')],
  ['received_at 29 Feb leap year', set('received_at', '2024-02-29T23:59+08:00'), (j) => assert.equal(j.received_at, '2024-02-29T23:59:00+08:00')],
  ['received_at 3 min in the future is accepted', () => complaintBody({ received_at: minutesFromNow(3) }), (j) => assert.ok(Date.parse(j.received_at) > Date.now())],
  ['received_by known staff', set('received_by', 'lina'), (j) => assert.deepEqual(j.received_by, { login: 'lina', name: '李娜' })],
  ['building and unit', mod((b) => { b.building = '3栋'; b.unit = '2单元1804'; }), async (j) => { assert.equal(j.building, '3栋'); assert.equal(j.unit, '2单元****'); assert.equal((await reveal(srv, j.number)).unit, '2单元1804'); }],
  ['building of JX 16栋', mod((b) => { b.project = 'JX'; b.building = '16栋'; }), (j) => assert.equal(j.project.name, '锦绣江南')],
  ['category + subcategory', mod((b) => { b.category = 'equipment'; b.subcategory = 'lift'; }), (j) => {
    assert.equal(j.category.code, 'equipment');
    assert.equal(j.subcategory.code, 'lift');
    assert.ok(hasCJK(j.category.name_zh) && hasCJK(j.subcategory.name_zh));
  }],
  ['category without subcategory', set('category', 'environment'), (j) => { assert.equal(j.category.code, 'environment'); assert.equal(j.subcategory, null); }],
  ['flags partial', set('flags', { injury: true }), (j) => assert.deepEqual(j.flags, { injury: true, media: false, lawsuit: false, threat_media: false, threat_lawsuit: false, vip: false })],
  ['every kind', set('kind', 'repair'), (j) => assert.equal(j.kind, 'repair')],
  ['comm_type help', set('comm_type', 'help'), (j) => assert.equal(j.comm_type, 'help')],
  ['role tenant', set('complainant.role', 'tenant'), (j) => assert.equal(j.complainant.role, 'tenant')],
  ['optional members given as null', mod((b) => { b.demands = null; b.category = null; b.building = null; }), (j) => { assert.equal(j.demands, null); assert.equal(j.category, null); }],
  // the documented rule: an optional text that is blank after trimming is not given
  ['complainant.phone white space, with an e-mail', mod((b) => { b.complainant.phone = '  '; b.complainant.email = 'a@example.com'; }), (j) => { assert.equal(j.complainant.phone, null); assert.equal(j.complainant.email, 'a***@example.com'); }],
  ['optional members given as blank text', mod((b) => { b.demands = ' \u3000 '; b.loss_amount = ''; }), (j) => { assert.equal(j.demands, null); assert.equal(j.loss_amount, null); }],
];

for (const [title, body, check] of VALID) {
  test(`201: ${title}`, async () => {
    const r = await srv.api('POST', '/api/complaints', { body: body() });
    assert.equal(r.status, 201, r.text.slice(0, 400));
    await check(r.json);
    // what was returned is what is stored
    const g = await srv.api('GET', `/api/complaints/${r.json.number}`);
    assert.equal(g.status, 200);
    const { timeline: t1, ...a } = r.json;
    const { timeline: t2, ...b } = g.json;
    assert.deepEqual(b, a);
    assert.deepEqual(t2, t1);
  });
}

// Phone numbers people type, and the canonical form kesu keeps.
const PHONES = [
  ['13812345678', '13812345678'],
  ['138 1234 5678', '13812345678'],
  ['138-1234-5678', '13812345678'],
  ['+86 138 1234 5678', '13812345678'],
  ['+8613812345678', '13812345678'],
  ['008613812345678', '13812345678'],
  ['19912345678', '19912345678'],
  ['010-12345678', '010-12345678'],
  ['(010)12345678', '010-12345678'],
  ['0755-1234567', '0755-1234567'],
  ['0755 12345678', '0755-12345678'],
  ['+86 10 12345678', '010-12345678'],
  ['400-123-4567', '400-123-4567'],
  ['4001234567', '400-123-4567'],
  ['010-12345678 转123', '010-12345678-123'],
];
for (const [typed, canonical] of PHONES) {
  test(`phone "${typed}" is accepted and kept as ${canonical}`, async () => {
    const r = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { name: '测试', phone: typed } }) });
    assert.equal(r.status, 201, r.text);
    assert.equal((await reveal(srv, r.json.number)).phone, canonical);
  });
}

test('email is trimmed and kept', async () => {
  const r = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { phone: '13812345678', email: '  wang@example.com ' } }) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.complainant.email, 'w***@example.com');
  assert.equal((await reveal(srv, r.json.number)).email, 'wang@example.com');
});

test('English messages with Accept-Language en (for a validation error)', async () => {
  const r = await srv.api('POST', '/api/complaints', {
    body: complaintBody({ subject: zh(101) }),
    headers: { 'Accept-Language': 'en-US,en;q=0.9' },
  });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.reason, 'too_long');
  assert.ok(!hasCJK(r.json.error.message), `English message: ${r.json.error.message}`);
  assert.match(r.json.error.message, /[a-z]{3}/i);
});

test('Chinese message when Accept-Language prefers zh over en', async () => {
  const r = await srv.api('POST', '/api/complaints', {
    body: complaintBody({ subject: zh(101) }),
    headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' },
  });
  assert.equal(r.status, 400);
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
});

test('Chinese message when no Accept-Language header is sent at all', async () => {
  const body = Buffer.from(JSON.stringify(complaintBody({ subject: '' })));
  const r = await srv.raw(Buffer.concat([Buffer.from(
    'POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.reason, 'empty');
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
});
