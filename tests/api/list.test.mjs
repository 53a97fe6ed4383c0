// GET /api/complaints: keyset pagination in every sort, every filter, text search
// (Chinese terms of 1, 2 and 3+ characters, latin, digits, several terms), masking.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, complaintBody, listAll, reveal } from './lib/server.mjs';

const srv = useServer();

const CHANNELS = ['phone', 'visit', 'letter', 'email', 'web', 'wechat', 'media', 'government', 'internal'];
const KINDS = ['complaint', 'inquiry', 'suggestion', 'repair', 'claim'];
const PROJECTS = ['HY', 'JX', 'BJ'];
const CATS = ['building', 'equipment', 'environment', null, 'general'];

// Search fixtures: [tag, subject, content]
const TEXTS = [
  ['S1', '电梯困人', '3栋电梯停在两层之间,业主被困。'],
  ['S2', '电梯噪音', '电梯运行时噪音很大'],
  ['S3', '卫生间漏水', '楼上卫生间漏水到我家天花板'],
  ['S4', '外墙渗漏', '下雨时外墙渗漏'],
  ['S5', '楼上噪音扰民', '楼上邻居深夜噪音扰民,多次沟通无果'],
  ['S6', 'OTIS elevator broken', 'The OTIS elevator in building 7 stopped. Ticket 98765.'],
  ['S7', '物业费争议', '物业费收取标准不透明,单元1202业主质疑'],
  ['S8', '装修噪音', '隔壁装修噪音'],
  ['S9', '梯子被偷', '放在楼道的梯子被偷了,电视也不见了'],
  ['S10', '按钮坏了', '电 梯按钮坏了'],
];

const created = []; // {number, received_at, registered_at, project, channel, kind, category, status, tag, phone}

// received_at values: 45 generic ones over 2025-03-01..2025-03-15 with ties, plus day-boundary fixtures.
function genericReceivedAt(i) {
  const day = 1 + (i % 15);
  const minute = (i * 7) % 60;
  const hour = 8 + (i % 3 === 0 ? 0 : i % 10); // some ties on the same minute
  return `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(i % 3 === 0 ? 0 : minute).padStart(2, '0')}+08:00`;
}
const BOUNDARY = [
  ['B1', '2025-03-02T23:59+08:00'],
  ['B2', '2025-03-03T00:00+08:00'],
  ['B3', '2025-03-05T23:59+08:00'],
  ['B4', '2025-03-06T00:00+08:00'],
];

async function register(body, meta) {
  const r = await srv.api('POST', '/api/complaints', { body });
  assert.equal(r.status, 201, r.text);
  created.push({
    number: r.json.number, received_at: r.json.received_at, registered_at: r.json.registered_at,
    project: body.project, channel: body.channel, kind: body.kind || 'complaint',
    category: body.category ?? null, status: r.json.status, phone: body.complainant?.phone ?? null, ...meta,
  });
  return r.json;
}

before(async () => {
  await srv.ready;
  for (let i = 0; i < 45; i++) {
    await register(complaintBody({
      channel: CHANNELS[i % CHANNELS.length],
      kind: KINDS[i % KINDS.length],
      project: PROJECTS[i % PROJECTS.length],
      category: CATS[i % CATS.length] ?? undefined,
      received_at: genericReceivedAt(i),
      subject: `测试投诉第${i}号`,
      content: `常规登记记录,序号${i}。`,
      complainant: { name: `客户${i}`, phone: `1390000${String(1000 + i).slice(-4)}` },
    }), { tag: `G${i}` });
  }
  for (const [tag, subject, content] of TEXTS) {
    await register(complaintBody({ subject, content, received_at: '2025-04-01T10:00+08:00', project: 'HY' }), { tag });
  }
  for (const [tag, at] of BOUNDARY) {
    await register(complaintBody({ subject: `边界${tag}`, content: '边界时间', received_at: at, project: 'BJ' }), { tag });
  }
});

const numbersOf = (items) => items.map((x) => x.number);
const seq = (n) => Number(/-(\d+)$/.exec(n)[1]);
const sameSet = (a, b, msg) => assert.deepEqual([...a].sort(), [...b].sort(), msg);

async function list(qs) {
  const r = await srv.api('GET', '/api/complaints' + (qs ? '?' + qs : ''));
  return r;
}

function q(params) {
  return new URLSearchParams(params).toString();
}

// ---- pagination

for (const sort of ['-received_at', 'received_at', '-registered_at', 'registered_at']) {
  test(`pages of 20 in sort ${sort}: no duplicates, no omissions, ordered`, async () => {
    const seen = [];
    let cursor = null;
    let pages = 0;
    const sizes = [];
    do {
      const params = { sort, limit: '20' };
      if (cursor) params.cursor = cursor;
      const r = await list(q(params));
      assert.equal(r.status, 200, r.text);
      assert.ok(Array.isArray(r.json.items));
      assert.ok('next_cursor' in r.json);
      sizes.push(r.json.items.length);
      seen.push(...r.json.items);
      cursor = r.json.next_cursor;
      assert.ok(cursor === null || typeof cursor === 'string');
      assert.ok(++pages <= 10, 'too many pages');
    } while (cursor);
    const total = created.length;
    assert.equal(seen.length, total, `sizes ${sizes}`);
    assert.equal(new Set(numbersOf(seen)).size, total, 'no duplicates');
    sameSet(numbersOf(seen), created.map((c) => c.number), 'no omissions');
    const expectSizes = [];
    for (let left = total; left > 0; left -= 20) expectSizes.push(Math.min(20, left));
    assert.deepEqual(sizes, expectSizes, 'full pages, next_cursor null on the last one');
    const key = sort.replace('-', '');
    const desc = sort.startsWith('-');
    for (let i = 1; i < seen.length; i++) {
      const a = Date.parse(seen[i - 1][key]);
      const b = Date.parse(seen[i][key]);
      assert.ok(desc ? a >= b : a <= b, `order at ${i}: ${seen[i - 1][key]} ${seen[i][key]}`);
    }
    if (key === 'registered_at') {
      // numbers are issued in registration order
      for (let i = 1; i < seen.length; i++) {
        const a = seq(seen[i - 1].number);
        const b = seq(seen[i].number);
        assert.ok(desc ? a > b : a < b, `number order at ${i}: ${seen[i - 1].number} ${seen[i].number}`);
      }
    }
  });
}

test('default sort is -received_at and default limit 20', async () => {
  const r = await list('');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 20);
  const all = [...created].sort((a, b) => Date.parse(b.received_at) - Date.parse(a.received_at));
  assert.equal(r.json.items[0].received_at, all[0].received_at);
  const explicit = await list('sort=-received_at');
  assert.deepEqual(numbersOf(explicit.json.items), numbersOf(r.json.items));
  // a cursor of the default sort works with the explicit same sort
  const next = await list(q({ sort: '-received_at', cursor: r.json.next_cursor }));
  assert.equal(next.status, 200, next.text);
  assert.ok(!numbersOf(next.json.items).some((n) => numbersOf(r.json.items).includes(n)));
});

test('limit 1 and limit 100', async () => {
  const one = await list('limit=1');
  assert.equal(one.status, 200);
  assert.equal(one.json.items.length, 1);
  assert.equal(typeof one.json.next_cursor, 'string');
  const hundred = await list('limit=100');
  assert.equal(hundred.status, 200);
  assert.equal(hundred.json.items.length, created.length);
  assert.equal(hundred.json.next_cursor, null);
});

test('a summary has the documented members and masks the phone', async () => {
  const r = await list('limit=100');
  const byNumber = Object.fromEntries(r.json.items.map((x) => [x.number, x]));
  for (const c of created) {
    const s = byNumber[c.number];
    for (const k of ['number', 'status', 'kind', 'nature', 'grade', 'channel', 'received_at', 'registered_at', 'project',
      'building', 'unit', 'complainant', 'headcount', 'subject', 'category']) {
      assert.ok(k in s, `summary member ${k}`);
    }
    assert.equal(s.received_at, c.received_at);
    assert.equal(s.status, c.status);
    assert.equal(s.project.code, c.project);
    assert.equal(typeof s.project.name, 'string');
    assert.equal(s.category?.code ?? null, c.category);
    assert.equal(s.kind, c.kind);
    assert.equal(s.channel, c.channel);
    assert.equal(s.nature, 'undetermined');
    assert.equal(s.grade, c.kind === 'inquiry' || c.kind === 'suggestion' ? 'D' : 'C', `${c.kind} grade`);
    const full = c.phone;
    assert.equal(s.complainant.phone, full.slice(0, 3) + '****' + full.slice(7), `masked ${full}`);
    assert.ok(!JSON.stringify(s).includes(full), 'full phone never appears in a summary');
    assert.ok(!('email' in s.complainant) || s.complainant.email === null || !s.complainant.email.includes('@'), 'no e-mail in a summary');
  }
});

test('masking: list and GET show 138****5678; the audited reveal shows the full number', async () => {
  const c = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { name: '掩码', phone: '138-1234-5678' }, subject: '掩码测试', content: '掩码内容', received_at: '2020-01-01T00:00+08:00' }) });
  assert.equal(c.status, 201);
  created.push({ number: c.json.number, received_at: c.json.received_at, registered_at: c.json.registered_at, project: 'HY', channel: 'phone', kind: 'complaint', category: null, status: 'registered', phone: '13812345678', tag: 'M1' });
  const r = await list('sort=received_at&limit=1');
  assert.equal(r.json.items[0].number, c.json.number);
  assert.equal(r.json.items[0].complainant.phone, '138****5678');
  assert.equal(r.json.items[0].complainant.name, '掩码');
  const g = await srv.api('GET', `/api/complaints/${c.json.number}`);
  assert.equal(g.json.complainant.phone, '138****5678');
  assert.equal((await reveal(srv, c.json.number)).phone, '13812345678');
});

test('masking: a landline is masked too and an anonymous complainant shows no phone', async () => {
  const a = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { phone: '010-87654321' }, subject: '掩码座机', content: '掩码内容', received_at: '2019-01-01T00:00+08:00' }) });
  const b = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { anonymous: true }, subject: '掩码匿名', content: '掩码内容', received_at: '2019-01-01T00:01+08:00' }) });
  for (const x of [a, b]) {
    created.push({ number: x.json.number, received_at: x.json.received_at, registered_at: x.json.registered_at, project: 'HY', channel: 'phone', kind: 'complaint', category: null, status: 'registered', phone: x.json.complainant.phone, tag: 'M' });
  }
  const r = await list('sort=received_at&limit=2');
  const la = r.json.items.find((x) => x.number === a.json.number);
  const lb = r.json.items.find((x) => x.number === b.json.number);
  assert.ok(la.complainant.phone && !la.complainant.phone.includes('87654321'), la.complainant.phone);
  assert.ok(la.complainant.phone.endsWith('4321'), la.complainant.phone);
  assert.equal(lb.complainant.phone, null);
});

// ---- cursor and parameter errors

function assertInvalid(r, field, reason) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'invalid');
  assert.equal(r.json.error.field, field, r.text);
  if (Array.isArray(reason)) assert.ok(reason.includes(r.json.error.reason), r.text);
  else assert.equal(r.json.error.reason, reason, r.text);
}

test('bad cursor → 400 cursor bad_cursor', async () => {
  for (const c of ['garbage', 'AAAA', '!!!', 'eyJ4IjoxfQ', '0'.repeat(300)]) {
    assertInvalid(await list(q({ cursor: c })), 'cursor', 'bad_cursor');
  }
});

test('a cursor only works with the same sort', async () => {
  const pairs = [['received_at', '-received_at'], ['-received_at', 'registered_at'], ['registered_at', '-registered_at'], ['-registered_at', 'received_at']];
  for (const [from, to] of pairs) {
    const r = await list(q({ sort: from, limit: '5' }));
    assert.ok(r.json.next_cursor);
    assertInvalid(await list(q({ sort: to, limit: '5', cursor: r.json.next_cursor })), 'cursor', 'bad_cursor');
  }
});

test('a tampered cursor → 400 bad_cursor', async () => {
  const r = await list('limit=5');
  const c = r.json.next_cursor;
  const mid = Math.floor(c.length / 2);
  const t = c.slice(0, mid) + (c[mid] === 'A' ? 'B' : 'A') + c.slice(mid + 1);
  const x = await list(q({ cursor: t }));
  // Either rejected or still a valid position; never a 500.
  assert.ok(x.status === 200 || (x.status === 400 && x.json.error.reason === 'bad_cursor'), x.text);
});

const PARAM_ERRORS = [
  // the contract gives no reason for limit; too_small/too_large (as for headcount) or out_of_range
  ['limit=0', 'limit', ['too_small', 'out_of_range']],
  ['limit=101', 'limit', ['too_large', 'out_of_range']],
  ['limit=-5', 'limit', ['too_small', 'out_of_range', 'bad_format']],
  ['limit=abc', 'limit', ['bad_format', 'bad_type', 'bad_value']],
  ['limit=1.5', 'limit', ['bad_format', 'bad_type', 'bad_value']],
  ['limit=', 'limit', ['empty', 'bad_format', 'bad_value']],
  ['limit=1&limit=2', 'limit', 'repeated'],
  ['sort=subject', 'sort', 'bad_value'],
  ['sort=-received_at&sort=received_at', 'sort', 'repeated'],
  ['status=bogus', 'status', 'bad_value'],
  ['status=registered,bogus', 'status', 'bad_value'],
  ['kind=praise', 'kind', 'bad_value'],
  ['channel=fax', 'channel', 'bad_value'],
  ['project=ZZ', 'project', 'unknown'],
  ['category=weather', 'category', 'unknown'],
  ['received_from=yesterday', 'received_from', 'bad_format'],
  ['received_from=2025-02-30', 'received_from', 'bad_date'],
  ['received_to=2025-03-01T25:00', 'received_to', 'bad_time'],
  ['received_from=2025-03-05&received_to=2025-03-04', 'received_to', 'before_from'],
  ['foo=1', 'foo', 'unknown_parameter'],
  ['Limit=5', 'Limit', 'unknown_parameter'],
  ['q=', 'q', 'empty'],
  [q({ q: '   ' }), 'q', 'empty'],
  [q({ q: '!!! ,,,' }), 'q', 'empty'],
  [q({ q: '电'.repeat(201) }), 'q', 'too_long'],
  ['q=%FF%FE', 'q', 'bad_utf8'],
  ['q=a&q=b', 'q', 'repeated'],
];
for (const [qs, field, reason] of PARAM_ERRORS) {
  test(`GET /api/complaints?${qs.slice(0, 60)} → 400 ${field} ${reason}`, async () => {
    assertInvalid(await list(qs), field, reason);
  });
}

// ---- filters (the server holds only the complaints created here)

async function expectFilter(params, predicate) {
  const items = await listAll(srv, q(params), { limit: 20 });
  const want = created.filter(predicate).map((c) => c.number);
  sameSet(numbersOf(items), want, `filter ${q(params)}`);
  assert.equal(new Set(numbersOf(items)).size, items.length, 'no duplicates');
  return items;
}

test('filter project (one, list)', async () => {
  await expectFilter({ project: 'JX' }, (c) => c.project === 'JX');
  await expectFilter({ project: 'HY,BJ' }, (c) => c.project === 'HY' || c.project === 'BJ');
});

test('filter status (one, list)', async () => {
  await expectFilter({ status: 'received' }, (c) => c.status === 'received');
  await expectFilter({ status: 'registered' }, (c) => c.status === 'registered');
  await expectFilter({ status: 'received,registered' }, () => true);
  await expectFilter({ status: 'closed' }, () => false);
});

test('filter category (one, list)', async () => {
  await expectFilter({ category: 'equipment' }, (c) => c.category === 'equipment');
  await expectFilter({ category: 'building,general' }, (c) => c.category === 'building' || c.category === 'general');
});

test('filter kind (one, list)', async () => {
  await expectFilter({ kind: 'repair' }, (c) => c.kind === 'repair');
  await expectFilter({ kind: 'inquiry,claim' }, (c) => c.kind === 'inquiry' || c.kind === 'claim');
});

test('filter channel (one, list)', async () => {
  await expectFilter({ channel: 'web' }, (c) => c.channel === 'web');
  await expectFilter({ channel: 'phone,wechat,government' }, (c) => ['phone', 'wechat', 'government'].includes(c.channel));
});

test('filter received_from / received_to: whole days, inclusive', async () => {
  const t = (c) => Date.parse(c.received_at);
  const from = Date.parse('2025-03-03T00:00:00+08:00');
  const to = Date.parse('2025-03-06T00:00:00+08:00');
  const items = await expectFilter({ received_from: '2025-03-03', received_to: '2025-03-05' }, (c) => t(c) >= from && t(c) < to);
  const tags = items.map((i) => created.find((c) => c.number === i.number).tag);
  assert.ok(tags.includes('B2') && tags.includes('B3'), 'first and last minute of the range are in');
  assert.ok(!tags.includes('B1') && !tags.includes('B4'), 'the minutes just outside are out');
  await expectFilter({ received_from: '2025-03-03', received_to: '2025-03-03' }, (c) => t(c) >= from && t(c) < from + 86400_000);
  await expectFilter({ received_from: '2025-03-05' }, (c) => t(c) >= Date.parse('2025-03-05T00:00:00+08:00'));
  await expectFilter({ received_to: '2025-03-02' }, (c) => t(c) < from);
});

test('filter received_from / received_to as date-times (inclusive)', async () => {
  const t = (c) => Date.parse(c.received_at);
  await expectFilter({ received_from: '2025-03-05T23:59+08:00' }, (c) => t(c) >= Date.parse('2025-03-05T23:59:00+08:00'));
  await expectFilter({ received_to: '2025-03-02T23:59:00+08:00' }, (c) => t(c) <= Date.parse('2025-03-02T23:59:00+08:00'));
  await expectFilter({ received_from: '2025-03-02T15:59:00Z', received_to: '2025-03-03T00:00+08:00' },
    (c) => t(c) >= Date.parse('2025-03-02T23:59:00+08:00') && t(c) <= Date.parse('2025-03-03T00:00:00+08:00'));
});

test('filters combine (AND) with each other and with sort and pagination', async () => {
  const items = await expectFilter({ project: 'HY', status: 'registered', sort: 'received_at' },
    (c) => c.project === 'HY' && c.status === 'registered');
  for (let i = 1; i < items.length; i++) assert.ok(Date.parse(items[i - 1].received_at) <= Date.parse(items[i].received_at));
  await expectFilter({ project: 'JX', kind: 'complaint,repair', channel: 'phone,visit,letter,wechat' },
    (c) => c.project === 'JX' && ['complaint', 'repair'].includes(c.kind) && ['phone', 'visit', 'letter', 'wechat'].includes(c.channel));
});

// ---- text search

const tagged = (...tags) => (c) => tags.includes(c.tag);
const SEARCH = [
  ['电梯', ['S1', 'S2']],
  ['漏', ['S3', 'S4']],
  ['漏水', ['S3']],
  ['噪音扰民', ['S5']],
  ['噪音扰', ['S5']],
  ['噪音', ['S2', 'S5', 'S8']],
  ['噪', ['S2', 'S5', 'S8']],
  ['梯电', []],
  ['扰民噪音', []],
  ['电梯 噪音', ['S2']],
  ['楼上 漏水', ['S3']],
  ['噪音\u3000装修', ['S8']],
  ['电梯,', ['S1', 'S2']],
  ['3栋电梯', ['S1']],
  ['OTIS', ['S6']],
  ['otis', ['S6']],
  ['elevator', ['S6']],
  ['OTIS elevator', ['S6']],
  ['OTIS 电梯', []],
  ['98765', ['S6']],
  ['1202', ['S7']],
  ['物业费 1202', ['S7']],
  ['天花板', ['S3']],
  ['不存在的词', []],
  ['"电梯', ['S1', 'S2']],
  ['电梯" OR "漏水', []],
  ['NEAR(电梯', []],
  ['梯子', ['S9']],
  ['电视', ['S9']],
];
for (const [term, tags] of SEARCH) {
  test(`q=${term} → ${tags.join(',') || 'nothing'}`, async () => {
    const items = await listAll(srv, q({ q: term }), { limit: 20 });
    const got = items.map((i) => created.find((c) => c.number === i.number)?.tag ?? i.number);
    assert.deepEqual(got.sort(), [...tags].sort());
  });
}

test('q combines with project', async () => {
  await expectFilter({ q: '电梯', project: 'JX' }, () => false);
  await expectFilter({ q: '电梯', project: 'HY' }, tagged('S1', 'S2'));
});

test('q with pagination: limit 1 walks every match', async () => {
  const items = await listAll(srv, q({ q: '噪音' }), { limit: 1 });
  const got = items.map((i) => created.find((c) => c.number === i.number).tag).sort();
  assert.deepEqual(got, ['S2', 'S5', 'S8']);
});
