// API tokens (issue 3, item 3; docs/api.md "API tokens", docs/permissions.md): made over the
// API and shown once, listed without their secret, acting as their owner narrowed to their
// scopes and project, revoked for good, stopped when the owner is disabled; malformed
// Authorization headers are refused as such.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useServer, complaintBody, KESU_BIN, TESTER_PASSWORD } from './lib/server.mjs';

const srv = useServer();
const TOKEN_RE = /^kesu_[A-Za-z0-9_-]{43}$/;

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

const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const as = (token, method, path, body) => srv.api(method, path, { body, headers: bearer(token) });

async function makeToken(body) {
  const r = await srv.api('POST', '/api/tokens', { body });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.token, TOKEN_RE);
  return r.json;
}

const numbers = {};
before(async () => {
  await srv.ready;
  addUser('hyhandler', 'handler@HY');
  addUser('cti', 'centre');
  for (const project of ['HY', 'JX']) {
    const r = await srv.api('POST', '/api/complaints', { body: complaintBody({ project }) });
    assert.equal(r.status, 201, r.text);
    numbers[project] = r.json.number;
  }
});

test('a token is shown once, listed without its secret, and works', async () => {
  const r = await srv.api('POST', '/api/tokens', { body: { name: '呼叫中心', login: 'tester', scopes: ['complaint.read'] } });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  assert.match(t.token, TOKEN_RE);
  assert.equal(t.name, '呼叫中心');
  assert.equal(t.login, 'tester');
  assert.deepEqual(t.scopes, ['complaint.read']);
  assert.equal(t.project, null);
  assert.equal(t.created_by, 'tester');
  assert.equal(t.revoked_at, null);
  assert.equal(t.last_used_at, null);
  assert.equal(typeof t.id, 'number');

  const list = await srv.api('GET', '/api/tokens');
  assert.equal(list.status, 200, list.text);
  const item = list.json.items.find((x) => x.id === t.id);
  assert.ok(item, list.text);
  assert.equal(item.token, undefined);
  assert.equal(item.name, '呼叫中心');
  assert.deepEqual(item.scopes, ['complaint.read']);
  const secret = t.token.slice('kesu_'.length);
  assert.ok(!list.text.includes(secret), 'the list shows the secret');
  // the secret is nowhere in the database either: only its SHA-256
  const dump = spawnSync('sqlite3', [srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(dump.status, 0, dump.stderr);
  assert.ok(!dump.stdout.includes(secret), 'the database holds the secret');

  const me = await as(t.token, 'GET', '/api/session');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.via, 'token');
  assert.equal(me.json.user.login, 'tester');
  assert.deepEqual(me.json.token, { id: t.id, name: '呼叫中心', project: null });
  assert.equal(me.json.csrf_token, null);
  assert.equal(me.json.expires_at, null);
  assert.deepEqual(me.json.permissions, { 'complaint.read': '*' });

  // complaint.read only: it reads every project of its owner, and changes nothing
  const listed = await as(t.token, 'GET', '/api/complaints?limit=100');
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json.items.map((c) => c.project.code).sort(), ['HY', 'JX']);
  assert.equal((await as(t.token, 'GET', `/api/complaints/${numbers.JX}`)).status, 200);
  assertError(await as(t.token, 'POST', '/api/complaints', complaintBody()), 403, null, 'forbidden');
  assertError(await as(t.token, 'POST', `/api/complaints/${numbers.HY}/events`, { type: 'note', text: '备注' }), 403, null, 'forbidden');
  assertError(await as(t.token, 'GET', '/api/audit'), 403, null, 'forbidden');
  assertError(await as(t.token, 'GET', '/api/tokens'), 403, null, 'forbidden');
  // ... and needs no CSRF token for what it may do
  const mine = await as((await makeToken({ name: 'intake', login: 'tester', scopes: ['complaint.create', 'complaint.read'] })).token,
    'POST', '/api/complaints', complaintBody());
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.received_by.login, 'tester');
});

test('a token limited to a project: the other project does not exist for it', async () => {
  const t = await makeToken({ name: 'hy-only', login: 'cti', scopes: ['*'], project: 'HY' });
  assert.equal(t.project, 'HY');
  const me = await as(t.token, 'GET', '/api/session');
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json.permissions['complaint.read'], ['HY']);
  assert.deepEqual(me.json.permissions['complaint.create'], ['HY']);

  const list = await as(t.token, 'GET', '/api/complaints?limit=100');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.length >= 1);
  assert.ok(list.json.items.every((c) => c.project.code === 'HY'), JSON.stringify(list.json.items.map((c) => c.project.code)));
  assert.ok(list.json.items.some((c) => c.number === numbers.HY));
  assert.equal((await as(t.token, 'GET', `/api/complaints/${numbers.HY}`)).status, 200);

  // outside: 404 like a number never issued, 400 project unknown like a project that does not exist
  const jx = await as(t.token, 'GET', `/api/complaints/${numbers.JX}`);
  const never = await as(t.token, 'GET', '/api/complaints/KS-2026-999999');
  assert.equal(jx.status, 404, jx.text);
  assert.equal(jx.text, never.text);
  assertError(await as(t.token, 'GET', `/api/complaints/${numbers.JX}/events`), 404, 'number', 'unknown');
  assertError(await as(t.token, 'GET', '/api/complaints?project=JX'), 400, 'project', 'unknown');
  assertError(await as(t.token, 'GET', '/api/complaints?project=ZZ'), 400, 'project', 'unknown');
  assertError(await as(t.token, 'POST', '/api/complaints', complaintBody({ project: 'JX' })), 400, 'project', 'unknown');
  assertError(await as(t.token, 'POST', '/api/exports/complaints', { purpose: '月度分析', project: 'JX' }), 400, 'project', 'unknown');
  const made = await as(t.token, 'POST', '/api/complaints', complaintBody({ project: 'HY' }));
  assert.equal(made.status, 201, made.text);
  // the owner itself (its session) still sees both projects: the limit is the token's
  const s = await srv.api('POST', '/api/session', { body: { login: 'cti', password: TESTER_PASSWORD }, headers: { Authorization: null } });
  assert.equal(s.status, 200, s.text);
  const cookie = s.headers.get('set-cookie').split(';')[0];
  assert.equal((await srv.api('GET', `/api/complaints/${numbers.JX}`, { headers: { Cookie: cookie } })).status, 200);
});

test('a token held to a project holds nothing company-wide, even for an administrator', async () => {
  // tester is admin and auditor: unlimited, its token may manage tokens and read the log
  const t = await makeToken({ name: 'admin-hy', login: 'tester', scopes: ['*'], project: 'HY' });
  for (const [method, path, body] of [['GET', '/api/tokens'], ['GET', '/api/users'], ['GET', '/api/audit'],
    ['POST', '/api/tokens', { name: 'escape', login: 'tester', scopes: ['*'] }]]) {
    assertError(await as(t.token, method, path, body), 403, null, 'forbidden');
  }
  assert.equal((await as(t.token, 'GET', `/api/complaints/${numbers.HY}`)).status, 200);
});

test('a scope the owner lacks gives nothing', async () => {
  const t = await makeToken({ name: 'handler-audit', login: 'hyhandler', scopes: ['audit.read', 'complaint.read'] });
  assertError(await as(t.token, 'GET', '/api/audit'), 403, null, 'forbidden');
  const me = await as(t.token, 'GET', '/api/session');
  assert.deepEqual(me.json.permissions, { 'complaint.read': ['HY'] });
  // what the owner holds it has, in the owner's projects only
  assert.equal((await as(t.token, 'GET', `/api/complaints/${numbers.HY}`)).status, 200);
  assertError(await as(t.token, 'GET', `/api/complaints/${numbers.JX}`), 404, 'number', 'unknown');
  // a "*" token of a handler does not make it an administrator
  const all = await makeToken({ name: 'handler-all', login: 'hyhandler', scopes: ['*'] });
  assertError(await as(all.token, 'GET', '/api/tokens'), 403, null, 'forbidden');
  assertError(await as(all.token, 'GET', '/api/audit'), 403, null, 'forbidden');
  assertError(await as(all.token, 'POST', '/api/exports/complaints', { purpose: '月度分析' }), 403, null, 'forbidden');
});

test('revoking: next use 401 revoked; twice 409; unknown ids 404; the name is free again', async () => {
  const t = await makeToken({ name: 'short-lived', login: 'tester', scopes: ['complaint.read'] });
  assert.equal((await as(t.token, 'GET', '/api/complaints')).status, 200);
  const dup = await srv.api('POST', '/api/tokens', { body: { name: 'short-lived', login: 'cti', scopes: ['complaint.read'] } });
  assertError(dup, 409, 'name', 'exists');

  const rv = await srv.api('DELETE', `/api/tokens/${t.id}`);
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.json.id, t.id);
  assert.equal(rv.json.token, undefined);
  assert.notEqual(rv.json.revoked_at, null);
  assertError(await as(t.token, 'GET', '/api/complaints'), 401, 'token', 'revoked');
  assertError(await as(t.token, 'GET', '/api/session'), 401, 'token', 'revoked');
  assertError(await srv.api('DELETE', `/api/tokens/${t.id}`), 409, 'id', 'already_revoked');
  assertError(await srv.api('DELETE', '/api/tokens/999999'), 404, 'id', 'unknown');
  assertError(await srv.api('DELETE', '/api/tokens/abc'), 404, 'id', 'unknown');
  assertError(await srv.api('DELETE', '/api/tokens/0'), 404, 'id', 'unknown');
  // the record stays, marked revoked
  const list = await srv.api('GET', '/api/tokens');
  assert.notEqual(list.json.items.find((x) => x.id === t.id).revoked_at, null);
  // a revoked token's name may be used again
  const again = await makeToken({ name: 'short-lived', login: 'tester', scopes: ['complaint.read'] });
  assert.notEqual(again.id, t.id);
  assert.notEqual(again.token, t.token);
  assert.equal((await as(again.token, 'GET', '/api/complaints')).status, 200);
  assertError(await as(t.token, 'GET', '/api/complaints'), 401, 'token', 'revoked');

  const audit = await srv.api('GET', '/api/audit?action=token.*&limit=100');
  assert.equal(audit.status, 200);
  const rev = audit.json.items.find((e) => e.action === 'token.revoke' && e.detail.id === t.id);
  assert.ok(rev, audit.text);
  assert.equal(rev.actor, 'tester');
  assert.equal(rev.object, 'short-lived');
  for (const secret of [t.token, again.token]) assert.ok(!audit.text.includes(secret.slice(5)));
});

test('bad token requests: 400 naming the field', async () => {
  const post = (body) => srv.api('POST', '/api/tokens', { body });
  assertError(await post({ name: 'b1', login: 'tester', scopes: ['complaint.read', 'nope'] }), 400, 'scopes[1]', 'unknown');
  assertError(await post({ name: 'b1', login: 'tester', scopes: ['complaint.read', 'complaint.read'] }), 400, 'scopes[1]', 'repeated');
  assertError(await post({ name: 'b1', login: 'tester', scopes: [] }), 400, 'scopes', 'empty');
  assertError(await post({ name: 'b1', login: 'tester', scopes: 'complaint.read' }), 400, 'scopes', 'bad_type');
  assertError(await post({ name: 'b1', login: 'tester' }), 400, 'scopes', 'required');
  assertError(await post({ login: 'tester', scopes: ['complaint.read'] }), 400, 'name', 'required');
  assertError(await post({ name: 'b1', login: 'nobody', scopes: ['complaint.read'] }), 400, 'login', 'unknown');
  assertError(await post({ name: 'b1', login: 'tester', scopes: ['complaint.read'], project: 'ZZ' }), 400, 'project', 'unknown');
  assertError(await post({ name: 'b1', login: 'tester', scopes: ['complaint.read'], extra: 1 }), 400, 'extra', 'unknown_field');
  const list = await srv.api('GET', '/api/tokens');
  assert.ok(!list.json.items.some((x) => x.name === 'b1'), 'a refused token was made');
});

test('a malformed Authorization header is 401 bad_format; an unknown token 401 invalid', async () => {
  for (const value of ['Basic dGVzdGVyOnBhc3N3b3Jk', 'Bearer garbage', 'Bearer kesu_short', 'Bearer',
    `Bearer ${'kesu_' + 'A'.repeat(42)}`, `Bearer kesu_${'A'.repeat(42)}!`, `Token kesu_${'A'.repeat(43)}`]) {
    const r = await srv.api('GET', '/api/complaints', { headers: { Authorization: value } });
    assertError(r, 401, 'Authorization', 'bad_format', value);
    assert.equal(r.json.error.code, 'unauthenticated');
  }
  assertError(await srv.api('GET', '/api/complaints', { headers: { Authorization: `Bearer kesu_${'A'.repeat(43)}` } }),
    401, 'token', 'invalid');
  // a public route does not care
  assert.equal((await srv.api('GET', '/api/health', { headers: { Authorization: 'Basic xyz' } })).status, 200);
});

test('a token whose owner is disabled: 401 disabled', async () => {
  addUser('gateway', 'operator@HY');
  const t = await makeToken({ name: '微信网关', login: 'gateway', scopes: ['complaint.create', 'complaint.read'], project: 'HY' });
  const ok = await as(t.token, 'POST', '/api/complaints', complaintBody());
  assert.equal(ok.status, 201, ok.text);
  const dis = await srv.api('POST', '/api/users/gateway/status', { body: { status: 'disabled' } });
  assert.equal(dis.status, 200, dis.text);
  assertError(await as(t.token, 'GET', '/api/complaints'), 401, 'token', 'disabled');
  assertError(await as(t.token, 'POST', '/api/complaints', complaintBody()), 401, 'token', 'disabled');
  // the record is not revoked: disabling stops it, the administrator's revoke ends it
  const list = await srv.api('GET', '/api/tokens');
  assert.equal(list.json.items.find((x) => x.id === t.id).revoked_at, null);
});
