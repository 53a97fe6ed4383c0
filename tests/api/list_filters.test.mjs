// The work-list filters of GET /api/complaints (issue 6): handler (me or logins), grade,
// clock (overdue / due soon, from the clocks as they stand at the server's "now") and
// returned (退单), each combinable with the others, the sort and the keyset cursor; and the
// handler and department of each summary. Time is moved with a clock file
// (see deadlines.test.mjs); the states are read at request time, no scheduler needed.

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
// Monday 2026-03-02 10:00 in +08:00
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
    const r = spawnSync(KESU_BIN, ['token', 'add', '--name', `lf-${login}`, '--user', login, '--scopes', '*', '--db', srv.db],
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
function assertError(r, status, field, reason, label = '') {
  assert.equal(r.status, status, `${label}: ${r.text}`);
  assert.equal(r.json.error.field, field, `${label} field: ${r.text}`);
  assert.equal(r.json.error.reason, reason, `${label} reason: ${r.text}`);
}
async function register(over = {}) {
  return ok(await as('zhangwei')('POST', '/api/complaints', complaintBody(over)), 201, 'register');
}
async function numbers(login, query) {
  const r = ok(await as(login)('GET', `/api/complaints?limit=100&${query}`), 200, query);
  return r.items.map((c) => c.number);
}
let department;
async function assign(number, handler = 'lina', project = 'HY') {
  if (!department) {
    const deps = ok(await as('tester')('GET', `/api/departments?project=${project}`), 200).items;
    department = deps[0].code;
  }
  return ok(await as('wangfang')('POST', `/api/complaints/${number}/assign`, { department, handler }), 200, 'assign');
}

test('handler: me, a login, several; summaries name the handler and the department', async () => {
  setNow(T0);
  const mine = await register({ subject: '筛选-处理人-李娜' });
  const other = await register({ subject: '筛选-处理人-王芳' });
  const none = await register({ subject: '筛选-处理人-未派' });
  await assign(mine.number, 'lina');
  await assign(other.number, 'wangfang');

  const me = await numbers('lina', 'handler=me');
  assert.ok(me.includes(mine.number) && !me.includes(other.number) && !me.includes(none.number), me.join());
  assert.deepEqual(await numbers('tester', 'handler=lina'), me);
  const both = await numbers('tester', 'handler=lina,wangfang');
  assert.ok(both.includes(mine.number) && both.includes(other.number) && !both.includes(none.number));
  // combined with other filters
  assert.deepEqual(await numbers('tester', 'handler=lina&status=registered'), []);
  assert.ok((await numbers('tester', 'handler=lina&status=in_progress&project=HY')).includes(mine.number));

  const list = ok(await as('tester')('GET', '/api/complaints?limit=100'), 200).items;
  const m = list.find((c) => c.number === mine.number);
  assert.deepEqual(m.handler, { login: 'lina', name: '李娜' });
  assert.equal(m.department, department);
  const n = list.find((c) => c.number === none.number);
  assert.equal(n.handler, null);
  assert.equal(n.department, null);

  assertError(await as('tester')('GET', '/api/complaints?handler=nobody'), 400, 'handler', 'unknown', 'unknown login');
  assertError(await as('tester')('GET', '/api/complaints?handler=Lina!'), 400, 'handler', 'bad_value', 'bad login');
  assertError(await as('tester')('GET', '/api/complaints?handler='), 400, 'handler', 'bad_value', 'empty');
});

test('handler=me pages with the cursor, in both sorts', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) {
    setNow(T0 + (i + 1) * 60_000);
    const c = await register({ subject: `筛选-翻页-${i}` });
    await assign(c.number, 'lina');
    made.push(c.number);
  }
  setNow(T0);
  for (const sort of ['-received_at', 'received_at', '-registered_at', 'registered_at']) {
    const whole = await numbers('lina', `handler=me&sort=${sort}`);
    assert.ok(made.every((n) => whole.includes(n)), sort);
    const seen = [];
    let cursor = '';
    for (let page = 0; page < 20; page++) {
      const r = ok(await as('lina')('GET', `/api/complaints?handler=me&limit=2&sort=${sort}${cursor}`), 200);
      assert.ok(r.items.every((c) => c.handler.login === 'lina'));
      seen.push(...r.items.map((c) => c.number));
      if (!r.next_cursor) break;
      cursor = `&cursor=${encodeURIComponent(r.next_cursor)}`;
    }
    assert.deepEqual(seen, whole, sort);
  }
});

test('grade: codes of the preset in use', async () => {
  setNow(T0);
  const a = await register({ subject: '筛选-等级-A', headcount: 12 });
  const c = await register({ subject: '筛选-等级-C' });
  assert.equal(a.grade, 'A');
  assert.equal(c.grade, 'C');
  const onlyA = await numbers('tester', 'grade=A');
  assert.ok(onlyA.includes(a.number) && !onlyA.includes(c.number));
  const ac = await numbers('tester', 'grade=A,C');
  assert.ok(ac.includes(a.number) && ac.includes(c.number));
  assert.ok(!(await numbers('tester', 'grade=B,D')).includes(a.number));
  assertError(await as('tester')('GET', '/api/complaints?grade=major'), 400, 'grade', 'unknown', 'another preset');
  assertError(await as('tester')('GET', '/api/complaints?grade=A,%20'), 400, 'grade', 'bad_value', 'bad code');
});

test('clock: overdue and due soon as time moves, met clocks drop out', async () => {
  const T = T0 + 7 * 24 * HOUR;   // a week on: the clocks of the tests above are long overdue
  setNow(T);
  const x = await register({ subject: '筛选-时限' });
  const has = async (q, n = x.number) => (await numbers('tester', q)).includes(n);
  assert.equal(await has('clock=overdue'), false);
  assert.equal(await has('clock=due_soon'), false);

  // first response: 24 h, reminder at 80 % (19.2 h)
  setNow(T + 20 * HOUR);
  assert.equal(await has('clock=due_soon'), true);
  assert.equal(await has('clock=overdue'), false);
  assert.equal(await has('clock=overdue,due_soon'), true);

  setNow(T + 25 * HOUR);
  assert.equal(await has('clock=overdue'), true);
  assert.equal(await has('clock=due_soon'), false);
  const y = await register({ subject: '筛选-时限-新' });
  assert.equal(await has('clock=overdue', y.number), false);
  // with other filters and the cursor
  assert.equal(await has('clock=overdue&project=HY&status=registered&grade=C'), true);
  assert.equal(await has('clock=overdue&project=JX'), false);
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 50; page++) {
    const r = ok(await as('tester')('GET', `/api/complaints?clock=overdue&limit=3${cursor}`), 200);
    seen.push(...r.items.map((c) => c.number));
    if (!r.next_cursor) break;
    cursor = `&cursor=${encodeURIComponent(r.next_cursor)}`;
  }
  assert.ok(seen.includes(x.number) && !seen.includes(y.number));
  assert.equal(new Set(seen).size, seen.length);

  // a reply meets the first response (late: missed, stopped); the resolve clock is not due yet
  ok(await as('tester')('POST', `/api/complaints/${x.number}/events`, { type: 'reply', text: '已安排人员处理' }), 201);
  assert.equal(await has('clock=overdue'), false);

  assertError(await as('tester')('GET', '/api/complaints?clock=late'), 400, 'clock', 'bad_value', 'bad state');
});

test('returned=1: registered complaints whose dispatch was handed back', async () => {
  setNow(T0);
  const c = await register({ subject: '筛选-退单' });
  const d = await register({ subject: '筛选-未退单' });
  await assign(c.number, 'lina');
  await assign(d.number, 'lina');
  ok(await as('lina')('POST', `/api/complaints/${c.number}/return`, { reason: '不属本部门' }), 200, 'return');
  let got = await numbers('tester', 'returned=1');
  assert.ok(got.includes(c.number) && !got.includes(d.number), got.join());
  assert.ok((await numbers('tester', 'returned=1&status=registered&project=HY')).includes(c.number));
  assert.deepEqual(await numbers('tester', 'returned=1&status=in_progress'), []);
  // a triage keeps it returned; dispatching it again ends that
  ok(await as('wangfang')('POST', `/api/complaints/${c.number}/triage`, { nature: 'valid', reason: '核实' }), 200, 'triage');
  assert.ok((await numbers('tester', 'returned=1')).includes(c.number));
  await assign(c.number, 'wangfang');
  got = await numbers('tester', 'returned=1');
  assert.ok(!got.includes(c.number));
  assertError(await as('tester')('GET', '/api/complaints?returned=0'), 400, 'returned', 'bad_value', 'returned=0');
  assertError(await as('tester')('GET', '/api/complaints?returned=1&returned=1'), 400, 'returned', 'repeated', 'twice');
});
