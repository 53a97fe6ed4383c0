// POST /api/complaints and GET /api/complaints/{number}: the happy path, the body as a
// whole (JSON, UTF-8, size, media type), idempotent retries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, complaintBody, hasCJK, cstIso, reveal } from './lib/server.mjs';

const srv = useServer();

const FULL = {
  channel: 'phone',
  kind: 'complaint',
  comm_type: 'venting',
  received_at: '2025-11-22T14:30+08:00',
  received_by: 'zhangwei',
  project: 'HY', building: '3栋', unit: '2单元1202',
  complainant: { name: '王先生', phone: '138 1234 5678', email: 'wang@example.com', role: 'owner', anonymous: false },
  headcount: 1,
  subject: '电梯困人', content: '3栋2单元电梯困人二十分钟,物业半小时才到。', demands: '尽快维修并书面说明',
  category: 'equipment', subcategory: 'lift',
  flags: { injury: false, media: true, lawsuit: false, threat_media: false, threat_lawsuit: true, vip: false },
  loss_amount: '1200.50',
};

const NUMBER_RE = /^[A-Z0-9]{1,16}-(\d{4})-(\d{6,})$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const seqOf = (n) => Number(NUMBER_RE.exec(n)[2]);

async function post(body, headers = {}) {
  return srv.api('POST', '/api/complaints', { body, headers });
}

function rawPost(bodyBuf, extraHeaders = '', contentType = 'application/json') {
  const head = `POST /api/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    (contentType ? `Content-Type: ${contentType}\r\n` : '') +
    `Content-Length: ${bodyBuf.length}\r\n${extraHeaders}Connection: close\r\n\r\n`;
  return srv.raw(Buffer.concat([Buffer.from(head, 'latin1'), bodyBuf]));
}

function assertError(r, status, code, field, reason) {
  assert.equal(r.status, status, `status; body ${r.text ?? r.body?.toString()}`);
  const j = r.json;
  assert.ok(j && j.error, `error body`);
  assert.equal(j.error.code, code, JSON.stringify(j));
  if (field !== undefined) assert.equal(j.error.field, field, JSON.stringify(j));
  if (reason !== undefined) assert.equal(j.error.reason, reason, JSON.stringify(j));
  assert.ok(j.error.message.length > 0);
}

test('register the full example: 201, Location, every member of the response', async () => {
  const r = await post(FULL);
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json; ?charset=utf-8$/i);
  const j = r.json;
  assert.match(j.number, NUMBER_RE);
  assert.equal(r.headers.get('location'), `/api/complaints/${j.number}`);
  assert.equal(r.headers.get('idempotent-replayed'), null);
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  assert.equal(NUMBER_RE.exec(j.number)[1], String(year), 'year of registration');
  const projects = await srv.api('GET', '/api/projects');
  const prefix = projects.json.items.find((p) => p.code === 'HY').number_prefix;
  assert.ok(j.number.startsWith(prefix + '-'), `prefix ${prefix}`);

  assert.equal(j.status, 'registered');
  assert.equal(j.kind, 'complaint');
  assert.equal(j.nature, 'undetermined');
  // media exposure makes it A by rule A4-media, explained by the event on its timeline
  assert.equal(j.grade, 'A');
  const graded = j.timeline.find((ev) => ev.type === 'grade_changed');
  assert.deepEqual([graded.data.by, graded.data.to, graded.data.rule], ['rules', 'A', 'A4-media']);
  assert.equal(j.channel, 'phone');
  assert.equal(j.comm_type, 'venting');
  assert.equal(j.received_at, '2025-11-22T14:30:00+08:00');
  assert.match(j.registered_at, TIME_RE);
  assert.ok(Math.abs(Date.parse(j.registered_at) - Date.now()) < 5000, j.registered_at);
  assert.deepEqual(j.received_by, { login: 'zhangwei', name: '张伟' });
  assert.deepEqual(j.project, { code: 'HY', name: '华苑花园' });
  assert.equal(j.building, '3栋');
  assert.equal(j.unit, '2单元****');
  assert.ok(Number.isInteger(j.complainant.id) && j.complainant.id > 0);
  assert.deepEqual({ ...j.complainant, id: 0 }, {
    id: 0, name: '王先生', phone: '138****5678', email: 'w***@example.com', role: 'owner', anonymous: false,
  });
  assert.deepEqual(await reveal(srv, j.number), {
    number: j.number, name: '王先生', phone: '13812345678', email: 'wang@example.com', building: '3栋', unit: '2单元1202',
  });
  assert.equal(j.headcount, 1);
  assert.equal(j.subject, FULL.subject);
  assert.equal(j.content, FULL.content);
  assert.equal(j.demands, FULL.demands);
  assert.equal(j.category.code, 'equipment');
  assert.equal(j.category.name_zh, '设备管理类');
  assert.match(j.category.name_en, /^Equipment/);
  assert.equal(j.subcategory.code, 'lift');
  assert.equal(j.subcategory.name_zh, '电梯');
  assert.equal(typeof j.subcategory.name_en, 'string');
  assert.deepEqual(j.flags, FULL.flags);
  assert.equal(j.loss_amount, '1200.50');
  assert.deepEqual(j.attachments, []);
  // registered, then graded; then what an A complaint brings (issue 5): the general manager's
  // escalation and supervision notice, and the acknowledgement sent to the customer
  assert.deepEqual(j.timeline.slice(0, 2).map((ev) => ev.type), ['registered', 'grade_changed']);
  for (const ev of j.timeline.slice(2)) {
    assert.ok(['escalated', 'notice_issued', 'message'].includes(ev.type), ev.type);
  }
  const ev = j.timeline[0];
  assert.equal(ev.seq, 1);
  assert.equal(ev.type, 'registered');
  assert.equal(ev.visibility, 'customer');
  assert.match(ev.at, TIME_RE);
  assert.equal(typeof ev.data, 'object');
});

test('defaults: kind, headcount, role, anonymous, flags, received_at = now (to the minute), nulls', async () => {
  const before = Date.now();
  const r = await post(complaintBody());
  assert.equal(r.status, 201, r.text);
  const j = r.json;
  assert.equal(j.kind, 'complaint');
  assert.equal(j.headcount, 1);
  assert.equal(j.complainant.role, 'other');
  assert.equal(j.complainant.anonymous, false);
  assert.equal(j.complainant.email, null);
  assert.deepEqual(j.flags, { injury: false, media: false, lawsuit: false, threat_media: false, threat_lawsuit: false, vip: false });
  for (const k of ['comm_type', 'building', 'unit', 'demands', 'category', 'subcategory', 'loss_amount']) {
    assert.equal(j[k], null, `${k} is null`);
  }
  // graded as it is registered: a plain complaint is C (property preset, rule C1)
  assert.equal(j.grade, 'C');
  // received by whoever registered it, unless the body names someone else
  assert.deepEqual(j.received_by, { login: 'tester', name: '测试员' });
  assert.match(j.received_at, /:00\+08:00$/, 'kept to the minute');
  const t = Date.parse(j.received_at);
  assert.ok(t <= Date.now() && t > before - 61_000, `received_at ${j.received_at} is now`);
});

test('GET /api/complaints/{number} returns what POST returned', async () => {
  const r = await post(FULL);
  const g = await srv.api('GET', `/api/complaints/${r.json.number}`);
  assert.equal(g.status, 200, g.text);
  assert.match(g.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(g.json, r.json);
});

for (const channel of ['phone', 'visit', 'letter', 'email', 'web', 'wechat', 'media', 'government', 'internal']) {
  const want = channel === 'web' || channel === 'email' ? 'received' : 'registered';
  test(`channel ${channel} → status ${want}, first event ${want}`, async () => {
    const r = await post(complaintBody({ channel }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, want);
    assert.equal(r.json.channel, channel);
    assert.equal(r.json.timeline[0].type, want);
    assert.equal(r.json.timeline[0].visibility, 'customer');
  });
}

for (const kind of ['complaint', 'inquiry', 'suggestion', 'repair', 'claim']) {
  test(`kind ${kind} is accepted`, async () => {
    const r = await post(complaintBody({ kind }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, kind);
  });
}

test('consecutive registrations get consecutive numbers', async () => {
  const nums = [];
  for (let i = 0; i < 5; i++) nums.push((await post(complaintBody({ subject: `连续${i}` }))).json.number);
  for (let i = 1; i < nums.length; i++) assert.equal(seqOf(nums[i]), seqOf(nums[i - 1]) + 1, nums.join(' '));
});

test('the same phone in another form is the same complainant (DOMAIN §1: a person record re-used)', async () => {
  const a = await post(complaintBody({ complainant: { name: '赵女士', phone: '139 0000 1111' } }));
  const b = await post(complaintBody({ complainant: { name: '赵女士', phone: '+86 139-0000-1111' } }));
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(a.json.complainant.id, b.json.complainant.id);
  const c = await post(complaintBody({ complainant: { name: '钱先生', phone: '13900002222' } }));
  assert.notEqual(c.json.complainant.id, a.json.complainant.id);
});

test('Chinese, astral (𠮷), emoji, newlines round-trip exactly', async () => {
  const subject = '𠮷野家的外卖😀 噪音扰民「测试」';
  const content = '第一行:楼上装修噪音\n第二行:晚上十点后仍在施工\r\n\t— 业主 👨‍👩‍👧 é 한국어 にほんご\n"引号" \\ 反斜杠 \u00a0 末尾';
  const demands = '请物业出面协调 🙏';
  const name = '𠮷田 さん';
  const r = await post(complaintBody({ subject, content, demands, complainant: { name, phone: '13812345678' } }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.subject, subject);
  assert.equal(r.json.content, content);
  assert.equal(r.json.demands, demands);
  assert.equal(r.json.complainant.name, name);
  const g = await srv.api('GET', `/api/complaints/${r.json.number}`);
  assert.equal(g.json.subject, subject);
  assert.equal(g.json.content, content);
  assert.equal(g.json.complainant.name, name);
});

test('JSON \\u escapes (incl. a surrogate pair) decode to the characters', async () => {
  const body = JSON.stringify(complaintBody({ subject: 'X' })).replace('"X"', '"\\u7535\\u68af\\ud842\\udfb7"');
  const r = await post(body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.subject, '电梯𠮷');
});

// ---- the body as a whole

test('body not JSON → 400 body bad_json', async () => {
  for (const b of ['{', '{"channel": }', 'abc', '{"channel":"phone",}', "{'channel':'phone'}", '{"a":1} x']) {
    const r = await post(b);
    assertError(r, 400, 'invalid', 'body', 'bad_json');
  }
});

test('empty body → 400 body', async () => {
  const r = await post('');
  assertError(r, 400, 'invalid', 'body');
  assert.ok(['bad_json', 'required', 'empty'].includes(r.json.error.reason), r.text);
});

test('body an array or a scalar → 400 body not_object', async () => {
  for (const b of ['[]', '[{"channel":"phone"}]', '42', '"text"', 'null', 'true']) {
    const r = await post(b);
    assertError(r, 400, 'invalid', 'body', 'not_object');
  }
});

test('duplicate keys in JSON → 400 bad_json (top level)', async () => {
  const b = JSON.stringify(complaintBody()).replace('{', '{"subject":"第一个",');
  const r = await post(b);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.reason, 'bad_json', r.text);
  assert.ok(['body', 'subject'].includes(r.json.error.field), r.text);
});

test('duplicate keys in JSON → 400 bad_json (nested object)', async () => {
  const b = JSON.stringify(complaintBody()).replace('"complainant":{', '"complainant":{"phone":"13900000000",');
  const r = await post(b);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.reason, 'bad_json', r.text);
  assert.ok(['body', 'complainant.phone'].includes(r.json.error.field), r.text);
});

const BAD_UTF8 = {
  'lone 0xFF': [0xff],
  'continuation byte alone': [0x80],
  'overlong "/" (C0 AF)': [0xc0, 0xaf],
  'truncated 3-byte sequence': [0xe7, 0x94],
  'UTF-16 surrogate (ED A0 80)': [0xed, 0xa0, 0x80],
  'above U+10FFFF (F4 90 80 80)': [0xf4, 0x90, 0x80, 0x80],
  'GBK bytes of 电梯': [0xb5, 0xe7, 0xcc, 0xdd],
};
for (const [name, bytes] of Object.entries(BAD_UTF8)) {
  test(`invalid UTF-8 in the body (${name}) → 400 body bad_utf8`, async () => {
    const s = JSON.stringify(complaintBody({ subject: 'AB' }));
    const i = s.indexOf('AB');
    const buf = Buffer.concat([Buffer.from(s.slice(0, i + 1)), Buffer.from(bytes), Buffer.from(s.slice(i + 1))]);
    const r = await post(buf);
    assertError(r, 400, 'invalid', 'body', 'bad_utf8');
  });
}

test('JSON escape of a lone surrogate (\\ud800) → 400', async () => {
  const body = JSON.stringify(complaintBody({ subject: 'X' })).replace('"X"', '"a\\ud800b"');
  const r = await post(body);
  assert.equal(r.status, 400, r.text);
  assert.ok(['bad_json', 'bad_utf8', 'bad_character'].includes(r.json.error.reason), r.text);
});

test('body of exactly 256 KiB is read (not 413)', async () => {
  const base = JSON.stringify(complaintBody({ content: '' }));
  const pad = 262144 - Buffer.byteLength(base);
  const body = base.replace('"content":""', `"content":"${'a'.repeat(pad - 0)}"`);
  const buf = Buffer.from(body);
  assert.equal(buf.length, 262144);
  const r = await post(buf);
  assertError(r, 400, 'invalid', 'content', 'too_long');
});

test('body over 256 KiB → 413 body body_too_large', async () => {
  const base = JSON.stringify(complaintBody({ content: '' }));
  const buf = Buffer.from(base.replace('"content":""', `"content":"${'a'.repeat(262145 - Buffer.byteLength(base))}"`));
  assert.equal(buf.length, 262145);
  const r = await post(buf);
  assertError(r, 413, 'too_large', 'body', 'body_too_large');
});

test('body over 256 KiB is refused from Content-Length before it is sent', async () => {
  const head = 'POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 10000000\r\n\r\n';
  const r = await srv.raw(head, { timeout: 3000 });
  assert.ok(!r.timedOut, 'the server answered without waiting for the body');
  assert.equal(r.status, 413, r.raw.toString());
  assert.equal(r.json.error.reason, 'body_too_large');
  assert.equal(r.json.error.field, 'body');
});

test('chunked body (no Content-Length) is accepted', async () => {
  const body = Buffer.from(JSON.stringify(complaintBody({ subject: '分块传输' })));
  const half = Math.floor(body.length / 2);
  const chunk = (b) => Buffer.concat([Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')]);
  const r = await srv.raw(Buffer.concat([
    Buffer.from('POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'),
    chunk(body.subarray(0, half)), chunk(body.subarray(half)), Buffer.from('0\r\n\r\n'),
  ]));
  assert.equal(r.status, 201, r.raw.toString());
  assert.equal(r.json.subject, '分块传输');
});

test('chunked body over 256 KiB → 413', async () => {
  const big = Buffer.alloc(300_000, 'a');
  const r = await srv.raw(Buffer.concat([
    Buffer.from('POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'),
    Buffer.from(big.length.toString(16) + '\r\n'), big, Buffer.from('\r\n0\r\n\r\n'),
  ]), { timeout: 5000 });
  assert.equal(r.status, 413, r.raw.subarray(0, 300).toString());
  assert.equal(r.json.error.reason, 'body_too_large');
});

for (const ct of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png']) {
  test(`Content-Type ${ct} → 415 Content-Type unsupported_content_type`, async () => {
    const r = await srv.api('POST', '/api/complaints', { body: JSON.stringify(complaintBody()), headers: { 'Content-Type': ct } });
    assertError(r, 415, 'unsupported_media_type', 'Content-Type', 'unsupported_content_type');
  });
}

test('no Content-Type → 415 Content-Type unsupported_content_type', async () => {
  const r = await rawPost(Buffer.from(JSON.stringify(complaintBody())), '', null);
  assertError(r, 415, 'unsupported_media_type', 'Content-Type', 'unsupported_content_type');
});

for (const ct of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
  test(`Content-Type "${ct}" is accepted`, async () => {
    const r = await srv.api('POST', '/api/complaints', { body: JSON.stringify(complaintBody()), headers: { 'Content-Type': ct } });
    assert.equal(r.status, 201, r.text);
  });
}

test('English message with Accept-Language en for a body error and a 404', async () => {
  const r = await srv.api('POST', '/api/complaints', { body: '[]', headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 400);
  assert.ok(!hasCJK(r.json.error.message), r.json.error.message);
  const n = await srv.api('GET', '/api/complaints/KS-2000-000001', { headers: { 'Accept-Language': 'en-GB,en;q=0.8' } });
  assert.equal(n.status, 404);
  assert.ok(!hasCJK(n.json.error.message), n.json.error.message);
  const z = await srv.api('GET', '/api/complaints/KS-2000-000001');
  assert.ok(hasCJK(z.json.error.message), z.json.error.message);
});

// ---- idempotency

test('Idempotency-Key: a retry returns the first response with Idempotent-Replayed: true', async () => {
  const key = 'retry-' + Math.random().toString(36).slice(2);
  const body = complaintBody({ subject: '重试测试' });
  const a = await post(body, { 'Idempotency-Key': key });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.headers.get('idempotent-replayed'), null);
  const b = await post(body, { 'Idempotency-Key': key });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.number, a.json.number);
  assert.deepEqual(b.json, a.json);
  assert.equal(b.headers.get('location'), a.headers.get('location'));
  // and nothing else was created: the next number follows directly
  const c = await post(complaintBody());
  assert.equal(seqOf(c.json.number), seqOf(a.json.number) + 1);
});

test('Idempotency-Key reused with another body → 409 key_reused', async () => {
  const key = 'reuse-' + Math.random().toString(36).slice(2);
  const a = await post(complaintBody({ subject: '第一次' }), { 'Idempotency-Key': key });
  assert.equal(a.status, 201);
  const b = await post(complaintBody({ subject: '第二次' }), { 'Idempotency-Key': key });
  assertError(b, 409, 'conflict', 'Idempotency-Key', 'key_reused');
  assert.ok(hasCJK(b.json.error.message));
});

test('Idempotency-Key: different keys create different complaints', async () => {
  const body = complaintBody({ subject: '两个键' });
  const a = await post(body, { 'Idempotency-Key': 'k-a-' + Date.now() });
  const b = await post(body, { 'Idempotency-Key': 'k-b-' + Date.now() });
  assert.notEqual(a.json.number, b.json.number);
});

test('Idempotency-Key: 10 concurrent requests with the same key create exactly one complaint', async () => {
  const key = 'concurrent-' + Math.random().toString(36).slice(2);
  const body = complaintBody({ subject: '并发同键' });
  const first = await post(complaintBody());
  const rs = await Promise.all(Array.from({ length: 10 }, () => post(body, { 'Idempotency-Key': key })));
  const statuses = rs.map((r) => r.status);
  for (const r of rs) assert.ok(r.status === 201 || r.status === 503, `status ${r.status} ${r.text}`);
  const ok = rs.filter((r) => r.status === 201);
  assert.ok(ok.length >= 1, `statuses ${statuses}`);
  const numbers = new Set(ok.map((r) => r.json.number));
  assert.equal(numbers.size, 1, `numbers ${[...numbers]}`);
  assert.equal(ok.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1,
    'exactly one response is the original');
  const last = await post(complaintBody());
  assert.equal(seqOf(last.json.number), seqOf(first.json.number) + 2, 'exactly one complaint was created');
  assert.equal(seqOf([...numbers][0]), seqOf(first.json.number) + 1);
});

test('Idempotency-Key of 128 characters is accepted, 129 → 400 too_long', async () => {
  const ok = await post(complaintBody(), { 'Idempotency-Key': 'k'.repeat(127) + Date.now() % 10 });
  assert.equal(ok.status, 201, ok.text);
  const r = await post(complaintBody(), { 'Idempotency-Key': 'k'.repeat(129) });
  assertError(r, 400, 'invalid', 'Idempotency-Key', 'too_long');
});

test('Idempotency-Key empty → 400', async () => {
  const r = await rawPost(Buffer.from(JSON.stringify(complaintBody())), 'Idempotency-Key: \r\n');
  assertError(r, 400, 'invalid', 'Idempotency-Key');
  assert.ok(['empty', 'required', 'bad_format'].includes(r.json.error.reason), JSON.stringify(r.json));
});

test('Idempotency-Key with a non-ASCII byte or a control character → 400', async () => {
  // "printable ASCII" is a format rule: bad_character or bad_format
  const r1 = await rawPost(Buffer.from(JSON.stringify(complaintBody())), 'Idempotency-Key: k\xe9y\r\n');
  assertError(r1, 400, 'invalid', 'Idempotency-Key');
  assert.ok(['bad_character', 'bad_format'].includes(r1.json.error.reason), JSON.stringify(r1.json));
  const r2 = await post(complaintBody(), { 'Idempotency-Key': 'a\tb' });
  assertError(r2, 400, 'invalid', 'Idempotency-Key');
  assert.ok(['bad_character', 'bad_format'].includes(r2.json.error.reason), JSON.stringify(r2.json));
});

test('a replayed response survives a restart of the server', async () => {
  const key = 'restart-' + Math.random().toString(36).slice(2);
  const body = complaintBody({ subject: '重启后重试' });
  const a = await post(body, { 'Idempotency-Key': key });
  assert.equal(a.status, 201);
  await srv.restart();
  const b = await post(body, { 'Idempotency-Key': key });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.number, a.json.number);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
});

test('registered_at is after received_at for a complaint received earlier today', async () => {
  const at = cstIso(new Date(Date.now() - 2 * 3600_000));
  const r = await post(complaintBody({ received_at: at }));
  assert.equal(r.status, 201, r.text);
  assert.ok(Date.parse(r.json.registered_at) >= Date.parse(r.json.received_at));
});
