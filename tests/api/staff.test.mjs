// GET /api/staff (issue 6): who can be picked in a project, for the dispatch dialog's handler
// picker — active staff holding a permission there (through the project or company-wide),
// by name; for those who dispatch in that project, and for user administrators.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useServer, KESU_BIN } from './lib/server.mjs';

const srv = useServer();
const tokens = {};
function as(login) {
  if (login !== 'tester' && !tokens[login]) {
    const r = spawnSync(KESU_BIN, ['token', 'add', '--name', `st-${login}`, '--user', login, '--scopes', '*', '--db', srv.db],
      { env: srv.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    tokens[login] = r.stdout.trim();
  }
  const headers = login === 'tester' ? {} : { Authorization: `Bearer ${tokens[login]}` };
  return (method, path, body) => srv.api(method, path, { body, headers });
}
function assertError(r, status, field, reason, label = '') {
  assert.equal(r.status, status, `${label}: ${r.text}`);
  assert.equal(r.json.error.field, field, `${label} field: ${r.text}`);
  assert.equal(r.json.error.reason, reason, `${label} reason: ${r.text}`);
}

test('the handlers of a project: by name, with the roles that qualify them', async () => {
  await srv.ready;
  const r = await as('wangfang')('GET', '/api/staff?project=HY&perm=complaint.handle');
  assert.equal(r.status, 200, r.text);
  const logins = r.json.items.map((s) => s.login);
  // HY's handler, supervisor and manager, the company-wide centre; not JX's, not the operator
  for (const l of ['lina', 'wangfang', 'liuyang', 'wuxia']) assert.ok(logins.includes(l), `${l} in ${logins}`);
  for (const l of ['yangli', 'zhaolei', 'zhangwei', 'zhouqiang', 'xujun']) assert.ok(!logins.includes(l), `${l} not in ${logins}`);
  const lina = r.json.items.find((s) => s.login === 'lina');
  assert.deepEqual(lina, { login: 'lina', name: '李娜', roles: [{ role: 'handler', project: 'HY' }] });
  const wuxia = r.json.items.find((s) => s.login === 'wuxia');
  assert.deepEqual(wuxia.roles, [{ role: 'centre', project: null }]);
  const names = r.json.items.map((s) => s.name);
  assert.deepEqual(names, [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1)));
  for (const s of r.json.items) assert.deepEqual(Object.keys(s).sort(), ['login', 'name', 'roles']);

  // without perm: every active member of the project, the operator too
  const all = (await as('wangfang')('GET', '/api/staff?project=HY')).json.items.map((s) => s.login);
  assert.ok(all.includes('zhangwei') && all.includes('xujun') && !all.includes('yangli'), all.join());
});

test('a disabled account is not offered', async () => {
  await srv.ready;
  const add = spawnSync(KESU_BIN, ['user', 'add', 'gone', '--name', '离职员工', '--role', 'handler@HY', '--db', srv.db],
    { env: srv.env, encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  let logins = (await as('wangfang')('GET', '/api/staff?project=HY&perm=complaint.handle')).json.items.map((s) => s.login);
  assert.ok(logins.includes('gone'));
  const off = await as('tester')('POST', '/api/users/gone/status', { status: 'disabled' });
  assert.equal(off.status, 200, off.text);
  logins = (await as('wangfang')('GET', '/api/staff?project=HY&perm=complaint.handle')).json.items.map((s) => s.login);
  assert.ok(!logins.includes('gone'));
});

test('who may ask: complaint.triage in that project, or user.admin', async () => {
  await srv.ready;
  assert.equal((await as('tester')('GET', '/api/staff?project=JX')).status, 200);       // admin
  assert.equal((await as('zhaolei')('GET', '/api/staff?project=JX')).status, 200);     // JX supervisor
  assert.equal((await as('wangfang')('GET', '/api/staff?project=JX')).status, 403);     // HY supervisor
  assert.equal((await as('lina')('GET', '/api/staff?project=HY')).status, 403);         // a handler
  assert.equal((await as('zhangwei')('GET', '/api/staff?project=HY')).status, 403);     // an operator
  assert.equal((await srv.api('GET', '/api/staff?project=HY', { headers: { Authorization: null } })).status, 401);
});

test('bad requests name the parameter', async () => {
  await srv.ready;
  const api = as('wangfang');
  assertError(await api('GET', '/api/staff'), 400, 'project', 'required', 'no project');
  assertError(await api('GET', '/api/staff?project=NOPE'), 400, 'project', 'unknown', 'unknown project');
  assertError(await api('GET', '/api/staff?project=H%20Y'), 400, 'project', 'bad_value', 'bad code');
  assertError(await api('GET', '/api/staff?project=HY&project=JX'), 400, 'project', 'repeated', 'twice');
  assertError(await api('GET', '/api/staff?project=HY&perm=complaint.fly'), 400, 'perm', 'unknown', 'bad perm');
  assertError(await api('GET', '/api/staff?project=HY&role=handler'), 400, 'role', 'unknown_parameter', 'other');
  assert.equal((await api('POST', '/api/staff?project=HY', {})).status, 405);
});
