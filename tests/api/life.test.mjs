// The life of a complaint (issue 4; DOMAIN §4, §6, §8): whole lives walked through the
// workflow routes — registration, grading by rule, dispatch, return, investigation,
// compensation and its approval, agreement, resolution, closing, follow-up, reopening and
// archiving — each step checked for its status, its event and the actions left, and each
// actor acting with their own role (demo staff of project HY, tokens made with the CLI).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  useServer, startServer, makeTester, complaintBody, cstIso, KESU_BIN,
} from './lib/server.mjs';

const srv = useServer();
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const DAY = 86_400_000;

// What may be done in each status (core/workflow.c), in the order the API lists them.
const ACTIONS = {
  received: ['accept', 'invalidate', 'triage', 'facts', 'note'],
  registered: ['assign', 'invalidate', 'triage', 'facts', 'note'],
  in_progress: ['assign', 'return', 'invalidate', 'resolve', 'triage', 'facts', 'negotiate', 'approve', 'note'],
  resolved: ['close', 'dispute', 'reopen', 'triage', 'facts', 'approve', 'note', 'case'],
  closed: ['follow_up', 'reopen', 'facts', 'note', 'case'],
  followed_up: ['reopen', 'archive', 'facts', 'note', 'case'],
  archived: ['case'],
  invalid: ['archive', 'note'],
};

// ---- acting as someone ----

function cli(args, input = '', db = srv.db, env = srv.env) {
  const r = spawnSync(KESU_BIN, [...args, '--db', db], { env, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const tokens = {};
function tokenOf(login) {
  if (!tokens[login]) {
    tokens[login] = cli(['token', 'add', '--name', `life-${login}`, '--user', login, '--scopes', '*']).trim();
    assert.match(tokens[login], /^kesu_[A-Za-z0-9_-]{43}$/, `token of ${login}`);
  }
  return tokens[login];
}

/** srv.api as `login` (tester: the suite's own token). */
function as(login) {
  const headers = login === 'tester' ? {} : { Authorization: `Bearer ${tokenOf(login)}` };
  return (method, path, body) => srv.api(method, path, { body, headers });
}

const act = (login, number, action, body = {}) =>
  as(login)('POST', `/api/complaints/${number}/${action}`, body);
const get = async (number, login = 'tester') => {
  const r = await as(login)('GET', `/api/complaints/${number}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const note = (login, number, type, text) =>
  as(login)('POST', `/api/complaints/${number}/events`, { type, text });

/** The body of a 2xx answer, or a failure showing what came instead. */
function ok(r, status = 200, label = '') {
  assert.equal(r.status, status, `${label} ${r.status} ${r.text}`);
  return r.json;
}

function assertError(r, status, field, reason, label = '') {
  assert.equal(r.status, status, `${label} status: ${r.text}`);
  assert.ok(r.json && r.json.error, `${label} error body: ${r.text}`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${label} field: ${r.text}`);
  if (reason !== undefined) assert.equal(r.json.error.reason, reason, `${label} reason: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
}

const notAllowed = (r, label) => assertError(r, 409, 'status', 'not_allowed', label);

const eventsOf = (c, type) => c.timeline.filter((e) => e.type === type);
const lastEvent = (c) => c.timeline[c.timeline.length - 1];
const types = (c) => c.timeline.map((e) => e.type);

/** The events a step added: the timeline grew, and these are the new ones. */
function added(before, after, label = '') {
  assert.ok(after.timeline.length > before.timeline.length,
    `${label}: no event added (${types(before)} → ${types(after)})`);
  assert.deepEqual(after.timeline.slice(0, before.timeline.length).map((e) => e.seq),
    before.timeline.map((e) => e.seq), `${label}: earlier events unchanged`);
  return after.timeline.slice(before.timeline.length);
}

function assertActions(c, label = '') {
  assert.deepEqual(c.actions, ACTIONS[c.status], `${label} actions in ${c.status}`);
}

let phoneSeq = 0;
/** A phone number no other complaint of this file uses (a distinct complainant). */
function freshPhone() {
  phoneSeq += 1;
  return `139${String(70000000 + phoneSeq).padStart(8, '0')}`;
}

async function create(over = {}, login = 'tester') {
  const body = complaintBody({ complainant: { name: '业主', phone: freshPhone() }, ...over });
  const r = await as(login)('POST', '/api/complaints', body);
  return ok(r, 201, 'create');
}

/** A complaint of HY dispatched to lina: in_progress. */
async function inProgress(over = {}) {
  const c = await create({ category: 'equipment', ...over });
  const a = ok(await act('wangfang', c.number, 'assign', { handler: 'lina' }), 200, 'assign');
  assert.equal(a.status, 'in_progress');
  return a;
}

/** Resolved and closed (agreed) by lina: closed, with a follow-up scheduled. */
async function closedOne(over = {}) {
  const c = await inProgress(over);
  ok(await act('lina', c.number, 'resolve', { result: '已更换电梯控制板,运行正常。' }), 200, 'resolve');
  const closed = ok(await act('lina', c.number, 'close', { response: 'agreed' }), 200, 'close');
  assert.equal(closed.status, 'closed');
  return closed;
}

async function openFollowup(number) {
  const c = await get(number);
  const open = c.followups.filter((f) => f.status === 'open');
  assert.equal(open.length, 1, `one open follow-up on ${number}: ${JSON.stringify(c.followups)}`);
  return open[0];
}

const recordFollowup = (login, id, body) => as(login)('POST', `/api/followups/${id}`, body);

/**
 * POST /api/followups/:id as `login`; on success checks the answer's shape
 * ({followup, reopen_offered, complaint: {number, status}}) and returns it.
 */
async function followUp(login, f, body, status = 'followed_up') {
  const r = await recordFollowup(login, f.id, body);
  assert.equal(r.status, 200, `follow-up ${f.id} by ${login}: ${r.text}`);
  assert.equal(r.json.followup.id, f.id);
  assert.equal(r.json.followup.status, 'done');
  assert.equal(r.json.followup.done_by, login);
  assert.equal(typeof r.json.reopen_offered, 'boolean');
  assert.deepEqual(r.json.complaint, { number: f.number, status });
  return r.json;
}

before(async () => {
  await srv.ready;
  for (const login of ['zhangwei', 'lina', 'wangfang', 'liuyang', 'yangli', 'huangmin', 'xujun', 'zhouqiang', 'wuxia'])
    tokenOf(login);
});

// ---------------------------------------------------------------------------

test('a grade C complaint from registration to archive', async () => {
  // registered by phone: graded C by rule C1 as it is registered
  let c = await create({ category: 'equipment', subject: '电梯异响', content: '5栋电梯运行时有异响。' });
  assert.equal(c.status, 'registered');
  assert.equal(c.channel, 'phone');
  assert.equal(c.grade, 'C');
  assert.equal(c.handler, null);
  assert.equal(c.department, null);
  assert.deepEqual(c.compensations, []);
  assert.deepEqual(c.followups, []);
  assertActions(c, 'registered');
  assert.equal(c.timeline[0].type, 'registered');
  const graded = eventsOf(c, 'grade_changed');
  assert.equal(graded.length, 1, JSON.stringify(c.timeline));
  assert.equal(graded[0].data.rule, 'C1');
  assert.equal(graded[0].data.to, 'C');
  assert.equal(graded[0].data.from, null);
  assert.equal(graded[0].data.by, 'rules');
  assert.equal(graded[0].visibility, 'internal');
  assert.ok(graded[0].text && graded[0].text.length > 0, 'the rule described');
  const n = c.number;

  // dispatched to lina by the supervisor; the department comes from the dispatch rule
  let prev = c;
  c = ok(await act('wangfang', n, 'assign', { handler: 'lina' }), 200, 'assign');
  assert.equal(c.number, n);
  assert.equal(c.status, 'in_progress');
  assert.deepEqual({ login: c.handler.login, name: c.handler.name }, { login: 'lina', name: '李娜' });
  assert.equal(c.department.code, 'engineering');
  assertActions(c, 'assigned');
  let fresh = added(prev, c, 'assign');
  const assigned = fresh.find((e) => e.type === 'assigned');
  assert.ok(assigned, `assigned event: ${types(c)}`);
  assert.equal(assigned.author.login, 'wangfang');
  assert.equal(assigned.data.handler, 'lina');
  assert.equal(assigned.data.department, 'engineering');
  assert.equal(assigned.data.by_dispatch_rule, true);
  assert.equal(c.grade, 'C', 'grade unchanged');

  // investigation and a solution, by the handler
  prev = c;
  let e = await note('lina', n, 'investigation', '现场检查:曳引机轴承磨损,已联系维保单位。');
  assert.equal(e.status, 201, e.text);
  assert.equal(e.json.type, 'investigation');
  assert.equal(e.json.author.login, 'lina');
  e = await note('lina', n, 'solution', '更换轴承,费用由维保单位承担,周五前完成。');
  assert.equal(e.status, 201, e.text);
  assert.equal(e.json.type, 'solution');
  c = await get(n);
  assert.deepEqual(added(prev, c, 'notes').map((x) => x.type), ['investigation', 'solution']);

  // resolved: the result is told to the customer
  prev = c;
  c = ok(await act('lina', n, 'resolve', { result: '已更换轴承,电梯运行平稳,已电话告知业主。' }), 200, 'resolve');
  assert.equal(c.status, 'resolved');
  assert.equal(c.result, '已更换轴承,电梯运行平稳,已电话告知业主。');
  assert.match(c.resolved_at, TIME_RE);
  assert.equal(c.closed_at, null);
  assertActions(c, 'resolved');
  fresh = added(prev, c, 'resolve');
  const resolved = fresh.find((x) => x.type === 'resolved');
  assert.ok(resolved, types(c));
  assert.equal(resolved.visibility, 'customer');
  assert.equal(resolved.text, c.result);

  // closed, the customer agreeing: a follow-up call is scheduled for a supervisor, never lina
  prev = c;
  c = ok(await act('lina', n, 'close', { response: 'agreed', note: '业主表示满意。' }), 200, 'close');
  assert.equal(c.status, 'closed');
  assert.equal(c.close_response, 'agreed');
  assert.match(c.closed_at, TIME_RE);
  assertActions(c, 'closed');
  fresh = added(prev, c, 'close');
  const closed = fresh.find((x) => x.type === 'closed');
  assert.ok(closed, types(c));
  assert.equal(closed.data.response, 'agreed');
  const scheduled = fresh.find((x) => x.type === 'followup_scheduled');
  assert.ok(scheduled, types(c));
  assert.equal(scheduled.data.assignee, 'wangfang');
  assert.equal(c.followups.length, 1);
  const f = c.followups[0];
  assert.equal(f.status, 'open');
  assert.equal(f.kind, 'regular');
  assert.equal(f.cycle, 0);
  assert.equal(f.number, n);
  assert.equal(f.assignee.login, 'wangfang');
  assert.notEqual(f.assignee.login, 'lina');
  assert.equal(scheduled.data.followup, f.id);
  const due = Date.parse(f.due_at) - Date.parse(f.created_at);
  assert.ok(due > 6 * DAY && due <= 7 * DAY + 1000, `due within a week: ${f.created_at} → ${f.due_at}`);

  // on wangfang's list of open follow-ups; the handler has no follow-up list at all
  const list = await as('wangfang')('GET', '/api/followups?status=open');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((x) => x.id === f.id && x.number === n), JSON.stringify(list.json));
  assert.equal((await as('lina')('GET', '/api/followups?status=open')).status, 403);

  // the call: satisfied
  prev = c;
  const rec = await followUp('wangfang', f, {
    outcome: 'reached', satisfaction: 'satisfied', score: 5, comment: '维修及时,态度很好。',
  });
  assert.equal(rec.reopen_offered, false);
  c = await get(n);
  assert.equal(c.status, 'followed_up');
  assertActions(c, 'followed_up');
  const fu = added(prev, c, 'follow-up').find((x) => x.type === 'followed_up');
  assert.ok(fu, types(c));
  assert.equal(fu.author.login, 'wangfang');
  assert.equal(fu.text, '维修及时,态度很好。');
  assert.equal(fu.data.followup, f.id);
  assert.equal(fu.data.satisfaction, 'satisfied');
  assert.equal(fu.data.reopen_offered, false);
  const done = c.followups[0];
  assert.equal(done.status, 'done');
  assert.equal(done.outcome, 'reached');
  assert.equal(done.satisfaction, 'satisfied');
  assert.equal(done.score, 5);
  assert.equal(done.comment, '维修及时,态度很好。');
  assert.equal(done.done_by, 'wangfang');
  assert.match(done.done_at, TIME_RE);
  const stillOpen = await as('wangfang')('GET', '/api/followups?status=open');
  assert.ok(!stillOpen.json.items.some((x) => x.id === f.id), 'no longer open');

  // archived: read-only
  prev = c;
  c = ok(await act('wangfang', n, 'archive', {}), 200, 'archive');
  assert.equal(c.status, 'archived');
  assertActions(c, 'archived');
  fresh = added(prev, c, 'archive');
  assert.ok(fresh.some((x) => x.type === 'archived'), types(c));
  notAllowed(await note('wangfang', n, 'note', '归档后补充'), 'note on archived');
  notAllowed(await act('wangfang', n, 'facts', { headcount: 2 }), 'facts on archived');
  notAllowed(await act('zhangwei', n, 'reopen', { reason: '业主再次来电' }), 'reopen archived');
  assert.equal((await get(n)).timeline.length, c.timeline.length, 'refusals add no event');
});

test('grade A: a collective complaint of 12 people is A by rule A5 from registration', async () => {
  const c = await create({ headcount: 12, category: 'environment', subject: '垃圾站臭味', content: '十二户业主联名投诉垃圾站臭味。' });
  assert.equal(c.headcount, 12);
  assert.equal(c.grade, 'A');
  const g = eventsOf(c, 'grade_changed');
  assert.equal(g.length, 1, JSON.stringify(g));
  assert.equal(g[0].data.rule, 'A5');
  assert.equal(g[0].data.to, 'A');
  assert.equal(g[0].data.by, 'rules');
  assert.equal(g[0].data.condition, 'headcount >= 10');
  for (const code of ['A5', 'B1', 'C1']) assert.ok(g[0].data.fired.includes(code), `${code} fired: ${g[0].data.fired}`);

  // explained
  const ex = await as('xujun')('GET', `/api/complaints/${c.number}/grade`);
  assert.equal(ex.status, 200, ex.text);
  assert.equal(ex.json.number, c.number);
  assert.equal(ex.json.preset, 'property');
  assert.equal(ex.json.grade, 'A');
  assert.equal(ex.json.rules_grade, 'A');
  assert.equal(ex.json.rule, 'A5');
  assert.equal(ex.json.overridden, null);
  assert.deepEqual(ex.json.levels.map((l) => l.code), ['A', 'B', 'C', 'D']);
  assert.equal(ex.json.facts.headcount, 12);
  assert.equal(ex.json.facts.complaint, 1);
  const holds = Object.fromEntries(ex.json.rules.map((r) => [r.code, r.holds]));
  assert.equal(holds.A5, true);
  assert.equal(holds.B1, true);
  assert.equal(holds.C1, true);
  assert.equal(holds['A2-injury'], false);
  assert.equal(holds.B2, false);

  // evaluating again changes nothing
  const ev = ok(await act('lina', c.number, 'grade', {}), 200, 'evaluate');
  assert.equal(ev.grade, 'A');
  assert.equal(eventsOf(ev, 'grade_changed').length, 1);
});

test('grade A: a complaint of one person reaches 12 by people and facts', async () => {
  let c = await create({ category: 'building', subject: '外墙渗水', content: '外墙渗水,卧室发霉。' });
  assert.equal(c.headcount, 1);
  assert.equal(c.grade, 'C');
  const n = c.number;

  // two neighbours join: three people → B by rule B1
  const neighbour = freshPhone();
  c = ok(await act('lina', n, 'people', { complainant: { name: '邻居甲', phone: neighbour, role: 'owner' } }), 201, 'people 1');
  assert.equal(c.headcount, 2);
  assert.equal(c.people.length, 1);
  assert.equal(c.people[0].seq, 2);
  assert.match(c.people[0].phone, /\*{4}/, 'masked');
  assert.equal(c.grade, 'C');
  assert.equal(lastEvent(c).type, 'person_added');
  c = ok(await act('lina', n, 'people', { complainant: { name: '邻居乙', phone: freshPhone(), role: 'tenant' } }), 201, 'people 2');
  assert.equal(c.headcount, 3);
  assert.equal(c.people.length, 2);
  assert.equal(c.grade, 'B');
  let g = eventsOf(c, 'grade_changed');
  assert.equal(g.at(-1).data.rule, 'B1');
  assert.equal(g.at(-1).data.from, 'C');
  assert.equal(g.at(-1).data.to, 'B');

  // the same person twice is refused
  const twice = await act('lina', n, 'people', { complainant: { name: '邻居甲', phone: neighbour, role: 'owner' } });
  assertError(twice, 409, undefined, 'exists', 'same person twice');

  // the rest of the building signs: 12 → A by rule A5
  c = ok(await act('lina', n, 'facts', { headcount: 12, reason: '又有九户业主联名' }), 200, 'facts');
  assert.equal(c.headcount, 12);
  assert.equal(c.grade, 'A');
  const facts = eventsOf(c, 'facts_changed').at(-1);
  assert.deepEqual(facts.data.headcount, { from: 3, to: 12 });
  assert.equal(facts.text, '又有九户业主联名');
  g = eventsOf(c, 'grade_changed');
  assert.equal(g.at(-1).data.rule, 'A5');
  assert.equal(g.at(-1).data.from, 'B');
  assert.equal(g.at(-1).data.to, 'A');
  assert.deepEqual(g.map((x) => x.data.to), ['C', 'B', 'A']);
});

test('grade B: the same complaint from 3 complainants within 30 days makes all three B (rule B2)', async () => {
  const now = Date.now();
  const at = (days) => cstIso(new Date(now - days * DAY - 60_000));
  const similar = { project: 'HY', building: '7栋', category: 'environment', subject: '垃圾清运不及时' };
  const first = await create({ ...similar, received_at: at(20) });
  const second = await create({ ...similar, received_at: at(10) });
  assert.equal(first.grade, 'C');
  assert.equal(second.grade, 'C', 'two complainants are not yet B');
  assert.equal((await get(first.number)).grade, 'C');

  const third = await create({ ...similar, received_at: at(0) });
  assert.equal(third.grade, 'B');
  const g = eventsOf(third, 'grade_changed').at(-1);
  assert.equal(g.data.rule, 'B2');
  assert.equal(g.data.to, 'B');
  for (const c of [first, second]) {
    const now2 = await get(c.number);
    assert.equal(now2.grade, 'B', `${c.number} raised with the third`);
    const e = eventsOf(now2, 'grade_changed').at(-1);
    assert.equal(e.data.rule, 'B2');
    assert.equal(e.data.from, 'C');
    assert.equal(e.data.to, 'B');
    assert.equal(e.data.by, 'rules');
  }
  const ex = await srv.api('GET', `/api/complaints/${third.number}/grade`);
  assert.equal(ex.status, 200, ex.text);
  assert.equal(ex.json.facts.similar_complainants, 3);
});

test('grade B needs 3 distinct complainants within the window: 2 people, or 3 spread over more than 30 days, stay C', async () => {
  const now = Date.now();
  const at = (days) => cstIso(new Date(now - days * DAY - 60_000));
  // two complainants, one of them complaining twice
  const same = { project: 'HY', building: '8栋', category: 'environment', subject: '楼道卫生差' };
  const phone = freshPhone();
  const a = await create({ ...same, received_at: at(12), complainant: { name: '甲', phone } });
  const b = await create({ ...same, received_at: at(6) });
  const c = await create({ ...same, received_at: at(1), complainant: { name: '甲', phone } });
  for (const x of [a, b, c]) assert.equal((await get(x.number)).grade, 'C', `${x.number}`);
  const ex = await srv.api('GET', `/api/complaints/${c.number}/grade`);
  assert.equal(ex.json.facts.similar_complainants, 2);

  // three complainants, but the first is 40 days before the last
  const spread = { project: 'HY', building: '9栋', category: 'environment', subject: '绿化带无人修剪' };
  const p = await create({ ...spread, received_at: at(40) });
  const q = await create({ ...spread, received_at: at(5) });
  const r = await create({ ...spread, received_at: at(0) });
  for (const x of [p, q, r]) assert.equal((await get(x.number)).grade, 'C', `${x.number}`);

  // received_at in the future is refused
  const future = await as('tester')('POST', '/api/complaints',
    complaintBody({ ...spread, received_at: cstIso(new Date(now + 2 * DAY)) }));
  assertError(future, 400, 'received_at', undefined, 'future');
});

test('grade D: an inquiry is D', async () => {
  const c = await create({ kind: 'inquiry', subject: '物业费缴费方式', content: '请问物业费可以用微信缴纳吗?' });
  assert.equal(c.kind, 'inquiry');
  assert.equal(c.grade, 'D');
  const g = eventsOf(c, 'grade_changed');
  assert.equal(g.length, 1);
  assert.equal(g[0].data.to, 'D');
  assert.equal(g[0].data.rule, null, 'no rule: the lowest level');
  const ex = await srv.api('GET', `/api/complaints/${c.number}/grade`);
  assert.equal(ex.json.facts.complaint, 0);
  assert.equal(ex.json.rules_grade, 'D');
  assert.equal(ex.json.rule, null);

  // triage turns it into a complaint: the rules raise it to C
  const t = ok(await act('wangfang', c.number, 'triage', { kind: 'complaint', reason: '实为投诉缴费渠道不便' }), 200, 'triage');
  assert.equal(t.kind, 'complaint');
  assert.equal(t.grade, 'C');
  assert.ok(eventsOf(t, 'kind_changed').length === 1, types(t));
  assert.equal(eventsOf(t, 'grade_changed').at(-1).data.rule, 'C1');
});

test('grading only raises: a lowered grade is not raised again by the same rule, but a new rule raises it', async () => {
  let c = await create({ headcount: 12, category: 'security', subject: '门禁失灵' });
  assert.equal(c.grade, 'A');
  const n = c.number;

  // the supervisor lowers it, with a reason: an event by a person
  c = ok(await act('wangfang', n, 'triage', { grade: 'C', reason: '经核实实为两户业主代签,非集体投诉' }), 200, 'lower');
  assert.equal(c.grade, 'C');
  const low = eventsOf(c, 'grade_changed').at(-1);
  assert.equal(low.data.by, 'person');
  assert.equal(low.data.from, 'A');
  assert.equal(low.data.to, 'C');
  assert.equal(low.data.lowered, true);
  assert.equal(low.author.login, 'wangfang');
  assert.equal(low.text, '经核实实为两户业主代签,非集体投诉');
  assert.ok(c.grade_overrides && c.grade_overrides.split(',').includes('A5'), `overrides: ${c.grade_overrides}`);
  const ex = await srv.api('GET', `/api/complaints/${n}/grade`);
  assert.equal(ex.json.grade, 'C');
  assert.equal(ex.json.overridden, c.grade_overrides);

  // more signatures: A5 again, which the person overrode — no raise, no grade event
  const before = eventsOf(c, 'grade_changed').length;
  c = ok(await act('lina', n, 'facts', { headcount: 15 }), 200, 'facts headcount');
  assert.equal(c.headcount, 15);
  assert.equal(c.grade, 'C');
  assert.equal(eventsOf(c, 'grade_changed').length, before);
  c = ok(await act('lina', n, 'grade', {}), 200, 'evaluate');
  assert.equal(c.grade, 'C');
  assert.equal(eventsOf(c, 'grade_changed').length, before);

  // someone was hurt: a rule that did not hold before raises it
  c = ok(await act('lina', n, 'facts', { flags: { injury: true }, reason: '业主被门禁夹伤' }), 200, 'facts injury');
  assert.equal(c.flags.injury, true);
  assert.equal(c.grade, 'A');
  const up = eventsOf(c, 'grade_changed').at(-1);
  assert.equal(up.data.by, 'rules');
  assert.equal(up.data.rule, 'A2-injury');
  assert.equal(up.data.from, 'C');
  assert.equal(up.data.to, 'A');
});

test('grading only raises: a similar-complaints rule that starts to hold after a lowering still raises', async () => {
  // DOMAIN §4 / core/grading.h: "a rule that starts to hold later still does"
  const now = Date.now();
  const at = (days) => cstIso(new Date(now - days * DAY - 60_000));
  const similar = { project: 'HY', building: '10栋', category: 'security', subject: '车位被占用' };
  let x = await create({ ...similar, headcount: 12, received_at: at(3) });
  assert.equal(x.grade, 'A');
  x = ok(await act('wangfang', x.number, 'triage', { grade: 'C', reason: '联名人数核实有误' }), 200, 'lower');
  assert.equal(x.grade, 'C');
  await create({ ...similar, received_at: at(2) });
  const third = await create({ ...similar, received_at: at(1) });
  assert.equal(third.grade, 'B', 'the third similar complaint is B by B2');
  const after = await get(x.number);
  assert.equal(after.grade, 'B', `B2 did not hold when the grade was lowered (overrides ${after.grade_overrides}); now it does`);
  assert.equal(eventsOf(after, 'grade_changed').at(-1).data.rule, 'B2');
});

test('lowering a grade without a reason → 400 field reason; unknown grade → 400 grade', async () => {
  const c = await create({ headcount: 12, category: 'service' });
  assert.equal(c.grade, 'A');
  assertError(await act('wangfang', c.number, 'triage', { grade: 'C' }), 400, 'reason', undefined, 'no reason');
  assertError(await act('wangfang', c.number, 'triage', { grade: 'C', reason: '   ' }), 400, 'reason', undefined, 'blank reason');
  assertError(await act('wangfang', c.number, 'triage', { grade: 'E', reason: '试试' }), 400, 'grade', 'unknown', 'unknown grade');
  assertError(await act('wangfang', c.number, 'triage', { grade: 'A', reason: '不变' }), 400, null, 'nothing_to_change', 'same grade');
  const now = await get(c.number);
  assert.equal(now.grade, 'A');
  assert.equal(eventsOf(now, 'grade_changed').length, 1, 'refusals change nothing');
});

test('return and reassign: lina returns the dispatch, the supervisor dispatches again', async () => {
  let c = await inProgress({ category: 'security', subject: '外来人员随意进出' });
  const n = c.number;
  assert.equal(c.department.code, 'security');
  assert.equal(c.handler.login, 'lina');

  // a handler cannot dispatch
  assertError(await act('lina', n, 'assign', { handler: 'lina', department: 'service' }), 403, undefined, undefined, 'lina assigns');
  // returning needs a reason
  assertError(await act('lina', n, 'return', {}), 400, 'reason', 'required', 'return without reason');

  // 退单
  let prev = c;
  c = ok(await act('lina', n, 'return', { reason: '属于安保部门职责,非客服处理范围' }), 200, 'return');
  assert.equal(c.status, 'registered');
  assert.equal(c.handler, null);
  assert.equal(c.department, null);
  assertActions(c, 'returned');
  const ret = added(prev, c, 'return').find((e) => e.type === 'returned');
  assert.ok(ret, types(c));
  assert.equal(ret.author.login, 'lina');
  assert.equal(ret.text, '属于安保部门职责,非客服处理范围');
  assert.equal(ret.data.handler, 'lina');
  assert.equal(ret.data.department, 'security');
  // once returned it is no longer lina's to return
  notAllowed(await act('lina', n, 'return', { reason: '再退一次' }), 'return a registered one');

  // the supervisor dispatches it again (HY has one handler: lina again)
  prev = c;
  c = ok(await act('wangfang', n, 'assign', { handler: 'lina', reason: '已与安保部协调,由客服牵头' }), 200, 'reassign');
  assert.equal(c.status, 'in_progress');
  assert.equal(c.handler.login, 'lina');
  assert.equal(c.department.code, 'security');
  const again = added(prev, c, 'reassign').map((e) => e.type);  // checked last, below

  // 改派 while in progress: another department, no handler
  prev = c;
  c = ok(await act('wangfang', n, 'assign', { department: 'service', reason: '转客服部跟进' }), 200, 'reassign dept');
  assert.equal(c.status, 'in_progress');
  assert.equal(c.department.code, 'service');
  assert.equal(c.handler, null);
  const re = added(prev, c, 'reassign dept').find((e) => e.type === 'reassigned');
  assert.ok(re, types(c));
  assert.equal(re.data.from_department, 'security');
  assert.equal(re.data.from_handler, 'lina');
  assert.equal(re.data.department, 'service');
  assert.equal(re.data.handler, null);
  assert.equal(re.data.by_dispatch_rule, false);
  assert.equal(re.text, '转客服部跟进');

  // a handler of another project cannot be named; the same dispatch twice changes nothing
  assertError(await act('wangfang', n, 'assign', { handler: 'yangli' }), 400, 'handler', 'cannot_handle', 'JX handler');
  assertError(await act('wangfang', n, 'assign', { handler: 'nobody' }), 400, 'handler', 'unknown', 'unknown handler');
  assertError(await act('wangfang', n, 'assign', { department: 'service' }), 400, null, 'nothing_to_change', 'same dispatch');

  // dispatching again after a return is a reassignment (改派), not a first dispatch
  assert.ok(again.includes('reassigned'), `a dispatch after a return is a reassignment: got ${again}`);
});

test('compensation: under the threshold proposed and agreed; over it pending until the manager approves', async () => {
  let c = await inProgress({ category: 'building', subject: '屋顶漏水', content: '顶层漏水泡坏家具。' });
  const n = c.number;

  // 200 yuan: no approval needed
  let r = await act('lina', n, 'compensations', { type: 'fee_waiver', amount: '200', reason: '减免一个月物业费' });
  c = ok(r, 201, 'small');
  assert.equal(c.compensations.length, 1);
  const small = c.compensations[0];
  assert.equal(small.status, 'proposed');
  assert.equal(small.amount, '200.00');
  assert.equal(small.type, 'fee_waiver');
  assert.equal(small.proposed_by, 'lina');
  assert.equal(small.decided_by, null);
  let ev = eventsOf(c, 'compensation_proposed').at(-1);
  assert.equal(ev.data.compensation, small.id);
  assert.equal(ev.data.needs_approval, false);
  assert.equal(ev.data.amount, '200.00');

  // exactly the threshold (1000) still needs none
  c = ok(await act('lina', n, 'compensations', { type: 'refund', amount: 1000, reason: '退还维修费' }), 201, 'at threshold');
  assert.equal(c.compensations.find((x) => x.amount === '1000.00').status, 'proposed');

  // agreed with the customer, the small one with it
  let prev = c;
  c = ok(await act('lina', n, 'agreement', {
    solution: '修复屋面防水,减免一个月物业费', confirmation: 'signature', compensations: [String(small.id)],
  }), 200, 'agreement small');
  assert.equal(c.status, 'in_progress');
  assert.equal(c.compensations.find((x) => x.id === small.id).status, 'agreed');
  const agr = added(prev, c, 'agreement').find((e) => e.type === 'agreement');
  assert.ok(agr, types(c));
  assert.equal(agr.visibility, 'customer');
  assert.equal(agr.data.confirmation, 'signature');
  assert.deepEqual(agr.data.compensations, [small.id]);
  // an agreed compensation is not agreed again
  assertError(await act('lina', n, 'agreement', { solution: '再签一次', confirmation: 'written', compensations: [String(small.id)] }),
    409, 'compensations', 'not_approved', 'agreed twice');

  // 1500 yuan: over the threshold, waits for a manager
  c = ok(await act('lina', n, 'compensations', { type: 'cash', amount: '1500.50', reason: '赔偿泡坏的衣柜' }), 201, 'big');
  const big = c.compensations.find((x) => x.amount === '1500.50');
  assert.equal(big.status, 'pending_approval');
  ev = eventsOf(c, 'compensation_proposed').at(-1);
  assert.equal(ev.data.needs_approval, true);
  assert.equal(ev.data.compensation, big.id);

  assertError(await act('lina', n, 'agreement', { solution: '现金赔偿衣柜', confirmation: 'written', compensations: [String(big.id)] }),
    409, 'compensations', 'not_approved', 'agreement before approval');
  // only a manager decides; a handler may not, nor the manager of another project
  assertError(await act('lina', n, `compensations/${big.id}/decision`, { approve: true }), 403, undefined, undefined, 'handler approves');
  assertError(await act('wangfang', n, `compensations/${big.id}/decision`, { approve: true }), 403, undefined, undefined, 'supervisor approves');
  assertError(await act('huangmin', n, `compensations/${big.id}/decision`, { approve: true }), 404, undefined, undefined, 'JX manager');
  assertError(await act('liuyang', n, `compensations/${small.id}/decision`, { approve: true }), 409, 'compensation', 'not_pending', 'decide a proposed one');
  assertError(await act('liuyang', n, 'compensations/999999/decision', { approve: true }), 404, 'compensation', 'unknown', 'unknown id');

  prev = c;
  c = ok(await act('liuyang', n, `compensations/${big.id}/decision`, { approve: true, reason: '金额合理' }), 200, 'approve');
  const approved = c.compensations.find((x) => x.id === big.id);
  assert.equal(approved.status, 'approved');
  assert.equal(approved.decided_by, 'liuyang');
  assert.match(approved.decided_at, TIME_RE);
  assert.equal(approved.decision_reason, '金额合理');
  const apEv = added(prev, c, 'approve').find((e) => e.type === 'compensation_approved');
  assert.ok(apEv, types(c));
  assert.equal(apEv.author.login, 'liuyang');
  assert.equal(apEv.data.compensation, big.id);
  assertError(await act('liuyang', n, `compensations/${big.id}/decision`, { approve: false, reason: '反悔' }), 409, 'compensation', 'not_pending', 'decide twice');

  c = ok(await act('lina', n, 'agreement', { solution: '现金赔偿衣柜', confirmation: 'written', compensations: [String(big.id)] }), 200, 'agreement big');
  const agreedBig = c.compensations.find((x) => x.id === big.id);
  assert.equal(agreedBig.status, 'agreed');
  // the agreement keeps the approving manager and records its own author and time
  assert.equal(agreedBig.decided_by, 'liuyang');
  assert.equal(agreedBig.decided_at, approved.decided_at);
  assert.equal(agreedBig.decision_reason, '金额合理');
  assert.equal(agreedBig.agreed_by, 'lina');
  assert.match(agreedBig.agreed_at, TIME_RE);
  // agreed without an approval: no decision, only the agreement
  const smallNow = c.compensations.find((x) => x.id === small.id);
  assert.equal(smallNow.decided_by, null);
  assert.equal(smallNow.agreed_by, 'lina');

  // a rejection says why
  c = ok(await act('lina', n, 'compensations', { type: 'cash', amount: 5000, reason: '精神损失' }), 201, 'huge');
  const huge = c.compensations.find((x) => x.amount === '5000.00');
  assert.equal(huge.status, 'pending_approval');
  assertError(await act('liuyang', n, `compensations/${huge.id}/decision`, { approve: false }), 400, 'reason', 'required', 'reject without reason');
  c = ok(await act('liuyang', n, `compensations/${huge.id}/decision`, { approve: false, reason: '超出合理范围' }), 200, 'reject');
  assert.equal(c.compensations.find((x) => x.id === huge.id).status, 'rejected');
  assert.ok(eventsOf(c, 'compensation_rejected').length === 1);
  assertError(await act('lina', n, 'agreement', { solution: 'x', confirmation: 'verbal', compensations: [String(huge.id)] }),
    409, 'compensations', 'not_approved', 'agree a rejected one');

  // bodies
  assertError(await act('lina', n, 'compensations', { type: 'gold', amount: 1, reason: 'x' }), 400, 'type', undefined, 'bad type');
  assertError(await act('lina', n, 'compensations', { type: 'cash', reason: 'x' }), 400, 'amount', 'required', 'no amount');
  assertError(await act('lina', n, 'compensations', { type: 'cash', amount: -5, reason: 'x' }), 400, 'amount', undefined, 'negative');
  assertError(await act('lina', n, 'agreement', { solution: 'x', confirmation: 'telepathy' }), 400, 'confirmation', undefined, 'bad confirmation');

  // once resolved, no more proposals
  ok(await act('lina', n, 'resolve', { result: '屋面已修复,赔偿已支付。' }), 200, 'resolve');
  notAllowed(await act('lina', n, 'compensations', { type: 'apology', amount: 100, reason: '致歉信' }), 'propose when resolved');
});

test('not-reachable closure: attempts required; two attempts close it; no closing before resolving', async () => {
  const c = await inProgress({ category: 'equipment', subject: '楼道灯不亮' });
  const n = c.number;

  notAllowed(await act('lina', n, 'close', { response: 'agreed' }), 'close in progress');
  ok(await act('lina', n, 'resolve', { result: '已更换楼道灯具。' }), 200, 'resolve');

  assertError(await act('lina', n, 'close', {}), 400, 'response', 'required', 'no response');
  assertError(await act('lina', n, 'close', { response: 'maybe' }), 400, 'response', undefined, 'bad response');
  assertError(await act('lina', n, 'close', { response: 'not_reachable' }), 400, 'attempts', 'required', 'no attempts');
  assertError(await act('lina', n, 'close', { response: 'not_reachable', attempts: [] }), 400, 'attempts', 'required', 'empty attempts');
  assertError(await act('lina', n, 'close', { response: 'not_reachable', attempts: 'phone' }), 400, 'attempts', 'bad_type', 'attempts not a list');
  assertError(await act('lina', n, 'close', {
    response: 'not_reachable', attempts: [{ method: 'phone', at: cstIso(new Date(Date.now() + 2 * DAY)) }],
  }), 400, 'attempts.at', 'in_future', 'attempt in the future');
  const bad = await act('lina', n, 'close', { response: 'not_reachable', attempts: [{ method: 'pigeon' }] });
  assert.equal(bad.status, 400, bad.text);
  assert.equal((await get(n)).status, 'resolved', 'refusals leave it resolved');

  const t1 = cstIso(new Date(Date.now() - 2 * 3600_000));
  const closed = ok(await act('lina', n, 'close', {
    response: 'not_reachable',
    attempts: [{ method: 'phone', at: t1, note: '无人接听' }, { method: 'sms', note: '已发短信告知处理结果' }],
    note: '两次联系未果',
  }), 200, 'close');
  assert.equal(closed.status, 'closed');
  assert.equal(closed.close_response, 'not_reachable');
  const ev = eventsOf(closed, 'closed').at(-1);
  assert.equal(ev.data.response, 'not_reachable');
  assert.equal(ev.data.attempts.length, 2);
  assert.deepEqual(ev.data.attempts.map((a) => a.method), ['phone', 'sms']);
  assert.equal(ev.data.attempts[0].at, t1);
  assert.equal(ev.data.attempts[0].note, '无人接听');
  assert.match(ev.data.attempts[1].at, TIME_RE);
  assert.equal(ev.text, '两次联系未果');
  assert.equal(closed.followups.length, 1, 'a follow-up even so');
  assert.equal(closed.followups[0].assignee.login, 'wangfang');
  notAllowed(await act('lina', n, 'close', { response: 'agreed' }), 'close twice');
});

test('a dissatisfied follow-up offers reopening; reopened, resolved and closed again it gets a second follow-up', async () => {
  let c = await closedOne({ category: 'environment', subject: '垃圾桶满溢' });
  const n = c.number;
  const f1 = await openFollowup(n);
  assert.equal(f1.cycle, 0);
  assert.equal(f1.assignee.login, 'wangfang');

  // refused bodies
  assertError(await recordFollowup('wangfang', f1.id, { outcome: 'reached' }), 400, 'satisfaction', 'required', 'reached without satisfaction');
  assertError(await recordFollowup('wangfang', f1.id, { outcome: 'reached', satisfaction: 'dissatisfied', score: 6 }), 400, 'score', undefined, 'score 6');
  assertError(await recordFollowup('wangfang', f1.id, { outcome: 'reached', satisfaction: 'angry' }), 400, 'satisfaction', undefined, 'bad satisfaction');

  let r = await followUp('wangfang', f1, {
    outcome: 'reached', satisfaction: 'dissatisfied', score: 1, comment: '垃圾桶还是经常满,问题没解决。',
  });
  assert.equal(r.reopen_offered, true);
  c = await get(n);
  assert.equal(eventsOf(c, 'followed_up').at(-1).data.reopen_offered, true);
  assert.equal(c.status, 'followed_up');
  assert.equal(c.followups[0].satisfaction, 'dissatisfied');
  assertError(await recordFollowup('wangfang', f1.id, { outcome: 'reached', satisfaction: 'fair' }), 409, 'followup', 'done', 'recorded twice');

  // reopened from the follow-up
  assertError(await act('wangfang', n, 'reopen', { source: 'followup' }), 400, 'reason', 'required', 'reopen without reason');
  assertError(await act('wangfang', n, 'reopen', { reason: 'x', source: 'rumour' }), 400, 'source', undefined, 'bad source');
  const prev = c;
  c = ok(await act('wangfang', n, 'reopen', { reason: '回访不满意,重新处理', source: 'followup' }), 200, 'reopen');
  assert.equal(c.status, 'in_progress');
  assert.equal(c.reopenings, 1);
  assert.equal(c.raised, 1, 'a follow-up is not the customer raising it again');
  assert.equal(c.result, null);
  assert.equal(c.close_response, null);
  assert.equal(c.resolved_at, null);
  assert.equal(c.closed_at, null);
  assert.equal(c.handler.login, 'lina', 'still lina\'s');
  assertActions(c, 'reopened');
  const re = added(prev, c, 'reopen').find((e) => e.type === 'reopened');
  assert.ok(re, types(c));
  assert.equal(re.data.source, 'followup');
  assert.equal(re.data.from, 'followed_up');
  assert.equal(re.data.reopenings, 1);
  assert.equal(re.text, '回访不满意,重新处理');

  // handled again: a second follow-up, of cycle 1
  ok(await act('lina', n, 'resolve', { result: '增加垃圾桶并调整清运时间为每日两次。' }), 200, 'resolve again');
  c = ok(await act('lina', n, 'close', { response: 'agreed' }), 200, 'close again');
  assert.equal(c.followups.length, 2, JSON.stringify(c.followups));
  const f2 = c.followups.find((f) => f.id !== f1.id);
  assert.equal(f2.cycle, 1);
  assert.equal(f2.status, 'open');
  assert.equal(f2.assignee.login, 'wangfang');
  assert.equal(eventsOf(c, 'followup_scheduled').length, 2);
  r = await followUp('wangfang', f2, { outcome: 'reached', satisfaction: 'satisfied', score: 4 });
  assert.equal(r.reopen_offered, false);
  assert.equal(r.followup.cycle, 1);
  c = await get(n);
  assert.equal(c.status, 'followed_up');
  assert.equal(c.reopenings, 1);
});

test('a second complaint reopens a closed complaint: raised again, by the operator', async () => {
  const c = await closedOne({ category: 'service', subject: '客服推诿' });
  const r = ok(await act('zhangwei', c.number, 'reopen', { reason: '业主再次来电反映同一问题' }), 200, 'operator reopens');
  assert.equal(r.status, 'in_progress');
  assert.equal(r.reopenings, 1);
  assert.equal(r.raised, 2);
  const e = eventsOf(r, 'reopened').at(-1);
  assert.equal(e.data.source, 'second_complaint');
  assert.equal(e.data.from, 'closed');
  assert.equal(e.author.login, 'zhangwei');
});

test('forbidden transitions answer 409 status not_allowed', async () => {
  const reg = await create({ category: 'equipment' });
  notAllowed(await act('lina', reg.number, 'resolve', { result: '已处理' }), 'resolve registered');
  notAllowed(await act('tester', reg.number, 'accept', {}), 'accept registered');
  notAllowed(await act('lina', reg.number, 'close', { response: 'agreed' }), 'close registered');
  notAllowed(await act('wangfang', reg.number, 'reopen', { reason: 'x' }), 'reopen registered');
  notAllowed(await act('wangfang', reg.number, 'archive', {}), 'archive registered');
  notAllowed(await act('lina', reg.number, 'return', { reason: 'x' }), 'return registered');
  notAllowed(await act('lina', reg.number, 'agreement', { solution: 'x', confirmation: 'verbal' }), 'agreement registered');
  notAllowed(await act('lina', reg.number, 'compensations', { type: 'cash', amount: 1, reason: 'x' }), 'compensation registered');
  notAllowed(await note('lina', reg.number, 'solution', '方案'), 'solution registered');

  const inp = await inProgress();
  notAllowed(await act('lina', inp.number, 'close', { response: 'agreed' }), 'close in_progress');
  notAllowed(await act('lina', inp.number, 'dispute', { reason: 'x' }), 'dispute in_progress');
  notAllowed(await act('wangfang', inp.number, 'reopen', { reason: 'x' }), 'reopen in_progress');
  notAllowed(await act('wangfang', inp.number, 'archive', {}), 'archive in_progress');

  const closed = await closedOne();
  notAllowed(await act('wangfang', closed.number, 'archive', {}), 'archive closed');
  notAllowed(await act('wangfang', closed.number, 'triage', { nature: 'valid', reason: 'x' }), 'triage closed');
  notAllowed(await act('wangfang', closed.number, 'assign', { handler: 'lina' }), 'assign closed');
  notAllowed(await act('wangfang', closed.number, 'invalidate', { reason: 'x' }), 'invalidate closed');
  notAllowed(await act('lina', closed.number, 'resolve', { result: 'x' }), 'resolve closed');
  const after = await get(closed.number);
  assert.equal(after.status, 'closed');
  assert.equal(after.timeline.length, closed.timeline.length, 'no event from a refusal');
});

test('a web complaint: received, accepted, resolved, disputed back to in progress', async () => {
  let c = await create({ channel: 'web', category: 'general', subject: '物业费收费有疑问' });
  assert.equal(c.status, 'received');
  assertActions(c, 'received');
  notAllowed(await act('wangfang', c.number, 'assign', { handler: 'lina' }), 'assign received');
  c = ok(await act('zhangwei', c.number, 'accept', { note: '已受理,24小时内答复' }), 200, 'accept');
  assert.equal(c.status, 'registered');
  const acc = eventsOf(c, 'accepted').at(-1);
  assert.ok(acc, types(c));
  assert.equal(acc.author.login, 'zhangwei');
  assert.equal(acc.text, '已受理,24小时内答复');

  c = ok(await act('wangfang', c.number, 'assign', {}), 200, 'assign by rule');
  assert.equal(c.department.code, 'service');
  assert.equal(c.handler, null);
  c = ok(await act('wangfang', c.number, 'assign', { handler: 'lina' }), 200, 'name handler');
  assert.ok(eventsOf(c, 'reassigned').length >= 1);
  c = ok(await act('lina', c.number, 'resolve', { result: '多收的120元已退还。' }), 200, 'resolve');
  const prev = c;
  c = ok(await act('lina', c.number, 'dispute', { reason: '业主认为还应补偿滞纳金' }), 200, 'dispute');
  assert.equal(c.status, 'in_progress');
  assert.equal(c.result, null);
  assert.equal(c.resolved_at, null);
  const d = added(prev, c, 'dispute').find((e) => e.type === 'disputed');
  assert.ok(d, types(c));
  assert.equal(d.data.result, '多收的120元已退还。');
  assert.equal(d.text, '业主认为还应补偿滞纳金');
});

test('an invalid complaint: notes only, then archived', async () => {
  let c = await create({ category: 'other', subject: '重复提交' });
  assertError(await act('wangfang', c.number, 'invalidate', {}), 400, 'reason', 'required', 'invalidate without reason');
  c = ok(await act('wangfang', c.number, 'invalidate', { reason: '与上一单重复' }), 200, 'invalidate');
  assert.equal(c.status, 'invalid');
  assert.equal(c.nature, 'invalid');
  assertActions(c, 'invalid');
  const inv = eventsOf(c, 'invalidated').at(-1);
  assert.equal(inv.data.from, 'registered');
  assert.equal(inv.text, '与上一单重复');
  assert.equal((await note('wangfang', c.number, 'note', '重复单号见上一单')).status, 201);
  notAllowed(await act('lina', c.number, 'facts', { headcount: 2 }), 'facts invalid');
  notAllowed(await act('wangfang', c.number, 'assign', { handler: 'lina' }), 'assign invalid');
  c = ok(await act('wangfang', c.number, 'archive', {}), 200, 'archive invalid');
  assert.equal(c.status, 'archived');
  assert.equal(eventsOf(c, 'archived').at(-1).data.from, 'invalid');
});

test('who may: operator cannot triage, auditor cannot resolve, JX staff see no HY complaint', async () => {
  const c = await inProgress({ category: 'environment', subject: '夜间噪音扰民' });
  const n = c.number;
  assertError(await act('zhangwei', n, 'triage', { nature: 'valid', reason: '有效' }), 403, undefined, 'forbidden', 'operator triages');
  assertError(await act('zhangwei', n, 'resolve', { result: 'x' }), 403, undefined, undefined, 'operator resolves');
  assertError(await act('xujun', n, 'resolve', { result: '已处理' }), 403, undefined, undefined, 'auditor resolves');
  assertError(await act('xujun', n, 'facts', { headcount: 2 }), 403, undefined, undefined, 'auditor facts');
  assertError(await act('zhouqiang', n, 'assign', { handler: 'lina' }), 403, undefined, undefined, 'executive assigns');
  assertError(await act('lina', n, 'reopen', { reason: 'x' }), 403, undefined, undefined, 'handler reopens');
  assertError(await act('lina', n, 'archive', {}), 403, undefined, undefined, 'handler archives');
  assertError(await act('yangli', n, 'resolve', { result: '已处理' }), 404, undefined, undefined, 'JX handler resolves HY');
  assertError(await as('yangli')('GET', `/api/complaints/${n}`), 404, undefined, undefined, 'JX handler reads HY');
  assertError(await as('yangli')('GET', `/api/complaints/${n}/grade`), 404, undefined, undefined, 'JX handler grade');
  assertError(await act('huangmin', n, 'triage', { nature: 'valid', reason: 'x' }), 404, undefined, undefined, 'JX manager triages HY');
  // the auditor reads, and the centre acts everywhere
  assert.equal((await as('xujun')('GET', `/api/complaints/${n}/grade`)).status, 200);
  const t = ok(await act('wuxia', n, 'triage', { nature: 'valid', reason: '经核实属实' }), 200, 'centre triages');
  assert.equal(t.nature, 'valid');
  assert.equal(eventsOf(t, 'nature_changed').at(-1).author.login, 'wuxia');
  const after = await get(n);
  assert.equal(after.status, 'in_progress');
});

test('the follow-up is never made by the handler of the complaint', async () => {
  // tester (centre: follow-up calls allowed) handles the complaint: the call goes to wangfang,
  // and tester may not record it
  const c = await create({ category: 'equipment', subject: '暖气不热' });
  ok(await act('wangfang', c.number, 'assign', { handler: 'tester' }), 200, 'assign tester');
  ok(await act('tester', c.number, 'resolve', { result: '已排气,室温恢复。' }), 200, 'resolve');
  const closed = ok(await act('tester', c.number, 'close', { response: 'agreed' }), 200, 'close');
  const f = closed.followups[0];
  assert.equal(f.assignee.login, 'wangfang');
  const byHandler = await recordFollowup('tester', f.id, { outcome: 'reached', satisfaction: 'satisfied' });
  assertError(byHandler, 403, null, 'handler_cannot_follow_up', 'the handler records the follow-up');
  assert.equal((await get(c.number)).status, 'closed');
  await followUp('wangfang', f, { outcome: 'reached', satisfaction: 'fair', score: 3 });

  // wangfang (the only supervisor of HY) handles one herself: nobody of HY is left to call,
  // and she may not record it either
  const d = await create({ category: 'equipment', subject: '下水道堵塞返水' });
  ok(await act('wangfang', d.number, 'assign', { handler: 'wangfang' }), 200, 'assign wangfang');
  ok(await act('wangfang', d.number, 'resolve', { result: '已疏通。' }), 200, 'resolve');
  const dc = ok(await act('wangfang', d.number, 'close', { response: 'agreed' }), 200, 'close');
  const g = dc.followups[0];
  assert.ok(g.assignee === null || g.assignee.login !== 'wangfang', `assignee ${JSON.stringify(g.assignee)}`);
  assertError(await recordFollowup('wangfang', g.id, { outcome: 'reached', satisfaction: 'satisfied' }), 403,
    null, 'handler_cannot_follow_up', 'the handler (a supervisor) records the follow-up');
  // the handler may not even take part: a handler role holds no follow-up permission
  assertError(await recordFollowup('lina', g.id, { outcome: 'reached', satisfaction: 'satisfied' }), 403, undefined, undefined, 'lina');
  // the service centre may; a call nobody answered counts its attempts
  assertError(await recordFollowup('wuxia', g.id, { outcome: 'not_reached' }), 400, 'attempts', 'required', 'not reached, no attempts');
  const nr = await followUp('wuxia', g, { outcome: 'not_reached', attempts: 3, comment: '三次未接通' });
  assert.equal(nr.reopen_offered, false);
  assert.equal(nr.followup.outcome, 'not_reached');
  assert.equal(nr.followup.attempts, 3);
  assert.equal((await get(d.number)).status, 'followed_up');
});

test('facts and people: bodies checked, nothing_to_change refused', async () => {
  const c = await inProgress({ category: 'dispute', subject: '邻居狗吠扰民' });
  const n = c.number;
  assertError(await act('lina', n, 'facts', {}), 400, null, 'nothing_to_change', 'empty facts');
  assertError(await act('lina', n, 'facts', { headcount: 1 }), 400, null, 'nothing_to_change', 'same headcount');
  assertError(await act('lina', n, 'facts', { headcount: 0 }), 400, 'headcount', 'too_small', 'headcount 0');
  assertError(await act('lina', n, 'facts', { headcount: '3' }), 400, 'headcount', 'bad_type', 'headcount text');
  assertError(await act('lina', n, 'facts', { flags: { pets: true } }), 400, 'flags.pets', 'unknown_field', 'unknown flag');
  assertError(await act('lina', n, 'facts', { flags: { injury: 1 } }), 400, 'flags.injury', 'bad_type', 'flag not bool');
  assertError(await act('lina', n, 'facts', { colour: 'red' }), 400, 'colour', 'unknown_field', 'unknown member');
  assertError(await act('lina', n, 'people', { complainant: { name: '无联系方式' } }), 400, 'complainant.phone', 'required', 'no phone');

  // threatened lawsuit → B (B4-lawsuit); loss of 10000 → A (A2-loss); cleared flags stay cleared
  let r = ok(await act('lina', n, 'facts', { flags: { threat_lawsuit: true } }), 200, 'threat');
  assert.equal(r.grade, 'B');
  assert.equal(eventsOf(r, 'grade_changed').at(-1).data.rule, 'B4-lawsuit');
  r = ok(await act('lina', n, 'facts', { loss_amount: '10000', raised_again: true }), 200, 'loss');
  assert.equal(r.loss_amount, '10000.00');
  assert.equal(r.raised, 2);
  assert.equal(r.grade, 'A');
  assert.equal(eventsOf(r, 'grade_changed').at(-1).data.rule, 'A2-loss');
  const fe = eventsOf(r, 'facts_changed').at(-1);
  assert.deepEqual(fe.data.loss_amount, { from: null, to: '10000.00' });
  assert.deepEqual(fe.data.raised, { from: 1, to: 2 });
  r = ok(await act('lina', n, 'facts', { flags: { threat_lawsuit: false } }), 200, 'clear');
  assert.equal(r.flags.threat_lawsuit, false);
  assert.equal(r.grade, 'A', 'never lowered by the rules');
  assert.deepEqual(eventsOf(r, 'facts_changed').at(-1).data.flags, { set: [], cleared: ['threat_lawsuit'] });
});

test('realestate preset: a reopened complaint is at least "important"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kesu-life-re-'));
  const db = join(dir, 'kesu.db');
  const env = { ...process.env };
  let other;
  try {
    cli(['init', '--grading', 'realestate'], '', db, env);
    cli(['demo', '--complaints', '0'], '', db, env);
    const token = makeTester(db, env);
    const linaToken = cli(['token', 'add', '--name', 're-lina', '--user', 'lina', '--scopes', '*'], '', db, env).trim();
    other = await startServer({ dbPath: db, env });
    const call = (tok, method, path, body) => other.api(method, path, { body, headers: { Authorization: `Bearer ${tok}` } });

    const rules = await call(token, 'GET', '/api/grading-rules');
    assert.equal(rules.status, 200, rules.text);
    assert.equal(rules.json.preset, 'realestate', rules.text);

    const made = await call(token, 'POST', '/api/complaints', complaintBody({ category: 'equipment', complainant: { name: '业主', phone: freshPhone() } }));
    assert.equal(made.status, 201, made.text);
    const n = made.json.number;
    assert.equal(made.json.grade, 'general');
    let r = await call(token, 'POST', `/api/complaints/${n}/assign`, { handler: 'lina' });
    assert.equal(r.status, 200, r.text);
    r = await call(linaToken, 'POST', `/api/complaints/${n}/resolve`, { result: '已修复。' });
    assert.equal(r.status, 200, r.text);
    r = await call(linaToken, 'POST', `/api/complaints/${n}/close`, { response: 'agreed' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.grade, 'general');
    r = await call(token, 'POST', `/api/complaints/${n}/reopen`, { reason: '业主二次投诉' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.reopenings, 1);
    assert.equal(r.json.grade, 'important');
    const g = r.json.timeline.filter((e) => e.type === 'grade_changed').at(-1);
    assert.equal(g.data.rule, 'important-reopened');
    assert.equal(g.data.from, 'general');
    const ex = await call(token, 'GET', `/api/complaints/${n}/grade`);
    assert.equal(ex.json.preset, 'realestate');
    assert.deepEqual(ex.json.levels.map((l) => l.code), ['major', 'hot', 'important', 'general']);
  } finally {
    if (other) await other.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('customer history: registering and viewing a complaint show the same phone\'s earlier ones', async () => {
  await srv.ready;
  const phone = '13700001234';
  const first = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { name: '赵先生', phone }, subject: '第一次投诉' }) });
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.json.history, []);
  const n1 = first.json.number;
  await srv.api('POST', `/api/complaints/${n1}/assign`, { body: { handler: 'lina' } });
  const comp = await srv.api('POST', `/api/complaints/${n1}/compensations`, { body: { type: 'fee_waiver', amount: '200.00', reason: '减免物业费' } });
  assert.equal(comp.status, 201, comp.text);
  const agreed = await srv.api('POST', `/api/complaints/${n1}/agreement`,
    { body: { solution: '减免一个月物业费', confirmation: 'signature', compensations: [comp.json.compensations[0].id] } });
  assert.equal(agreed.status, 200, agreed.text);
  const second = await srv.api('POST', '/api/complaints', { body: complaintBody({ complainant: { name: '赵先生', phone }, subject: '第二次投诉' }) });
  assert.equal(second.status, 201, second.text);
  assert.equal(second.json.history.length, 1);
  const h = second.json.history[0];
  assert.deepEqual([h.number, h.subject, h.status, h.compensation], [n1, '第一次投诉', 'in_progress', '200.00']);
  assert.ok(!JSON.stringify(second.json.history).includes(phone), 'no phone in the history');
  const viewed = await srv.api('GET', `/api/complaints/${second.json.number}`);
  assert.deepEqual(viewed.json.history, second.json.history);
});
