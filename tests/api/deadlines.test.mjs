// Deadlines that run themselves (issue 5; DOMAIN §5): clocks per grade on the working-day
// calendar, reminders before a limit, overdue marks with the next level told, age-based
// re-grading, escalation rules and supervision notices — all moved by a controlled clock.
// The server reads "now" from a file (config clock_file) the tests rewrite, and its
// scheduler ticks every 100 ms, so time moves forward instead of being waited for.

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
// Monday 2026-03-02 10:00 in +08:00: an ordinary working week
const T0 = Date.parse('2026-03-02T10:00:00+08:00');
let now = T0;

function setNow(ms) {
  now = ms;
  writeFileSync(clockFile, new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') + '\n');
}
setNow(T0);

const env = {
  KESU_CLOCK_FILE: clockFile,
  KESU_SCHEDULER_INTERVAL_MS: '100',
  KESU_DELIVERY_INTERVAL_MS: '100',
};
let srv;

before(async () => {
  srv = await startServer({ env });
});
after(async () => {
  if (srv) await srv.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

function cli(args, input = '') {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, input, encoding: 'utf8' });
  return r;
}

const tokens = {};
function tokenOf(login) {
  if (!tokens[login]) {
    const r = cli(['token', 'add', '--name', `dl-${login}`, '--user', login, '--scopes', '*']);
    assert.equal(r.status, 0, r.stderr);
    tokens[login] = r.stdout.trim();
  }
  return tokens[login];
}
function as(login) {
  const headers = login === 'tester' ? {} : { Authorization: `Bearer ${tokenOf(login)}` };
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

async function register(over = {}, login = 'zhangwei') {
  return ok(await as(login)('POST', '/api/complaints', complaintBody(over)), 201, 'register');
}
async function get(number) {
  return ok(await as('tester')('GET', `/api/complaints/${number}`), 200, 'get');
}
const clockOf = (c, kind, cycle) =>
  c.clocks.filter((k) => k.clock === kind && (cycle === undefined || k.cycle === cycle)).at(-1);
const eventsOf = (c, type) => c.timeline.filter((e) => e.type === type);
const iso = (ms) => new Date(ms + 8 * HOUR).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** Poll until fn() returns a truthy value (the scheduler ticks every 100 ms). */
async function waitFor(fn, label, ms = 8000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${label}; last: ${JSON.stringify(last)?.slice(0, 500)}`);
}
/** Let the scheduler run a few ticks at the current time. */
const settle = () => new Promise((r) => setTimeout(r, 450));

async function inbox(login) {
  return ok(await as(login)('GET', '/api/notifications?limit=100'), 200, `inbox ${login}`).items;
}

test('a new complaint carries its clocks with the limits of its grade', async () => {
  setNow(T0);
  const c = await register();
  assert.equal(c.grade, 'C');
  const resolve = clockOf(c, 'resolve');
  assert.ok(resolve, JSON.stringify(c.clocks));
  assert.equal(resolve.state, 'running');
  assert.deepEqual(resolve.limit, { amount: 2, unit: 'days' });
  assert.equal(resolve.started_at, iso(T0));
  assert.equal(resolve.due_at, iso(T0 + 2 * DAY));
  assert.equal(resolve.remind_at, iso(T0 + 0.8 * 2 * DAY));
  const first = clockOf(c, 'first_response');
  assert.equal(first.due_at, iso(T0 + DAY));
  assert.equal(first.label_zh, '首次答复');
  // a phone complaint is taken live: no acceptance clock; urgent clocks only for urgent ones
  assert.equal(clockOf(c, 'accept'), undefined);
  assert.equal(clockOf(c, 'urgent_reply'), undefined);
  // a web complaint must be accepted within one working day (Friday → end of Monday)
  setNow(Date.parse('2026-03-06T15:00:00+08:00'));
  const web = await register({ channel: 'web' });
  assert.equal(clockOf(web, 'accept').due_at, '2026-03-10T00:00:00+08:00');
  assert.deepEqual(clockOf(web, 'accept').limit, { amount: 1, unit: 'working_days' });
  setNow(T0);
});

test('a C complaint goes overdue after 2 days, once, and its supervisor is told', async () => {
  setNow(T0);
  const c = await register({ subject: '走廊灯坏了两周' });
  ok(await as('wangfang')('POST', `/api/complaints/${c.number}/assign`, { handler: 'lina' }), 200, 'assign');
  // the handler is told on assignment
  const told = await waitFor(async () => (await inbox('lina')).find((n) => n.kind === 'assigned' && n.complaint === c.number), 'assigned');
  assert.match(told.title_zh, /已派给您/);

  // 80 % of 48 h: the reminder, to the handler, once
  setNow(T0 + 40 * HOUR);
  await waitFor(async () => eventsOf(await get(c.number), 'reminder').length > 0, 'reminder');
  await settle();
  let now1 = await get(c.number);
  assert.equal(eventsOf(now1, 'reminder').filter((e) => e.data.clock === 'resolve').length, 1);
  assert.equal(clockOf(now1, 'resolve').state, 'due_soon');
  const reminded = (await inbox('lina')).filter((n) => n.kind === 'reminder' && n.complaint === c.number);
  assert.ok(reminded.length >= 1, 'handler reminded');

  // two days later: overdue, the supervisor (next level for C) told
  setNow(T0 + 2 * DAY + 60_000);
  await waitFor(async () => eventsOf(await get(c.number), 'overdue').some((e) => e.data.clock === 'resolve'), 'overdue');
  await settle();
  now1 = await get(c.number);
  const overdue = eventsOf(now1, 'overdue').filter((e) => e.data.clock === 'resolve');
  assert.equal(overdue.length, 1);
  assert.deepEqual(overdue[0].data.notified, ['supervisor']);
  assert.equal(clockOf(now1, 'resolve').state, 'overdue');
  assert.equal(clockOf(now1, 'resolve').overdue_at, iso(T0 + 2 * DAY + 60_000));
  const sup = (await inbox('wangfang')).filter((n) => n.kind === 'overdue' && n.complaint === c.number);
  assert.ok(sup.length >= 1, 'supervisor told');
  assert.match(sup[0].title_zh, /已超时/);
  // a manager of another project hears nothing of it
  assert.equal((await inbox('huangmin')).filter((n) => n.complaint === c.number).length, 0);

  // resolving late stops the clock as missed
  ok(await as('lina')('POST', `/api/complaints/${c.number}/resolve`, { result: '已更换灯具' }), 200, 'resolve');
  const done = await get(c.number);
  assert.equal(clockOf(done, 'resolve').state, 'missed');
  setNow(T0);
});

test('an A complaint resolves in 20 working days: over the Spring Festival and its make-up days', async () => {
  setNow(Date.parse('2026-02-10T09:30:00+08:00'));
  const c = await register({ headcount: 12, subject: '春节前停水,十多户业主一起投诉' });
  assert.equal(c.grade, 'A');
  const resolve = clockOf(c, 'resolve');
  assert.deepEqual(resolve.limit, { amount: 20, unit: 'working_days' });
  // Feb 11-13, Sat 14 (make-up), 24-27, Sat 28 (make-up), Mar 2-6, 9-13, 16: the 20th is Mar 16
  assert.equal(resolve.due_at, '2026-03-17T00:00:00+08:00');
  // urgent: report to the leader within 1 hour, reply within 2
  assert.equal(clockOf(c, 'urgent_report').due_at, '2026-02-10T10:30:00+08:00');
  assert.equal(clockOf(c, 'urgent_reply').due_at, '2026-02-10T11:30:00+08:00');
  assert.ok(clockOf(c, 'progress'), 'weekly progress clock');
  // a report and a reply meet them, on time
  ok(await as('lina')('POST', `/api/complaints/${c.number}/events`, { type: 'report', text: '已报告项目经理' }), 201);
  ok(await as('lina')('POST', `/api/complaints/${c.number}/events`, { type: 'reply', text: '已安排维修,今晚恢复' }), 201);
  const after = await get(c.number);
  assert.equal(clockOf(after, 'urgent_report').state, 'met');
  assert.equal(clockOf(after, 'urgent_reply').state, 'met');
  assert.equal(clockOf(after, 'first_response').state, 'met');
  // the reply starts the next week of progress reports
  assert.equal(clockOf(after, 'progress', 2).state, 'running');
  setNow(T0);
});

test('a paused clock does not run out; resuming adds the pause', async () => {
  setNow(T0);
  const c = await register({ subject: '等待业主提供照片' });
  const path = `/api/complaints/${c.number}/clocks/resolve`;
  assertError(await as('lina')('POST', `${path}/pause`, {}), 400, 'reason', 'required', 'no reason');
  assertError(await as('lina')('POST', `/api/complaints/${c.number}/clocks/nosuch/pause`, { reason: 'x' }), 404, 'clock', 'unknown', 'bad clock');
  assertError(await as('lina')('POST', `${path}/resume`, { reason: 'x' }), 409, 'clock', 'not_paused', 'resume running');
  const paused = ok(await as('lina')('POST', `${path}/pause`, { reason: '等业主补充照片' }), 200, 'pause');
  assert.equal(clockOf(paused, 'resolve').state, 'paused');
  assertError(await as('lina')('POST', `${path}/pause`, { reason: 'again' }), 409, 'clock', 'paused', 'pause twice');
  setNow(T0 + 3 * DAY);
  await settle();
  let c2 = await get(c.number);
  assert.equal(clockOf(c2, 'resolve').state, 'paused');
  assert.equal(eventsOf(c2, 'overdue').filter((e) => e.data.clock === 'resolve').length, 0);
  const resumed = ok(await as('lina')('POST', `${path}/resume`, { reason: '照片已收到' }), 200, 'resume');
  assert.equal(clockOf(resumed, 'resolve').due_at, iso(T0 + 5 * DAY));
  assert.equal(clockOf(resumed, 'resolve').state, 'running');
  c2 = await get(c.number);
  assert.equal(eventsOf(c2, 'clock_paused').length, 1);
  assert.equal(eventsOf(c2, 'clock_resumed')[0].data.paused_seconds, 3 * 86400);
  // a handler of another project cannot touch it
  assert.equal((await as('yangli')('POST', `${path}/pause`, { reason: 'x' })).status, 404);
  setNow(T0);
});

test('escalation rules fire once; a supervision notice is acknowledged or raised a level', async () => {
  setNow(T0);
  const vip = await register({ subject: '领导转来的投诉', flags: { vip: true } });
  let c = await get(vip.number);
  const esc = eventsOf(c, 'escalated').filter((e) => e.data.rule === 'E-LEADERSHIP');
  assert.equal(esc.length, 1);
  assert.equal(eventsOf(c, 'notice_issued').length >= 1, true);
  // the centre (company-wide) receives the notice and acknowledges it
  const mine = ok(await as('wuxia')('GET', '/api/notices?open=1'), 200).items.filter((n) => n.number === vip.number);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].to_role, 'centre');
  // nobody else may acknowledge it (404, as for a notice that does not exist)
  assert.equal((await as('lina')('POST', `/api/notices/${mine[0].id}/ack`, {})).status, 404);
  const acked = ok(await as('wuxia')('POST', `/api/notices/${mine[0].id}/ack`, { note: '已安排专人跟进' }), 200);
  assert.ok(acked.acked_at);
  assertError(await as('wuxia')('POST', `/api/notices/${mine[0].id}/ack`, {}), 409, 'id', 'done', 'ack twice');
  // a later change of facts does not escalate the same rule again
  ok(await as('lina')('POST', `/api/complaints/${vip.number}/facts`, { headcount: 2, reason: '又一位业主' }), 200, 'facts');
  c = await get(vip.number);
  assert.equal(eventsOf(c, 'escalated').filter((e) => e.data.rule === 'E-LEADERSHIP').length, 1);

  // an injury case: its notice is left unacknowledged and goes up to the executive
  const hurt = await register({ subject: '小区路面塌陷有人摔伤', flags: { injury: true } });
  const n1 = ok(await as('wuxia')('GET', '/api/notices?open=1'), 200).items.find((n) => n.number === hurt.number);
  assert.ok(n1);
  setNow(T0 + 25 * HOUR);
  await waitFor(async () => eventsOf(await get(hurt.number), 'notice_overdue').length > 0, 'notice raised');
  await settle();
  c = await get(hurt.number);
  // hurt: A at once, so the general manager's notice (E-MAJOR) went unanswered too: top level
  const raisedUp = eventsOf(c, 'notice_overdue');
  assert.equal(raisedUp.filter((e) => e.data.to_role === 'centre').length, 1);
  assert.equal(raisedUp.filter((e) => e.data.to_role === 'centre')[0].data.raised_to, 'executive');
  assert.equal(raisedUp.filter((e) => e.data.to_role === 'executive')[0].data.raised_to, null);
  const up = ok(await as('zhouqiang')('GET', '/api/notices?open=1'), 200).items.filter((n) => n.number === hurt.number && n.level === 2);
  assert.equal(up.length, 1);
  assert.equal(up[0].to_role, 'executive');
  setNow(T0);
});

test('a restart after a long stop catches up once: no storm, nothing missed', async () => {
  setNow(T0);
  const c = await register({ subject: '长时间停机期间的投诉' });
  ok(await as('wangfang')('POST', `/api/complaints/${c.number}/triage`, { nature: 'valid', reason: '确属物业责任' }), 200, 'triage');
  await srv.stop({ keepDir: true });
  // 40 days later: reminders, overdue marks and the 30-day age rule are all due at once
  setNow(T0 + 40 * DAY);
  await srv.restart();
  await waitFor(async () => eventsOf(await get(c.number), 'overdue').length >= 2, 'catch-up');
  await settle();
  const after = await get(c.number);
  const byClock = {};
  for (const e of eventsOf(after, 'overdue')) byClock[e.data.clock] = (byClock[e.data.clock] || 0) + 1;
  assert.deepEqual(byClock, { first_response: 1, resolve: 1 });
  // the reminders of clocks that ran out meanwhile are folded into the overdue mark
  assert.equal(eventsOf(after, 'reminder').length, 0);
  // unresolved for 30 days: the age rule raised it, once
  const raised = eventsOf(after, 'grade_changed');
  assert.ok(raised.length >= 1, 'age-based re-grading');
  assert.notEqual(after.grade, 'C');
  // running it again by hand does nothing twice
  await srv.stop({ keepDir: true });
  const tick = spawnSync(KESU_BIN, ['tick', '--db', srv.db], { env: { ...srv.env }, encoding: 'utf8' });
  assert.equal(tick.status, 0, tick.stderr);
  assert.match(tick.stdout, /提醒 0 条,超时 0 条|0 reminders, 0 overdue/);
  await srv.restart();
  const again = await get(c.number);
  assert.equal(eventsOf(again, 'overdue').length, eventsOf(after, 'overdue').length);
  assert.equal(eventsOf(again, 'grade_changed').length, raised.length);
  setNow(T0 + 40 * DAY);
});

test('two servers on one database: one scheduler works, nothing fires twice', async () => {
  const base = now;
  const second = await startServer({ env, dbPath: srv.db });
  try {
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await register({ subject: `并发调度 ${i}` }));
    setNow(base + 3 * DAY);
    await waitFor(async () => {
      for (const m of made) if (eventsOf(await get(m.number), 'overdue').length < 2) return false;
      return true;
    }, 'all overdue');
    await new Promise((r) => setTimeout(r, 800));
    for (const m of made) {
      const c = await get(m.number);
      const count = {};
      for (const e of eventsOf(c, 'overdue')) count[e.data.clock] = (count[e.data.clock] || 0) + 1;
      assert.deepEqual(count, { first_response: 1, resolve: 1 }, m.number);
    }
    const s = ok(await as('tester')('GET', '/api/scheduler'), 200);
    assert.ok(s.holder, JSON.stringify(s));
    assert.equal(s.held, true);
    assert.ok(s.ticks > 0);
  } finally {
    await second.stop();
  }
});

test('the time-limit policy and escalation rules are data an administrator edits', async () => {
  const list = ok(await as('lina')('GET', '/api/clock-policy'), 200).items;
  assert.ok(list.find((p) => p.grade === '*' && p.clock === 'resolve' && p.amount === 2 && p.unit === 'days'));
  assert.ok(list.find((p) => p.grade === 'A' && p.clock === 'resolve' && p.unit === 'working_days'));
  assert.equal((await as('lina')('PUT', '/api/clock-policy/B/resolve', { amount: 3 })).status, 403);
  assertError(await as('tester')('PUT', '/api/clock-policy/B/resolve', { amount: 0 }), 400, 'amount', 'too_small', 'amount 0');
  assertError(await as('tester')('PUT', '/api/clock-policy/B/resolve', { unit: 'weeks' }), 400, 'unit', 'bad_value', 'unit');
  assertError(await as('tester')('PUT', '/api/clock-policy/B/resolve', { remind_percent: 100 }), 400, 'remind_percent', 'too_large', 'remind');
  assertError(await as('tester')('PUT', '/api/clock-policy/Z/resolve', { amount: 3 }), 404, 'grade', 'unknown', 'grade');
  assertError(await as('tester')('PUT', '/api/clock-policy/B/sometime', { amount: 3 }), 404, 'clock', 'unknown', 'clock');
  assertError(await as('tester')('PUT', '/api/clock-policy/B/resolve', {}), 400, null, 'nothing_to_change', 'empty');
  const b = ok(await as('tester')('PUT', '/api/clock-policy/B/resolve', { amount: 3, unit: 'working_days' }), 201, 'new B row');
  assert.equal(b.amount, 3);
  assert.equal(b.remind_percent, 80);

  const rules = ok(await as('lina')('GET', '/api/escalation-rules'), 200).items;
  assert.ok(rules.find((r) => r.code === 'E-REPAIR-20D' && r.target_role === 'centre'));
  assertError(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'overdue >= 1' }), 400, 'target_role', 'required', 'new needs role');
  assertError(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'overdue >> 1', target_role: 'manager', description_zh: '超时', description_en: 'overdue' }), 400, 'condition', 'bad_syntax', 'syntax');
  assertError(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'nosuch >= 1', target_role: 'manager', description_zh: '超时', description_en: 'overdue' }), 400, 'condition', 'unknown', 'fact');
  assertError(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'overdue >= 1', target_role: 'boss', description_zh: '超时', description_en: 'overdue' }), 400, 'target_role', 'bad_value', 'role');
  assertError(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'overdue >= 1', target_role: 'manager', target_department: 'NOPE', description_zh: '超时', description_en: 'overdue' }), 400, 'target_department', 'unknown', 'department');
  const made = ok(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { condition: 'overdue>=1', target_role: 'manager', notice: true, ack_hours: 4, description_zh: '任一时限超时', description_en: 'Any clock overdue' }), 201, 'new rule');
  assert.equal(made.condition, 'overdue >= 1');
  assert.equal(ok(await as('tester')('PUT', '/api/escalation-rules/E-NEW', { enabled: false }), 200).enabled, false);
  assert.equal((await as('lina')('PUT', '/api/escalation-rules/E-NEW', { enabled: true })).status, 403);
});

test('the calendar an administrator edits moves working-day limits', async () => {
  // Friday 6 March 15:00 + 1 working day is the end of Monday 9 March ...
  setNow(Date.parse('2026-03-06T15:00:00+08:00'));
  const before = await register({ channel: 'web', subject: '网上投诉:受理时限' });
  assert.equal(clockOf(before, 'accept').due_at, '2026-03-10T00:00:00+08:00');
  // ... until Monday becomes a holiday of the deployment's calendar
  ok(await as('tester')('PUT', '/api/calendar/days/2026-03-09', { kind: 'holiday', name: '测试假日' }), 200, 'holiday');
  const after = await register({ channel: 'web', subject: '网上投诉:假日后受理' });
  assert.equal(clockOf(after, 'accept').due_at, '2026-03-11T00:00:00+08:00');
  // accepting meets it
  const accepted = ok(await as('zhangwei')('POST', `/api/complaints/${after.number}/accept`, {}), 200, 'accept');
  assert.equal(clockOf(accepted, 'accept').state, 'met');
});
