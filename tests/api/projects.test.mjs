// Project administration (issue 6): the administrator adds projects, buildings and units
// (config.admin); what is added is what the reference routes, registration and the customer
// portal then offer. Validation, duplicates, the audit trail and who may do it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useServer, complaintBody, hasCJK, KESU_BIN } from './lib/server.mjs';

const srv = useServer();

function ok(r, status = 200) {
  assert.equal(r.status, status, `${r.status} ${r.text}`);
  return r.json;
}

function assertError(r, status, field, reason) {
  assert.equal(r.status, status, r.text);
  assert.ok(r.json && r.json.error, r.text);
  assert.equal(r.json.error.field, field, r.text);
  assert.equal(r.json.error.reason, reason, r.text);
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
}

const addProject = (body, headers) => srv.api('POST', '/api/projects', { body, headers });
const addUnits = (code, body, headers) => srv.api('POST', `/api/projects/${code}/units`, { body, headers });

function tokenOf(login) {
  const r = spawnSync(KESU_BIN, ['token', 'add', '--db', srv.db, '--name', `proj-${login}`, '--user', login,
    '--scopes', '*'], { env: srv.env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { Authorization: `Bearer ${r.stdout.trim()}` };
}

test('POST /api/projects: 201, listed, audited; 409 when the code exists', async () => {
  await srv.ready;
  const p = ok(await addProject({ code: 'LX', name: '临溪苑', number_prefix: 'LX' }), 201);
  assert.deepEqual(p, { code: 'LX', name: '临溪苑', number_prefix: 'LX', buildings: [] });
  // without a prefix of its own it numbers with the deployment's
  const q = ok(await addProject({ code: 'QS2', name: ' 青山里 ' }), 201);
  assert.deepEqual(q, { code: 'QS2', name: '青山里', number_prefix: 'KS', buildings: [] });
  const list = ok(await srv.api('GET', '/api/projects'));
  assert.deepEqual(list.items.find((x) => x.code === 'LX'), p);
  assertError(await addProject({ code: 'LX', name: '另一个' }), 409, 'code', 'exists');
  assertError(await addProject({ code: 'HY', name: '华苑' }), 409, 'code', 'exists');
  const audit = ok(await srv.api('GET', '/api/audit?action=project.create&object=LX'));
  assert.equal(audit.items.length, 1);
  assert.equal(audit.items[0].actor, 'tester');
  assert.deepEqual(audit.items[0].detail, { code: 'LX', name: '临溪苑', number_prefix: 'LX' });
});

test('POST /api/projects: validation', async () => {
  await srv.ready;
  const cases = [
    [{ name: '无编码' }, 'code', 'required'],
    [{ code: 'A', name: '太短' }, 'code', 'bad_format'],
    [{ code: 'ABCDEFGHI', name: '太长' }, 'code', 'bad_format'],
    [{ code: 'ab', name: '小写' }, 'code', 'bad_format'],
    [{ code: 'A-1', name: '符号' }, 'code', 'bad_format'],
    [{ code: 'NN' }, 'name', 'required'],
    [{ code: 'NN', name: '  ' }, 'name', 'empty'],
    [{ code: 'NN', name: '名'.repeat(51) }, 'name', 'too_long'],
    [{ code: 'NN', name: '前缀', number_prefix: 'ks' }, 'number_prefix', 'bad_format'],
    [{ code: 'NN', name: '前缀', number_prefix: 'A'.repeat(17) }, 'number_prefix', 'too_long'],
    [{ code: 'NN', name: '多余', city: '杭州' }, 'city', 'unknown_field'],
  ];
  for (const [body, field, reason] of cases) {
    const r = await addProject(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.field, field, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.reason, reason, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal((await srv.api('GET', '/api/projects')).json.items.some((x) => x.code === 'NN'), false);
});

test('POST /api/projects/{code}/units: a new building and its units; again counts existing', async () => {
  await srv.ready;
  ok(await addProject({ code: 'YH', name: '银湖湾' }), 201);
  const a = ok(await addUnits('YH', { building: '1栋', units: ['1单元101', '1单元102', ' 1单元201 '] }), 201);
  assert.deepEqual(a, { building: '1栋', added: 3, existing: 0 });
  const b = ok(await addUnits('YH', { building: '1栋', units: ['1单元101', '1单元301', '1单元301'] }), 201);
  assert.deepEqual(b, { building: '1栋', added: 1, existing: 2 });
  ok(await addUnits('YH', { building: '2栋', units: ['101'] }), 201);
  const p = ok(await srv.api('GET', '/api/projects')).items.find((x) => x.code === 'YH');
  assert.deepEqual(p.buildings, ['1栋', '2栋']);
  const units = ok(await srv.api('GET', `/api/projects/YH/units?building=${encodeURIComponent('1栋')}`));
  assert.deepEqual(units.items, ['1单元101', '1单元102', '1单元201', '1单元301']);
  // the customer portal offers them, and complaints can be registered there
  const form = ok(await srv.api('GET', '/api/portal/form', { headers: { Authorization: null } }));
  assert.deepEqual(form.projects.find((x) => x.code === 'YH').buildings, ['1栋', '2栋']);
  ok(await srv.api('POST', '/api/complaints', { body: complaintBody({ project: 'YH', building: '1栋', unit: '1单元301' }) }), 201);
  // an existing project's buildings keep their order; a new one goes last
  ok(await addUnits('HY', { building: '13栋', units: ['1单元101'] }), 201);
  const hy = ok(await srv.api('GET', '/api/projects')).items.find((x) => x.code === 'HY');
  assert.equal(hy.buildings.at(-1), '13栋');
  assert.equal(hy.buildings[0], '1栋');
  const audit = ok(await srv.api('GET', '/api/audit?action=project.units&object=YH'));
  assert.equal(audit.items.length, 3);
  assert.deepEqual(audit.items[2].detail, { building: '1栋', added: 3, existing: 0 });
});

test('POST /api/projects/{code}/units: validation and an unknown project', async () => {
  await srv.ready;
  const cases = [
    [{ units: ['101'] }, 'building', 'required'],
    [{ building: '栋'.repeat(21), units: ['101'] }, 'building', 'too_long'],
    [{ building: '1栋' }, 'units', 'required'],
    [{ building: '1栋', units: [] }, 'units', 'empty'],
    [{ building: '1栋', units: '101' }, 'units', 'bad_type'],
    [{ building: '1栋', units: Array.from({ length: 501 }, (_, i) => `u${i}`) }, 'units', 'too_many'],
    [{ building: '1栋', units: ['101', 102] }, 'units[1]', 'bad_type'],
    [{ building: '1栋', units: ['101', '  '] }, 'units[1]', 'empty'],
    [{ building: '1栋', units: ['单'.repeat(21)] }, 'units[0]', 'too_long'],
    [{ building: '1栋', units: ['1\n01'] }, 'units[0]', 'bad_character'],
    [{ building: '1栋', units: ['101'], floor: 1 }, 'floor', 'unknown_field'],
  ];
  for (const [body, field, reason] of cases) {
    const r = await addUnits('HY', body);
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.equal(r.json.error.field, field, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.equal(r.json.error.reason, reason, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
  }
  const r = await addUnits('ZZ', { building: '1栋', units: ['101'] });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error.code, 'not_found');
  // 500 units at once are fine
  const many = ok(await addUnits('HY', { building: '20栋', units: Array.from({ length: 500 }, (_, i) => `${i + 1}`) }), 201);
  assert.deepEqual(many, { building: '20栋', added: 500, existing: 0 });
});

test('only config.admin: a handler gets 403, nobody 401', async () => {
  await srv.ready;
  const lina = tokenOf('lina');
  assertError(await addProject({ code: 'FB', name: '禁止' }, lina), 403, null, 'forbidden');
  assertError(await addUnits('HY', { building: '1栋', units: ['9901'] }, lina), 403, null, 'forbidden');
  const none = { Authorization: null };
  assertError(await addProject({ code: 'FB', name: '禁止' }, none), 401, null, 'sign_in_required');
  assertError(await addUnits('HY', { building: '1栋', units: ['9901'] }, none), 401, null, 'sign_in_required');
  assert.equal((await srv.api('GET', '/api/projects')).json.items.some((x) => x.code === 'FB'), false);
});
