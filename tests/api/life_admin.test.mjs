// Follow-ups (回访) and the sampling list, the case library, customers' history and the
// reference data the administrator edits: categories, departments, the dispatch catalogue and
// the grading rules. Demo staff act through API tokens made with `kesu token add`.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useServer, complaintBody, KESU_BIN, cstDate } from './lib/server.mjs';

const srv = useServer();
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const MONTH = cstDate().slice(0, 7);   // closings happen now, in the server's zone
const tokens = {};

function cli(args) {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function sql(statement) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Act as a demo staff member: a token holding all of the user's own permissions.
function as(login) {
  if (!tokens[login]) tokens[login] = cli(['token', 'add', '--name', `life-${login}`, '--user', login, '--scopes', '*']);
  return { Authorization: `Bearer ${tokens[login]}` };
}

const api = (method, path, body, login) =>
  srv.api(method, path, { body, headers: login ? as(login) : {} });

function expectError(r, status, field, reason) {
  assert.equal(r.status, status, r.text);
  const err = (r.json && r.json.error) || {};
  if (field !== undefined) assert.equal(err.field ?? null, field, r.text);
  if (reason !== undefined) assert.equal(err.reason, reason, r.text);
}

async function register(over = {}) {
  const r = await api('POST', '/api/complaints', complaintBody(over));
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

async function step(number, action, body, login) {
  const r = await api('POST', `/api/complaints/${number}/${action}`, body, login);
  assert.ok(r.status === 200 || r.status === 201, `${action} ${number}: ${r.status} ${r.text}`);
  return r.json;
}

// Register, dispatch, resolve and close: the closing schedules the regular follow-up call.
async function closed({ handler = 'lina', over = {}, before: beforeClose } = {}) {
  const number = await register(over);
  await step(number, 'assign', { handler });
  await step(number, 'resolve', { result: '已更换电梯控制板并复检合格。' });
  if (beforeClose) await beforeClose(number);
  await step(number, 'close', { response: 'agreed' });
  return number;
}

async function followupOf(number, kind = 'regular') {
  const r = await api('GET', `/api/complaints/${number}`);
  assert.equal(r.status, 200, r.text);
  const f = r.json.followups.find((x) => x.kind === kind);
  assert.ok(f, `no ${kind} follow-up on ${number}: ${JSON.stringify(r.json.followups)}`);
  return f;
}

let main;        // closed, handled by lina, with a second complainant: the follow-up tests
let byWangfang;  // closed, handled by the supervisor wangfang
let jx;          // a complaint of JX by the same phone

before(async () => {
  await srv.ready;
  main = await closed({
    before: async (n) => {
      await step(n, 'people', { complainant: { name: '李女士', phone: '13900001111' } });
      await step(n, 'triage', { grade: 'A', reason: '多人受困,影响重大' });
    },
  });
  byWangfang = await closed({ handler: 'wangfang' });
  jx = await register({ project: 'JX' });
});

// ---- follow-ups ----

test('closing schedules an open regular follow-up for a supervisor, never the handler', async () => {
  const f = await followupOf(main);
  assert.equal(f.status, 'open');
  assert.equal(f.kind, 'regular');
  assert.equal(f.assignee.login, 'wangfang');
  assert.match(f.due_at, TIME_RE);
  const g = await api('GET', `/api/followups/${f.id}`, undefined, 'wangfang');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.id, f.id);
  assert.equal(g.json.number, main);
  assert.equal(g.json.project, 'HY');
});

test('GET /api/followups filters by status, kind, assignee (me), project and limit', async () => {
  const f = await followupOf(main);
  const mine = await api('GET', '/api/followups?status=open&kind=regular&assignee=me', undefined, 'wangfang');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.items.some((x) => x.id === f.id));
  assert.ok(mine.json.items.every((x) => x.status === 'open' && x.kind === 'regular' &&
    x.assignee && x.assignee.login === 'wangfang'));
  const all = await api('GET', '/api/followups?project=HY,JX&limit=500');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.items.some((x) => x.id === f.id));
  const one = await api('GET', '/api/followups?limit=1');
  assert.equal(one.json.items.length, 1);
  const other = await api('GET', '/api/followups?assignee=zhaolei');
  assert.ok(!other.json.items.some((x) => x.id === f.id));
});

test('GET /api/followups refuses bad parameters, naming them', async () => {
  expectError(await api('GET', '/api/followups?colour=red'), 400, 'colour', 'unknown_parameter');
  expectError(await api('GET', '/api/followups?status=later'), 400, 'status', 'bad_value');
  expectError(await api('GET', '/api/followups?kind=x'), 400, 'kind', 'bad_value');
  expectError(await api('GET', '/api/followups?limit=0'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/followups?limit=501'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/followups?limit=ten'), 400, 'limit', 'bad_value');
  expectError(await api('GET', '/api/followups?month=2026-13'), 400, 'month', 'bad_format');
  expectError(await api('GET', '/api/followups?assignee=A%20B'), 400, 'assignee');
  expectError(await api('GET', '/api/followups?status=open&status=done'), 400, 'status', 'repeated');
  expectError(await api('GET', '/api/followups?project=H%2FY'), 400, 'project', 'bad_value');
});

test('follow-ups are scoped to the caller\'s projects; without the permission 403', async () => {
  const f = await followupOf(main);
  const list = await api('GET', '/api/followups', undefined, 'zhaolei');   // supervisor@JX
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.every((x) => x.project === 'JX'));
  expectError(await api('GET', '/api/followups?project=HY', undefined, 'zhaolei'), 400, 'project', 'unknown');
  expectError(await api('GET', `/api/followups/${f.id}`, undefined, 'zhaolei'), 404, 'followup', 'unknown');
  expectError(await api('POST', `/api/followups/${f.id}`, { outcome: 'refused' }, 'zhaolei'), 404, 'followup', 'unknown');
  expectError(await api('GET', '/api/followups', undefined, 'lina'), 403);       // a handler
  expectError(await api('GET', '/api/followups', undefined, 'zhangwei'), 403);   // an operator
  expectError(await api('GET', '/api/followups/999999'), 404, 'followup', 'unknown');
  expectError(await api('GET', '/api/followups/abc'), 404, 'followup', 'unknown');
  expectError(await api('GET', '/api/followups/007'), 404, 'followup', 'unknown');
});

test('recording a call checks the body, naming the member at fault', async () => {
  const f = await followupOf(main);
  const post = (body) => api('POST', `/api/followups/${f.id}`, body, 'wangfang');
  expectError(await post({}), 400, 'outcome', 'required');
  expectError(await post({ outcome: 'maybe' }), 400, 'outcome', 'bad_value');
  expectError(await post({ outcome: 'reached' }), 400, 'satisfaction', 'required');
  expectError(await post({ outcome: 'not_reached' }), 400, 'attempts');
  expectError(await post({ outcome: 'reached', satisfaction: 'happy' }), 400, 'satisfaction', 'bad_value');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', score: 6 }), 400, 'score', 'too_large');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', score: 0 }), 400, 'score', 'too_small');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', attempts: 21 }), 400, 'attempts', 'too_large');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', comment: 'x'.repeat(2001) }), 400, 'comment', 'too_long');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', mood: 'ok' }), 400, 'mood', 'unknown_field');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', ratings: {} }), 400, 'ratings', 'bad_type');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', ratings: [{ person: 1, satisfaction: 'fair' }] }),
    400, 'ratings[0].person', 'too_small');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', ratings: [{ person: 2 }] }),
    400, 'ratings[0].satisfaction', 'required');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair',
    ratings: [{ person: 2, satisfaction: 'fair' }, { person: 2, satisfaction: 'fair' }] }), 400, 'ratings', 'repeated');
  expectError(await post({ outcome: 'reached', satisfaction: 'fair', ratings: [{ person: 3, satisfaction: 'fair' }] }),
    400, 'ratings', 'unknown');
  expectError(await post('{"outcome":'), 400);
  // nothing was recorded by any of these
  assert.equal((await followupOf(main)).status, 'open');
});

test('the handler of a complaint cannot record its follow-up call', async () => {
  const f = await followupOf(byWangfang);
  assert.notEqual(f.assignee && f.assignee.login, 'wangfang');
  const r = await api('POST', `/api/followups/${f.id}`, { outcome: 'reached', satisfaction: 'satisfied' }, 'wangfang');
  expectError(r, 403, null, 'handler_cannot_follow_up');
  assert.equal((await followupOf(byWangfang)).status, 'open');
});

test('recording a call: done, the complaint followed_up, an event and an audit entry', async () => {
  const f = await followupOf(main);
  const r = await api('POST', `/api/followups/${f.id}`, {
    outcome: 'reached', satisfaction: 'dissatisfied', score: 2, attempts: 1,
    comment: '业主认为处理太慢。',
    ratings: [{ person: 2, satisfaction: 'fair', score: 3, comment: '基本满意' }],
  }, 'wangfang');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reopen_offered, true);
  assert.deepEqual(r.json.complaint, { number: main, status: 'followed_up' });
  const done = r.json.followup;
  assert.equal(done.status, 'done');
  assert.equal(done.outcome, 'reached');
  assert.equal(done.satisfaction, 'dissatisfied');
  assert.equal(done.score, 2);
  assert.equal(done.attempts, 1);
  assert.equal(done.comment, '业主认为处理太慢。');
  assert.equal(done.done_by, 'wangfang');
  assert.match(done.done_at, TIME_RE);
  assert.deepEqual(done.ratings, [{ person: 2, satisfaction: 'fair', score: 3, comment: '基本满意' }]);

  const c = await api('GET', `/api/complaints/${main}`);
  assert.equal(c.json.status, 'followed_up');
  const ev = c.json.timeline.find((x) => x.type === 'followed_up');
  assert.ok(ev, JSON.stringify(c.json.timeline.map((x) => x.type)));
  assert.equal(ev.visibility, 'internal');
  assert.equal(ev.author.login, 'wangfang');
  assert.deepEqual(ev.data, { followup: f.id, kind: 'regular', outcome: 'reached', satisfaction: 'dissatisfied',
    score: 2, attempts: 1, reopen_offered: true });

  const audit = await api('GET', `/api/audit?action=followup.record&object=${main}`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.items.length, 1);
  assert.equal(audit.json.items[0].actor, 'wangfang');
  assert.equal(audit.json.items[0].detail.followup, f.id);
  assert.equal(audit.json.items[0].detail.outcome, 'reached');
  assert.ok(!JSON.stringify(audit.json.items[0]).includes('处理太慢'));   // the customer's words stay out

  // once only
  expectError(await api('POST', `/api/followups/${f.id}`, { outcome: 'refused' }, 'wangfang'), 409, 'followup', 'done');
  const filtered = await api('GET', '/api/followups?status=done', undefined, 'wangfang');
  assert.ok(filtered.json.items.some((x) => x.id === f.id));
});

test('a regular follow-up needs a closed complaint: after a reopening, 409', async () => {
  const number = await closed();
  const f = await followupOf(number);
  await step(number, 'reopen', { reason: '业主再次来电:电梯又坏了' });
  const r = await api('POST', `/api/followups/${f.id}`, { outcome: 'refused' }, 'wangfang');
  expectError(r, 409, 'status', 'not_allowed');
  assert.equal((await followupOf(number)).status, 'open');
});

// ---- the sampling list ----

test('POST /api/followup-samples picks reproducibly; the second time creates nothing', async () => {
  const first = await api('POST', '/api/followup-samples', { month: MONTH, percent: 50 });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.month, MONTH);
  assert.equal(first.json.percent, 50);
  assert.ok(first.json.closed >= 2, first.text);
  assert.equal(first.json.picked, Math.ceil(first.json.closed / 2));
  assert.equal(first.json.items.length, first.json.picked);
  assert.equal(first.json.created, first.json.picked);
  const again = await api('POST', '/api/followup-samples', { month: MONTH, percent: 50 });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.items, first.json.items);
  assert.equal(again.json.created, 0);
  assert.equal(again.json.closed, first.json.closed);

  const list = await api('GET', `/api/followup-samples?month=${MONTH}`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((x) => x.number).sort(), [...first.json.items].sort());
  for (const f of list.json.items) {
    assert.equal(f.kind, 'sample');
    assert.equal(f.month, MONTH);
    assert.equal(f.assignee.login, 'tester');
    assert.equal(f.status, 'open');
  }
  const ev = await api('GET', `/api/complaints/${first.json.items[0]}/events`);
  assert.ok(ev.json.items.some((x) => x.type === 'sample_picked'));
  const audit = await api('GET', '/api/audit?action=followup.sample');
  assert.equal(audit.json.items.length, 2);
  assert.deepEqual(audit.json.items[0].detail, { month: MONTH, percent: 50, closed: first.json.closed,
    picked: first.json.picked, created: 0 });
});

test('the sampling list: default percent, every closed complaint at 100, none in an empty month', async () => {
  const dflt = await api('POST', '/api/followup-samples', { month: MONTH });
  assert.equal(dflt.status, 200, dflt.text);
  assert.equal(dflt.json.percent, 20);
  const all = await api('POST', '/api/followup-samples', { month: MONTH, percent: 100 });
  assert.equal(all.json.picked, all.json.closed);
  const empty = await api('POST', '/api/followup-samples', { month: '2001-02', percent: 100 });
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual([empty.json.closed, empty.json.picked, empty.json.created, empty.json.items], [0, 0, 0, []]);
});

test('a sample call is recorded without moving the complaint', async () => {
  await api('POST', '/api/followup-samples', { month: MONTH, percent: 100 });
  const f = await followupOf(main, 'sample');
  const r = await api('POST', `/api/followups/${f.id}`, { outcome: 'reached', satisfaction: 'satisfied', score: 5 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reopen_offered, false);
  assert.deepEqual(r.json.complaint, { number: main, status: 'followed_up' });
  assert.equal(r.json.followup.kind, 'sample');
});

test('the sampling list: drawn company-wide, each takes the picks of their projects; month checked', async () => {
  const own = await api('POST', '/api/followup-samples', { month: MONTH }, 'wangfang');
  assert.equal(own.status, 200, own.text);
  expectError(await api('POST', '/api/followup-samples', { month: MONTH, project: 'JX' }, 'wangfang'), 400, 'project', 'unknown');
  expectError(await api('POST', '/api/followup-samples', { month: MONTH }, 'lina'), 403);
  expectError(await api('POST', '/api/followup-samples', {}), 400, 'month', 'required');
  for (const month of ['2026-1', '2026-00', '2026-13', '26-01', '2026/01', 'abcd-ef'])
    expectError(await api('POST', '/api/followup-samples', { month }), 400, 'month', 'bad_format');
  expectError(await api('POST', '/api/followup-samples', { month: MONTH, percent: 101 }), 400, 'percent', 'too_large');
  expectError(await api('POST', '/api/followup-samples', { month: MONTH, percent: -1 }), 400, 'percent', 'too_small');
  expectError(await api('GET', '/api/followup-samples'), 400, 'month', 'required');
  expectError(await api('GET', '/api/followup-samples?month=2026-1'), 400, 'month', 'bad_format');
  expectError(await api('GET', `/api/followup-samples?month=${MONTH}&x=1`), 400, 'x', 'unknown_parameter');
  const scoped = await api('GET', `/api/followup-samples?month=${MONTH}`, undefined, 'zhaolei');
  assert.equal(scoped.status, 200, scoped.text);
  assert.ok(scoped.json.items.every((x) => x.project === 'JX'));
});

// ---- cases ----

test('the case library: marked cases for every signed-in user, digits masked', async () => {
  const mark = await api('POST', `/api/complaints/${main}/case`, {
    summary: '业主13812345678反映电梯困人,合同号1234567,工单88888888。',
    lessons: '维保单位响应慢;回访电话 021-87654321 与 13900001111。',
  });
  assert.ok(mark.status === 200 || mark.status === 201, mark.text);
  const list = await api('GET', '/api/cases', undefined, 'zhangwei');   // an operator of HY
  assert.equal(list.status, 200, list.text);
  const c = list.json.items.find((x) => x.number === main);
  assert.ok(c, list.text);
  assert.equal(c.summary, '业主138****5678反映电梯困人,合同号12***67,工单88****88。');
  assert.equal(c.lessons, '维保单位响应慢;回访电话 021-87****21 与 139****1111。');
  assert.equal(c.project, 'HY');
  assert.equal(c.grade, 'A');
  assert.equal(c.subject, '电梯困人');
  assert.equal(c.marked_by, 'tester');
  assert.match(c.marked_at, TIME_RE);
  assert.ok(!list.text.includes('13812345678'));
  // JX staff read HY's cases too: the library is for training
  const jxList = await api('GET', '/api/cases', undefined, 'yangli');
  assert.ok(jxList.json.items.some((x) => x.number === main));
  const one = await api('GET', `/api/cases/${main}`, undefined, 'sunli');
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json, c);
});

test('case search, limits and unknown cases', async () => {
  const hit = await api('GET', `/api/cases?q=${encodeURIComponent('困人')}&limit=5`);
  assert.equal(hit.status, 200, hit.text);
  assert.ok(hit.json.items.some((x) => x.number === main));
  const every = await api('GET', '/api/cases?q=');
  assert.ok(every.json.items.some((x) => x.number === main));
  const miss = await api('GET', `/api/cases?q=${encodeURIComponent('不存在的词语')}`);
  assert.deepEqual(miss.json.items, []);
  expectError(await api('GET', '/api/cases?limit=0'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/cases?limit=101'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/cases?sort=x'), 400, 'sort', 'unknown_parameter');
  expectError(await api('GET', `/api/cases?q=${'字'.repeat(101)}`), 400, 'q', 'too_long');
  // a search for a masked number would confirm it: refused
  expectError(await api('GET', '/api/cases?q=13812345678'), 400, 'q', 'masked_digits');
  assert.equal((await api('GET', '/api/cases?q=123456')).status, 200);
  expectError(await api('GET', `/api/cases/${byWangfang}`), 404, 'number', 'unknown');
  expectError(await api('GET', '/api/cases/KS-2026-999999'), 404);
  expectError(await api('GET', '/api/cases/nonsense'), 404);
  expectError(await srv.api('GET', '/api/cases', { headers: { Authorization: null } }), 401);
});

// ---- history ----

test('a complaint\'s history: the complainant\'s other complaints the caller may read, no phone', async () => {
  const r = await api('GET', `/api/complaints/${byWangfang}/history`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.number, byWangfang);
  const numbers = r.json.items.map((x) => x.number);
  assert.ok(numbers.includes(main) && numbers.includes(jx), r.text);
  assert.ok(!numbers.includes(byWangfang));
  const m = r.json.items.find((x) => x.number === main);
  assert.equal(m.project, 'HY');
  assert.equal(m.status, 'followed_up');
  assert.match(m.received_at, TIME_RE);
  assert.ok(!r.text.includes('13812345678') && !r.text.includes('5678'), r.text);
  // an HY supervisor sees HY's only
  const hy = await api('GET', `/api/complaints/${byWangfang}/history`, undefined, 'wangfang');
  assert.equal(hy.status, 200, hy.text);
  assert.ok(hy.json.items.every((x) => x.project === 'HY'));
  assert.ok(hy.json.items.some((x) => x.number === main));
  expectError(await api('GET', `/api/complaints/${jx}/history`, undefined, 'wangfang'), 404);
  // an anonymous complaint has no history
  const anon = await register({ complainant: { anonymous: true } });
  const none = await api('GET', `/api/complaints/${anon}/history`);
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.items, []);
});

test('POST /api/customers/history finds a caller by phone, as typed', async () => {
  const r = await api('POST', '/api/customers/history', { phone: '+86 138-1234-5678' }, 'zhangwei');
  assert.equal(r.status, 200, r.text);
  const numbers = r.json.items.map((x) => x.number);
  assert.ok(numbers.includes(main) && numbers.includes(byWangfang), r.text);
  assert.ok(!numbers.includes(jx));          // zhangwei works in HY only
  assert.ok(!r.text.includes('5678'));
  const everyone = await api('POST', '/api/customers/history', { phone: '13812345678' });
  assert.ok(everyone.json.items.some((x) => x.number === jx));
  const unknown = await api('POST', '/api/customers/history', { phone: '13700000000' });
  assert.equal(unknown.status, 200, unknown.text);
  assert.deepEqual(unknown.json.items, []);
  expectError(await api('POST', '/api/customers/history', {}), 400, 'phone', 'required');
  expectError(await api('POST', '/api/customers/history', { phone: '12345' }), 400, 'phone');
  expectError(await api('POST', '/api/customers/history', { phone: 13812345678 }), 400, 'phone', 'bad_type');
  expectError(await api('POST', '/api/customers/history', { phone: '13812345678', name: 'x' }), 400, 'name', 'unknown_field');
});

// ---- categories ----

test('categories: the administrator adds one and a subcategory; others may not', async () => {
  const top = await api('POST', '/api/categories', { code: 'smell', name_zh: '异味', name_en: 'Smells',
    description_zh: '垃圾站、下水道、餐饮异味' });
  assert.equal(top.status, 201, top.text);
  assert.deepEqual(top.json, { code: 'smell', name_zh: '异味', name_en: 'Smells', description_zh: '垃圾站、下水道、餐饮异味', description_en: '',
    retired: false, subcategories: [] });
  const sub = await api('POST', '/api/categories', { parent: 'smell', code: 'night_work', name_zh: '夜间餐饮',
    name_en: 'Restaurants at night' });
  assert.equal(sub.status, 201, sub.text);
  assert.equal(sub.json.code, 'night_work');
  assert.equal(sub.json.subcategories, undefined);
  const list = await api('GET', '/api/categories', undefined, 'lina');
  const smell = list.json.items.find((x) => x.code === 'smell');
  assert.deepEqual(smell.subcategories.map((x) => x.code), ['night_work']);
  const audit = await api('GET', '/api/audit?action=category.create');
  assert.deepEqual(audit.json.items.map((x) => x.object).sort(), ['smell', 'smell/night_work']);
  expectError(await api('POST', '/api/categories', { code: 'pets', name_zh: '宠物', name_en: 'Pets' }, 'liuyang'), 403);
});

test('categories: bad input, existing codes and unknown parents', async () => {
  const ok = { code: 'parking_fee', name_zh: '停车收费', name_en: 'Parking fees' };
  expectError(await api('POST', '/api/categories', { ...ok, code: 'Parking' }), 400, 'code', 'bad_format');
  expectError(await api('POST', '/api/categories', { ...ok, code: 'a b' }), 400, 'code', 'bad_format');
  expectError(await api('POST', '/api/categories', { ...ok, code: 'x'.repeat(65) }), 400, 'code', 'too_long');
  expectError(await api('POST', '/api/categories', { ...ok, name_zh: undefined }), 400, 'name_zh', 'required');
  expectError(await api('POST', '/api/categories', { ...ok, name_en: undefined }), 400, 'name_en', 'required');
  expectError(await api('POST', '/api/categories', { ...ok, name_zh: '字'.repeat(51) }), 400, 'name_zh', 'too_long');
  expectError(await api('POST', '/api/categories', { ...ok, description_en: 'x'.repeat(1001) }), 400, 'description_en', 'too_long');
  expectError(await api('POST', '/api/categories', { ...ok, parent: 'nowhere' }), 400, 'parent', 'unknown');
  expectError(await api('POST', '/api/categories', { ...ok, sort: 1 }), 400, 'sort', 'unknown_field');
  expectError(await api('POST', '/api/categories', { ...ok, code: 'equipment' }), 409, 'code', 'exists');
  // nothing new under a retired category, and no dispatch to it; removing its rule is fine
  const old = await api('POST', '/api/categories', { code: 'old_fees', name_zh: '旧收费', name_en: 'Old fees' });
  assert.equal(old.status, 201, old.text);
  assert.equal((await api('PATCH', '/api/categories/old_fees', { retired: true })).status, 200);
  expectError(await api('POST', '/api/categories', { ...ok, parent: 'old_fees' }), 400, 'parent', 'retired');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'old_fees', department: 'service' }), 400, 'category', 'retired');
  const gone = await api('PUT', '/api/dispatch-rules', { category: 'old_fees', department: null });
  assert.equal(gone.status, 200, gone.text);
  expectError(await api('POST', '/api/categories', { ...ok, parent: 'equipment', code: 'lift' }), 409, 'code', 'exists');
  const list = await api('GET', '/api/categories');
  assert.ok(!list.json.items.some((x) => x.code === 'parking_fee' || x.code === 'Parking'));
});

test('PATCH categories: names, descriptions, retiring; never deleted', async () => {
  const list0 = await api('GET', '/api/categories');
  const r = await api('PATCH', '/api/categories/equipment', { name_en: 'Equipment and facilities' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name_en, 'Equipment and facilities');
  assert.equal(r.json.name_zh, list0.json.items.find((x) => x.code === 'equipment').name_zh);
  assert.ok(Array.isArray(r.json.subcategories));
  await api('POST', '/api/categories', { parent: 'equipment', code: 'escalator', name_zh: '扶梯', name_en: 'Escalators' });
  const sub = await api('PATCH', '/api/categories/equipment/escalator', { retired: true, description_zh: '自动扶梯' });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json.retired, true);
  assert.equal(sub.json.description_zh, '自动扶梯');
  const back = await api('PATCH', '/api/categories/equipment/escalator', { retired: false });
  assert.equal(back.json.retired, false);
  expectError(await api('PATCH', '/api/categories/equipment', {}), 400, null, 'nothing_to_change');
  expectError(await api('PATCH', '/api/categories/nowhere', { name_zh: '无' }), 404);
  expectError(await api('PATCH', '/api/categories/equipment/nowhere', { name_zh: '无' }), 404);
  expectError(await api('PATCH', '/api/categories/nowhere/escalator', { name_zh: '无' }), 404);
  expectError(await api('PATCH', '/api/categories/equipment', { retired: 'yes' }), 400, 'retired', 'bad_type');
  expectError(await api('PATCH', '/api/categories/equipment', { code: 'machines' }), 400, 'code', 'unknown_field');
  expectError(await api('PATCH', '/api/categories/equipment', { name_zh: '升降梯' }, 'wangfang'), 403);
  expectError(await api('DELETE', '/api/categories/equipment'), 405);
  const audit = await api('GET', '/api/audit?action=category.update');
  assert.ok(audit.json.items.some((x) => x.object === 'equipment/escalator' && x.detail.retired === true));
});

// ---- departments and the dispatch catalogue ----

test('departments: the project\'s and the company\'s', async () => {
  // the demo gives every project the same four; add one of HY alone and one of the company
  sql("INSERT OR IGNORE INTO departments(project_id, code, name) SELECT id, 'landscaping', '园林部' FROM projects WHERE code = 'HY';" +
    "INSERT OR IGNORE INTO departments(project_id, code, name) VALUES (0, 'hotline', '客服热线中心');");
  const hy = await api('GET', '/api/departments?project=HY', undefined, 'lina');
  assert.equal(hy.status, 200, hy.text);
  const codes = hy.json.items.map((x) => x.code);
  for (const code of ['engineering', 'landscaping', 'hotline']) assert.ok(codes.includes(code), hy.text);
  assert.deepEqual(hy.json.items.find((x) => x.code === 'landscaping'), { code: 'landscaping', name: '园林部', project: 'HY' });
  assert.deepEqual(hy.json.items.find((x) => x.code === 'hotline'), { code: 'hotline', name: '客服热线中心', project: null });
  assert.ok(hy.json.items.every((x) => x.project === 'HY' || x.project === null));
  const jxDeps = await api('GET', '/api/departments?project=JX');
  assert.ok(jxDeps.json.items.some((x) => x.code === 'hotline'));
  assert.ok(!jxDeps.json.items.some((x) => x.code === 'landscaping'));
  assert.ok(jxDeps.json.items.every((x) => x.project === 'JX' || x.project === null));
  const all = await api('GET', '/api/departments');
  assert.ok(all.json.items.some((x) => x.project === 'BJ'));
  assert.ok(all.json.items.length >= hy.json.items.length + jxDeps.json.items.length - 1);
  expectError(await api('GET', '/api/departments?project=NOPE'), 400, 'project', 'unknown');
  expectError(await api('GET', '/api/departments?project=H%20Y'), 400, 'project', 'bad_value');
  expectError(await api('GET', '/api/departments?project=HY&project=JX'), 400, 'project', 'repeated');
  expectError(await api('GET', '/api/departments?team=x'), 400, 'team', 'unknown_parameter');
});

test('the dispatch catalogue: put, replace and remove rules; references checked', async () => {
  const put = await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'HY', department: 'engineering' });
  assert.equal(put.status, 200, put.text);
  const rule = put.json.items.find((x) => x.category === 'equipment' && x.project === 'HY');
  assert.equal(rule.department, 'engineering');
  assert.equal(typeof rule.id, 'number');
  const company = await api('PUT', '/api/dispatch-rules', { category: 'equipment', department: 'hotline' });
  assert.equal(company.status, 200, company.text);
  assert.ok(company.json.items.some((x) => x.category === 'equipment' && x.project === null && x.department === 'hotline'));
  const replaced = await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'HY', department: 'hotline' });
  assert.deepEqual(replaced.json.items.filter((x) => x.category === 'equipment' && x.project === 'HY').map((x) => x.department),
    ['hotline']);
  const read = await api('GET', '/api/dispatch-rules', undefined, 'zhangwei');
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json, replaced.json);
  const removed = await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'HY', department: null });
  assert.equal(removed.status, 200, removed.text);
  assert.ok(!removed.json.items.some((x) => x.category === 'equipment' && x.project === 'HY'));
  const audit = await api('GET', '/api/audit?action=dispatch.put&object=equipment');
  assert.equal(audit.json.items.length, 4);
  assert.deepEqual(audit.json.items[0].detail, { category: 'equipment', project: 'HY', department: null });

  expectError(await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'HY' }), 400, 'department', 'required');
  expectError(await api('PUT', '/api/dispatch-rules', { project: 'HY', department: null }), 400, 'category', 'required');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'nowhere', department: 'engineering' }), 400, 'category', 'unknown');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'NOPE', department: 'engineering' }), 400, 'project', 'unknown');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'equipment', project: 'JX', department: 'landscaping' }), 400, 'department', 'unknown');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'equipment', department: 'engineering', x: 1 }), 400, 'x', 'unknown_field');
  expectError(await api('PUT', '/api/dispatch-rules', { category: 'equipment', department: null }, 'liuyang'), 403);
  // the demo's company rule again
  const back = await api('PUT', '/api/dispatch-rules', { category: 'equipment', department: 'engineering' });
  assert.ok(back.json.items.some((x) => x.category === 'equipment' && x.project === null && x.department === 'engineering'));
});

// ---- grading rules ----

test('GET /api/grading-rules: the preset, its levels and its rules, for anyone signed in', async () => {
  const r = await api('GET', '/api/grading-rules', undefined, 'zhangwei');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.preset, 'property');
  assert.deepEqual(r.json.levels.map((x) => x.code), ['A', 'B', 'C', 'D']);
  assert.ok(r.json.rules.length > 0);
  for (const rule of r.json.rules) {
    assert.deepEqual(Object.keys(rule).sort(), ['code', 'condition', 'description_en', 'description_zh', 'enabled', 'grade', 'sort']);
    assert.ok(['A', 'B', 'C', 'D'].includes(rule.grade));
  }
});

test('PUT /api/grading-rules/:code adds a rule (canonical condition) and edits one', async () => {
  const made = await api('PUT', '/api/grading-rules/big_loss', { grade: 'B', condition: 'loss>=50000 and valid=1',
    description_zh: '经济损失五万元以上', description_en: 'Loss of 50,000 yuan or more' });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual({ ...made.json, sort: undefined }, { code: 'big_loss', grade: 'B', condition: 'loss >= 50000 and valid = 1',
    description_zh: '经济损失五万元以上', description_en: 'Loss of 50,000 yuan or more', enabled: true, sort: undefined });
  const off = await api('PUT', '/api/grading-rules/big_loss', { enabled: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.enabled, false);
  assert.equal(off.json.condition, 'loss >= 50000 and valid = 1');
  assert.equal(off.json.sort, made.json.sort);
  const list = await api('GET', '/api/grading-rules');
  assert.deepEqual(list.json.rules.find((x) => x.code === 'big_loss'), off.json);
  const audit = await api('GET', '/api/audit?action=grading.rule_put&object=big_loss');
  assert.equal(audit.json.items.length, 2);
  assert.equal(audit.json.items[1].detail.created, true);
  assert.equal(audit.json.items[0].detail.enabled, false);
});

test('PUT /api/grading-rules/:code refuses bad rules and non-administrators', async () => {
  const full = { grade: 'A', condition: 'headcount >= 99', description_zh: '九十九人', description_en: 'Ninety-nine' };
  expectError(await api('PUT', '/api/grading-rules/many', full, 'lina'), 403);
  expectError(await api('PUT', '/api/grading-rules/many', full, 'wuxia'), 403);
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, grade: 'Z' }), 400, 'grade', 'unknown');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, condition: undefined }), 400, 'condition', 'required');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, description_en: undefined }), 400, 'description_en', 'required');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, condition: 'bogus >= 1' }), 400, 'condition', 'unknown');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, condition: 'headcount >=' }), 400, 'condition', 'bad_syntax');
  // the message says where and what was expected, or which fact does not exist (docs/api.md)
  let r = await srv.api('PUT', '/api/grading-rules/many', { body: { ...full, condition: 'headcount >=' }, headers: { 'Accept-Language': 'en' } });
  assert.equal(r.json.error.message, 'rule condition has a syntax error at byte 12: expected a whole number');
  r = await srv.api('PUT', '/api/grading-rules/many', { body: { ...full, condition: 'headcount ~ 1' }, headers: { 'Accept-Language': 'zh-CN' } });
  assert.match(r.json.error.message, /第 10 字节处.*比较符号/);
  r = await srv.api('PUT', '/api/grading-rules/many', { body: { ...full, condition: 'bogus >= 1' }, headers: { 'Accept-Language': 'zh-CN' } });
  assert.equal(r.json.error.message, '规则条件:没有名为“bogus”的事实');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, enabled: 1 }), 400, 'enabled', 'bad_type');
  expectError(await api('PUT', '/api/grading-rules/many', { ...full, sort: 1 }), 400, 'sort', 'unknown_field');
  expectError(await api('PUT', `/api/grading-rules/${'x'.repeat(33)}`, full), 400, 'code', 'bad_format');
  expectError(await api('PUT', '/api/grading-rules/a.b', full), 400, 'code', 'bad_format');
  expectError(await api('PUT', '/api/grading-rules/big_loss', {}), 400, null, 'nothing_to_change');
  expectError(await api('PUT', '/api/grading-rules/big_loss', { grade: 'E' }), 400, 'grade', 'unknown');
  const list = await api('GET', '/api/grading-rules');
  assert.ok(!list.json.rules.some((x) => x.code === 'many'));
});
