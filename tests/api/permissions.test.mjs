// The permission matrix (issue 3, item 5): every route of docs/permissions.md, called by a user
// of every role, on a complaint of their own project and of another, must answer as the
// documented tables say — 2xx when allowed, 403 without the permission, 404 (or 400 `project`
// `unknown` where a project is named) outside the caller's projects, 401 with nobody signed in.
// The expectations come from the document, not from the code, so the two cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useServer, complaintBody, repoRoot, KESU_BIN, TESTER_PASSWORD } from './lib/server.mjs';

// every role files through the customer portal from the one test address
const srv = useServer({ env: { KESU_PORTAL_FILINGS_PER_HOUR: '1000' } });
const doc = readFileSync(join(repoRoot, 'docs', 'permissions.md'), 'utf8');
const ROLES = ['operator', 'handler', 'supervisor', 'manager', 'executive', 'centre', 'auditor', 'admin'];
const COMPANY = new Set(['executive', 'centre', 'auditor', 'admin']);
const OWN = 'HY';
const OTHER = 'JX';

function parseMatrix() {
  const held = {};
  for (const m of doc.matchAll(/^\| `([a-z._]+)` \|(.*)\|\s*$/gm)) {
    const cells = m[2].split('|').map((c) => c.trim());
    assert.equal(cells.length, ROLES.length, `row ${m[1]}`);
    held[m[1]] = Object.fromEntries(ROLES.map((r, i) => [r, cells[i] === '✓']));
  }
  held.public = Object.fromEntries(ROLES.map((r) => [r, true]));
  held.signed_in = held.public;
  return held;
}

function parseRoutes() {
  const routes = [];
  for (const m of doc.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| (\/api\/\S*) \| ([a-z._]+) \| (\S+) \|\s*$/gm))
    routes.push({ method: m[1], path: m[2], perm: m[3], scoped: m[4] === 'project' });
  return routes;
}

const MATRIX = parseMatrix();
const ROUTES = parseRoutes();
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f0b0000000049454e44ae426082', 'hex');

let fixtures;      // complaint numbers and attachment ids, per project
const users = {};  // role -> { login, cookie, csrf }
let serial = 0;

function cli(args, input) {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function signIn(login) {
  const r = await srv.api('POST', '/api/session', { body: { login, password: TESTER_PASSWORD }, headers: { Authorization: null } });
  assert.equal(r.status, 200, `sign in ${login}: ${r.text}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return { login, cookie, csrf: r.json.csrf_token };
}

const as = (u) => ({ Cookie: u.cookie, 'X-CSRF-Token': u.csrf });

async function makeFixtures() {
  const out = {};
  for (const project of [OWN, OTHER]) {
    const c = await srv.api('POST', '/api/complaints', { body: complaintBody({ project, building: project === 'HY' ? '1栋' : '1栋' }) });
    assert.equal(c.status, 201, c.text);
    const a = await srv.api('POST', `/api/complaints/${c.json.number}/attachments?name=a.png`,
      { body: PNG, headers: { 'Content-Type': 'image/png' } });
    assert.equal(a.status, 201, a.text);
    out[project] = { number: c.json.number, attachment: a.json.id };
  }
  return out;
}

// ---- complaints in the status an action needs, made by the tests' own user ----
const HANDLER = { HY: 'lina', JX: 'yangli' };

async function ok(method, path, body) {
  const r = await srv.api(method, path, { body });
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// A fresh complaint of `project` taken to `status`; `handler` overrides who handles it.
async function fresh(project, status, { handler, over = {} } = {}) {
  const c = await ok('POST', '/api/complaints', complaintBody({ project, ...over }));
  const path = `/api/complaints/${c.number}`;
  if (status === 'registered' || status === 'received') return c;
  await ok('POST', `${path}/assign`, { handler: handler || HANDLER[project] });
  if (status === 'in_progress') return c;
  await ok('POST', `${path}/resolve`, { result: '已处理' });
  if (status === 'resolved') return c;
  const closed = await ok('POST', `${path}/close`, { response: 'agreed' });
  if (status === 'closed') return { ...c, followup: closed.followups[0].id };
  await ok('POST', `/api/followups/${closed.followups[0].id}`, { outcome: 'reached', satisfaction: 'satisfied' });
  return c;
}

// Requests of the routes of issue 4, each on a complaint in the status it needs.
async function lifeRequest(key, project, role, n) {
  const at = async (status, opts) => `/api/complaints/${(await fresh(project, status, opts)).number}`;
  switch (key) {
    case 'POST /api/complaints/:number/accept':
      return { path: `${await at('received', { over: { channel: 'web' } })}/accept`, body: {} };
    case 'POST /api/complaints/:number/triage': return { path: `${await at('registered')}/triage`, body: { nature: 'valid', reason: '核实' } };
    case 'POST /api/complaints/:number/assign': return { path: `${await at('registered')}/assign`, body: { handler: HANDLER[project] } };
    case 'POST /api/complaints/:number/return': {
      const handler = role === 'handler' && project === OWN ? 'r_handler' : undefined;
      return { path: `${await at('in_progress', { handler })}/return`, body: { reason: '不属本部门' } };
    }
    case 'POST /api/complaints/:number/invalidate': return { path: `${await at('registered')}/invalidate`, body: { reason: '重复登记' } };
    case 'POST /api/complaints/:number/facts': return { path: `${await at('registered')}/facts`, body: { headcount: 2 } };
    case 'POST /api/complaints/:number/people':
      return { path: `${await at('registered')}/people`, body: { complainant: { name: '李女士', phone: '13900001111' } } };
    case 'POST /api/complaints/:number/grade': return { path: `${await at('registered')}/grade`, body: {} };
    case 'POST /api/complaints/:number/compensations':
      return { path: `${await at('in_progress')}/compensations`, body: { type: 'apology', amount: 100, reason: '致歉' } };
    case 'POST /api/complaints/:number/compensations/:id/decision': {
      const path = await at('in_progress');
      const made = await ok('POST', `${path}/compensations`, { type: 'cash', amount: 5000, reason: '赔偿损失' });
      return { path: `${path}/compensations/${made.compensations[0].id}/decision`, body: { approve: true } };
    }
    case 'POST /api/complaints/:number/agreement':
      return { path: `${await at('in_progress')}/agreement`, body: { solution: '更换配件', confirmation: 'verbal' } };
    case 'POST /api/complaints/:number/resolve': return { path: `${await at('in_progress')}/resolve`, body: { result: '已修复' } };
    case 'POST /api/complaints/:number/close': return { path: `${await at('resolved')}/close`, body: { response: 'agreed' } };
    case 'POST /api/complaints/:number/dispute': return { path: `${await at('resolved')}/dispute`, body: { reason: '客户不认可' } };
    case 'POST /api/complaints/:number/reopen': return { path: `${await at('closed')}/reopen`, body: { reason: '再次投诉' } };
    case 'POST /api/complaints/:number/archive': return { path: `${await at('followed_up')}/archive`, body: {} };
    case 'POST /api/complaints/:number/case':
      return { path: `${await at('resolved', { over: { headcount: 12 } })}/case`, body: { summary: '集体投诉', lessons: '及时沟通' } };
    case 'GET /api/followups': return { path: `/api/followups?project=${project}`, namesProject: true };
    case 'GET /api/followups/:id': return { path: `/api/followups/${(await fresh(project, 'closed')).followup}` };
    case 'POST /api/followups/:id':
      return { path: `/api/followups/${(await fresh(project, 'closed')).followup}`, body: { outcome: 'reached', satisfaction: 'satisfied' } };
    case 'GET /api/followup-samples': return { path: `/api/followup-samples?month=2026-11&project=${project}`, namesProject: true };
    case 'POST /api/followup-samples': return { path: '/api/followup-samples', body: { month: '2026-11', project }, namesProject: true };
    case 'POST /api/customers/history': return { path: '/api/customers/history', body: { phone: '13812345678', project }, namesProject: true };
    case 'GET /api/cases/:number': {
      const path = await at('resolved', { over: { headcount: 12 } });
      await ok('POST', `${path}/case`, { summary: '案例', lessons: '经验' });
      return { path: path.replace('/api/complaints/', '/api/cases/') };
    }
    case 'POST /api/categories': return { path: '/api/categories', body: { code: `c${n}`, name_zh: `新类别${n}`, name_en: `New ${n}` } };
    case 'PATCH /api/categories/:code': return { path: '/api/categories/service', body: { name_en: `Management service ${n}` } };
    case 'PATCH /api/categories/:parent/:code': return { path: '/api/categories/equipment/lift', body: { name_en: `Lifts ${n}` } };
    case 'GET /api/departments': return { path: `/api/departments?project=${project}` };
    case 'PUT /api/dispatch-rules': return { path: '/api/dispatch-rules', body: { category: 'service', department: 'service' } };
    case 'PUT /api/grading-rules/:code':
      return { path: `/api/grading-rules/T${n}`, body: { grade: 'B', condition: 'headcount >= 500', description_zh: '测试规则', description_en: 'test rule', enabled: false } };
    // calendar (issue 5): days of 2030, which nothing else uses
    case 'PUT /api/calendar': return { path: '/api/calendar', body: { checked: true } };
    case 'PUT /api/calendar/days/:date':
      return { path: `/api/calendar/days/2030-01-${String(1 + (n % 28)).padStart(2, '0')}`, body: { kind: 'holiday', name: '权限测试' } };
    case 'POST /api/calendar/import':
      return { path: '/api/calendar/import', body: { ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20300601\r\nSUMMARY:权限测试\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' } };
    // deadlines (issue 5)
    case 'POST /api/complaints/:number/clocks/:clock/pause':
      return { path: `${await at('registered')}/clocks/resolve/pause`, body: { reason: '等待业主' } };
    case 'POST /api/complaints/:number/clocks/:clock/resume': {
      const path = await at('registered');
      await ok('POST', `${path}/clocks/resolve/pause`, { reason: '等待业主' });
      return { path: `${path}/clocks/resolve/resume`, body: { reason: '业主已回复' } };
    }
    case 'PUT /api/clock-policy/:grade/:clock': return { path: '/api/clock-policy/B/resolve', body: { amount: 2 } };
    case 'PUT /api/escalation-rules/:code':
      return { path: `/api/escalation-rules/T${n}`, body: { condition: 'headcount >= 500', target_role: 'manager', description_zh: '测试规则', description_en: 'test rule', enabled: false } };
    case 'POST /api/notices/:id/ack': {
      // a notice to the caller's own role in the own project (company roles receive it too)
      const id = sqlite('INSERT INTO notices (complaint_id, source, level, to_role, project_id,' +
        ` issued_at, ack_due_at) SELECT c.id, 'perm${n}', 1, '${role}', p.id, 0, 0` +
        ` FROM complaints c, projects p WHERE c.number = '${fixtures[OWN].number}' AND p.code = '${OWN}';` +
        ' SELECT last_insert_rowid();');
      return { path: `/api/notices/${id}/ack`, body: { note: '收到' } };
    }
    default: return null;
  }
}

// ---- notifications (issue 5): records of the caller's own, made for each call ----
function sqlite(statement) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// A webhook that takes no event kesu sends, so that the walk makes no traffic.
async function quietHook(n) {
  return ok('POST', '/api/webhooks', { name: `perm${n}`, url: 'http://127.0.0.1:9/hook', events: ['test.none'] });
}

async function notifyRequest(key, role, n) {
  switch (key) {
    case 'POST /api/notifications/:id/read': {
      const id = sqlite('INSERT INTO notifications (staff_id, kind, title_zh, title_en, created_at)' +
        ` SELECT id, 'test', '权限测试', 'permission test', 0 FROM staff WHERE login = 'r_${role}';` +
        ' SELECT last_insert_rowid();');
      return { path: `/api/notifications/${id}/read` };
    }
    case 'POST /api/webhooks':
      return { path: '/api/webhooks', body: { name: `w${n}`, url: 'http://127.0.0.1:9/hook', events: ['test.none'] } };
    case 'PATCH /api/webhooks/:id': return { path: `/api/webhooks/${(await quietHook(n)).id}`, body: { active: false } };
    case 'GET /api/deliveries/:id':
    case 'POST /api/deliveries/:id/replay': {
      // a dead letter of the quiet webhook: what the list shows and a replay takes
      const hook = await quietHook(n);
      const id = sqlite('INSERT INTO deliveries (channel, webhook_id, event, body, status, next_attempt_at,' +
        ` created_at) VALUES ('webhook', ${hook.id}, 'test.none', '{}', 'dead', 0, 0); SELECT last_insert_rowid();`);
      return { path: `/api/deliveries/${id}${key.endsWith('/replay') ? '/replay' : ''}` };
    }
    case 'PUT /api/message-templates/:code/:lang':
      return { path: '/api/message-templates/progress/en', body: { subject: `Progress ${n}: {{number}}` } };
    default: return null;
  }
}

// ---- the customer portal and project administration (issue 6) ----
const PORTAL_PHONE = '13812345678';   // complaintBody's complainant

async function portalRequest(key, project, n) {
  const at = async (status) => `/api/portal/complaints/${(await fresh(project, status)).number}`;
  switch (key) {
    case 'GET /api/portal/projects/:code/units':
      return { path: `/api/portal/projects/${project}/units?building=${encodeURIComponent('1栋')}` };
    case 'POST /api/portal/complaints':
      return { path: '/api/portal/complaints', body: { project, phone: PORTAL_PHONE, subject: '门禁坏了', content: `权限测试${n}` } };
    case 'POST /api/portal/complaints/:number/attachments':
      return { path: `${await at('registered')}/attachments?name=p${n}.png`, body: PNG,
        headers: { 'X-Kesu-Phone': PORTAL_PHONE, 'Content-Type': 'image/png' } };
    case 'POST /api/portal/track':
      return { path: '/api/portal/track', body: { number: fixtures[project].number, phone: PORTAL_PHONE } };
    case 'POST /api/portal/complaints/:number/confirm':
      return { path: `${await at('resolved')}/confirm`, body: { phone: PORTAL_PHONE, accept: true } };
    case 'POST /api/portal/complaints/:number/rating':
      return { path: `${await at('closed')}/rating`, body: { phone: PORTAL_PHONE, satisfaction: 'satisfied' } };
    case 'POST /api/projects': return { path: '/api/projects', body: { code: `P${n}`, name: `项目${n}` } };
    case 'POST /api/projects/:code/units':
      return { path: `/api/projects/${project}/units`, body: { building: '1栋', units: [`9${n}`] } };
    default: return null;
  }
}

// The request that would succeed for someone allowed; `project` picks the fixture.
async function request(route, project, role) {
  const f = fixtures[project];
  const n = ++serial;
  const life = await lifeRequest(`${route.method} ${route.path}`, project, role, n);
  if (life) return life;
  const notify = await notifyRequest(`${route.method} ${route.path}`, role, n);
  if (notify) return notify;
  const portal = await portalRequest(`${route.method} ${route.path}`, project, n);
  if (portal) return portal;
  const path = route.path.replace(':number', f.number).replace(':id', String(f.attachment))
    .replace(':code', project).replace(':login', 'target');
  const key = `${route.method} ${route.path}`;
  switch (key) {
    case 'POST /api/session': return { path, body: { login: 'r_operator', password: TESTER_PASSWORD } };
    case 'POST /api/session/password':
      return { path, body: { current: 'Not-the-Passw0rd!', new: 'Another-Passw0rd!9' }, okStatus: 400 };
    case 'GET /api/projects/:code/units': return { path: `${path}?building=${encodeURIComponent('1栋')}` };
    case 'GET /api/complaints': return { path: `${path}?project=${project}`, namesProject: true };
    case 'GET /api/staff': return { path: `${path}?project=${project}&perm=complaint.handle` };
    case 'POST /api/complaints': return { path, body: complaintBody({ project }), namesProject: true };
    case 'POST /api/complaints/:number/contact': return { path, body: { purpose: '回访核实' } };
    case 'POST /api/complaints/:number/events': return { path, body: { type: 'note', text: '权限测试' } };
    case 'POST /api/complaints/:number/attachments':
      return { path: `${path}?name=p${n}.png`, body: PNG, headers: { 'Content-Type': 'image/png' } };
    case 'POST /api/exports/complaints': return { path, body: { purpose: '月度分析', project }, namesProject: true };
    case 'POST /api/users': return { path, body: { login: `new${n}`, name: '新同事' } };
    case 'POST /api/users/:login/status': return { path, body: { status: 'active' } };
    case 'POST /api/users/:login/password': return { path, body: { password: 'Reset-Passw0rd!1' } };
    case 'POST /api/users/:login/roles': return { path, body: { role: 'operator', project: ['BJ', 'HY', 'JX'][n % 3] } };
    case 'POST /api/tokens': return { path, body: { name: `t${n}`, login: 'tester', scopes: ['complaint.read'] } };
    case 'DELETE /api/tokens/:id': {
      const t = await srv.api('POST', '/api/tokens', { body: { name: `d${n}`, login: 'tester', scopes: ['complaint.read'] } });
      assert.equal(t.status, 201, t.text);
      return { path: `/api/tokens/${t.json.id}` };
    }
    default: return { path };
  }
}

// Routes whose handler asks more than the route's permission (docs/permissions.md, below the table).
const HANDLER_CHECKS = {
  // who can be picked: complaint.triage in the project asked about, or user.admin
  'GET /api/staff': (role) => MATRIX['complaint.triage'][role] || MATRIX['user.admin'][role],
};

function expected(route, role, project) {
  if (!MATRIX[route.perm][role]) return { status: 403 };
  const extra = HANDLER_CHECKS[`${route.method} ${route.path}`];
  if (extra && !extra(role)) return { status: 403 };
  if (route.scoped && project !== OWN && !COMPANY.has(role))
    return route.namesProject ? { status: 400, field: 'project', reason: 'unknown' } : { status: 404 };
  return { ok: true };
}

test('the document lists every permission and a sane route table', () => {
  assert.ok(Object.keys(MATRIX).length >= 12);
  assert.ok(ROUTES.length >= 63, `${ROUTES.length} routes parsed`);
  for (const r of ROUTES) assert.ok(MATRIX[r.perm], `${r.method} ${r.path}: unknown permission ${r.perm}`);
});

test('every route × every role × own and other project', async () => {
  await srv.ready;
  cli(['user', 'add', 'target', '--name', '目标'], '');
  for (const role of ROLES) {
    const spec = COMPANY.has(role) ? role : `${role}@${OWN}`;
    cli(['user', 'add', `r_${role}`, '--name', `角色${role}`, '--role', spec, '--password-stdin'], TESTER_PASSWORD + '\n');
    users[role] = await signIn(`r_${role}`);
  }
  fixtures = await makeFixtures();
  const failures = [];
  let calls = 0;
  for (const route of ROUTES) {
    for (const role of ROLES) {
      for (const project of route.scoped ? [OWN, OTHER] : [OWN]) {
        const req = await request(route, project, role);
        route.namesProject = !!req.namesProject;
        // signing out ends the session it is sent with: use a fresh one
        const who = route.path === '/api/session' && route.method === 'DELETE'
          ? await signIn(`r_${role}`) : users[role];
        const headers = { ...as(who), ...(req.headers || {}) };
        const r = await srv.api(route.method, req.path, { body: req.body, headers });
        calls++;
        const want = expected(route, role, project);
        const label = `${route.method} ${route.path} as ${role} on ${project}`;
        if (want.ok) {
          const okStatus = req.okStatus;
          if (okStatus ? r.status !== okStatus : r.status < 200 || r.status > 299)
            failures.push(`${label}: want ${okStatus || '2xx'}, got ${r.status} ${r.text.slice(0, 200)}`);
        } else if (r.status !== want.status ||
                   (want.reason && (r.json?.error?.field !== want.field || r.json?.error?.reason !== want.reason))) {
          failures.push(`${label}: want ${want.status} ${want.reason || ''}, got ${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${calls} calls disagree with docs/permissions.md`);
  assert.ok(calls >= ROUTES.length * ROLES.length);
});

test('nobody signed in: 401 on every route that is not public', async () => {
  await srv.ready;
  for (const route of ROUTES) {
    const path = route.path.replace(':number', 'KS-2026-000001').replace(':id', '1')
      .replace(':code', OWN).replace(':login', 'tester');
    const r = await srv.api(route.method, path, { body: route.method === 'POST' ? {} : undefined, headers: { Authorization: null } });
    if (route.perm === 'public') {
      assert.notEqual(r.status, 401, `${route.method} ${route.path}`);
    } else {
      assert.equal(r.status, 401, `${route.method} ${route.path}: ${r.text}`);
      assert.equal(r.json.error.code, 'unauthenticated');
      assert.equal(r.json.error.reason, 'sign_in_required');
    }
  }
});

test('a list without a project filter shows only the caller\'s projects', async () => {
  await srv.ready;
  const mine = await srv.api('GET', '/api/complaints?limit=100', { headers: as(users.handler) });
  assert.equal(mine.status, 200);
  assert.ok(mine.json.items.length >= 1);
  assert.ok(mine.json.items.every((c) => c.project.code === OWN), JSON.stringify(mine.json.items.map((c) => c.project.code)));
  const all = await srv.api('GET', '/api/complaints?limit=100', { headers: as(users.auditor) });
  const codes = new Set(all.json.items.map((c) => c.project.code));
  assert.ok(codes.has(OWN) && codes.has(OTHER));
  // a search cannot reach around the scope either
  const q = await srv.api('GET', `/api/complaints?q=${encodeURIComponent('电梯')}`, { headers: as(users.handler) });
  assert.equal(q.status, 200);
  assert.ok(q.json.items.every((c) => c.project.code === OWN));
});
