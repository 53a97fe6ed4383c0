// Fixes of issue 6: notices?open=1 lists only unacknowledged notices; the follow-up clock is
// met (or missed) once the call is recorded and no clock keeps running after the complaint is
// closed off (followed up, archived, invalid); the clock policy shows only the grades of the
// preset in use. Time is moved with a clock file (see deadlines.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, complaintBody, KESU_BIN } from './lib/server.mjs';

const clockDir = mkdtempSync(join(tmpdir(), 'kesu-clock-'));
const clockFile = join(clockDir, 'now');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-02T10:00:00+08:00');
function setNow(ms) {
  writeFileSync(clockFile, new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') + '\n');
}
setNow(T0);

let srv;
before(async () => {
  srv = await startServer({ env: { KESU_CLOCK_FILE: clockFile, KESU_SCHEDULER_INTERVAL_MS: '100' } });
});
after(async () => {
  if (srv) await srv.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

const tokens = {};
function as(login) {
  if (login !== 'tester' && !tokens[login]) {
    const r = spawnSync(KESU_BIN, ['token', 'add', '--name', `fx-${login}`, '--user', login, '--scopes', '*', '--db', srv.db],
      { env: srv.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    tokens[login] = r.stdout.trim();
  }
  const headers = login === 'tester' ? {} : { Authorization: `Bearer ${tokens[login]}` };
  return (method, path, body) => srv.api(method, path, { body, headers });
}
function ok(r, status = 200, label = '') {
  assert.equal(r.status, status, `${label} ${r.status} ${r.text}`);
  return r.json;
}
function sqlite(statement) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
const clockOf = (c, kind) => c.clocks.filter((k) => k.clock === kind).at(-1);
const running = (c) => c.clocks.filter((k) => ['running', 'paused', 'due_soon', 'overdue'].includes(k.state) && k.stopped_at === null);

let department;
async function closed(subject) {
  const c = ok(await as('zhangwei')('POST', '/api/complaints', complaintBody({ subject })), 201, 'register');
  if (!department) department = ok(await as('tester')('GET', '/api/departments?project=HY'), 200).items[0].code;
  const path = `/api/complaints/${c.number}`;
  ok(await as('wangfang')('POST', `${path}/assign`, { department, handler: 'lina' }), 200, 'assign');
  ok(await as('lina')('POST', `${path}/resolve`, { result: '已处理' }), 200, 'resolve');
  return ok(await as('lina')('POST', `${path}/close`, { response: 'agreed' }), 200, 'close');
}

test('GET /api/notices?open=1 leaves out acknowledged notices', async () => {
  setNow(T0);
  const c = ok(await as('zhangwei')('POST', '/api/complaints', complaintBody({ subject: '督办筛选' })), 201);
  const insert = (source) => sqlite('INSERT INTO notices (complaint_id, source, level, to_role, project_id, issued_at, ack_due_at)' +
    ` SELECT c.id, '${source}', 1, 'supervisor', p.id, 0, 0 FROM complaints c, projects p` +
    ` WHERE c.number = '${c.number}' AND p.code = 'HY'; SELECT last_insert_rowid();`);
  const done = insert('fix-acked');
  const open = insert('fix-open');
  ok(await as('wangfang')('POST', `/api/notices/${done}/ack`, { note: '收到' }), 200, 'ack');
  const ids = async (q) => ok(await as('wangfang')('GET', `/api/notices${q}`), 200, q).items.map((n) => String(n.id));
  const openOnly = await ids('?open=1');
  assert.ok(openOnly.includes(open) && !openOnly.includes(done), openOnly.join());
  assert.deepEqual(await ids('?open=true'), openOnly);
  const every = await ids('');
  assert.ok(every.includes(open) && every.includes(done));
  assert.deepEqual(await ids('?open=0'), every);
  // the other parameters are read too
  assert.equal((await ids('?open=1&limit=1')).length, 1);
  assert.equal((await as('wangfang')('GET', '/api/notices?open=maybe')).status, 400);
  assert.equal((await as('wangfang')('GET', '/api/notices?nope=1')).status, 400);
});

test('recording the follow-up call meets its clock; late, it is missed; archived, nothing runs', async () => {
  setNow(T0);
  const c = await closed('回访时限-按时');
  assert.equal(clockOf(c, 'followup').state, 'running');
  setNow(T0 + 2 * DAY);
  ok(await as('wangfang')('POST', `/api/followups/${c.followups[0].id}`, { outcome: 'reached', satisfaction: 'satisfied' }), 200, 'record');
  let now = ok(await as('tester')('GET', `/api/complaints/${c.number}`), 200);
  assert.equal(now.status, 'followed_up');
  const f = clockOf(now, 'followup');
  assert.equal(f.state, 'met');
  assert.notEqual(f.stopped_at, null);
  assert.deepEqual(running(now), [], JSON.stringify(now.clocks));
  now = ok(await as('wangfang')('POST', `/api/complaints/${c.number}/archive`, {}), 200, 'archive');
  assert.equal(clockOf(now, 'followup').state, 'met');
  assert.deepEqual(running(now), []);

  setNow(T0);
  const late = await closed('回访时限-超时');
  setNow(T0 + 9 * DAY);
  ok(await as('wangfang')('POST', `/api/followups/${late.followups[0].id}`, { outcome: 'reached', satisfaction: 'satisfied' }), 200, 'record late');
  now = ok(await as('tester')('GET', `/api/complaints/${late.number}`), 200);
  assert.equal(clockOf(now, 'followup').state, 'missed');
  assert.deepEqual(running(now), []);
  setNow(T0);
});

test('an invalid complaint keeps no clock running, archived or not', async () => {
  setNow(T0);
  const c = ok(await as('zhangwei')('POST', '/api/complaints', complaintBody({ subject: '无效投诉时限' })), 201);
  assert.ok(running(c).length > 0);
  let now = ok(await as('wangfang')('POST', `/api/complaints/${c.number}/invalidate`, { reason: '重复登记' }), 200, 'invalidate');
  assert.deepEqual(running(now), [], JSON.stringify(now.clocks));
  now = ok(await as('wangfang')('POST', `/api/complaints/${c.number}/archive`, {}), 200, 'archive');
  assert.deepEqual(running(now), []);
});

test('the clock policy lists only the grades of the preset in use', async () => {
  const items = ok(await as('tester')('GET', '/api/clock-policy'), 200).items;
  const grades = new Set(items.map((p) => p.grade));
  for (const g of grades) assert.ok(['*', 'A', 'B', 'C', 'D'].includes(g), `grade ${g} listed`);
  const top = items.find((p) => p.grade === 'A' && p.clock === 'resolve');
  assert.equal(top.amount, 20);
  assert.equal(top.unit, 'working_days');
});
