// Reference routes, the OpenAPI document, and the route table itself:
// the set of routes in docs/api.md, in docs/openapi.json and answered by the server must agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useServer, repoRoot, complaintBody, hasCJK, startServer } from './lib/server.mjs';

const srv = useServer();

const openapi = JSON.parse(readFileSync(join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
const apiMd = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** (METHOD path) pairs of the "## Routes" table of docs/api.md, query strings dropped. */
function apiMdRoutes() {
  const start = apiMd.indexOf('## Routes');
  assert.ok(start >= 0, 'docs/api.md has a "## Routes" section');
  const section = apiMd.slice(start, apiMd.indexOf('\n## ', start + 5));
  const set = new Set();
  for (const line of section.split('\n')) {
    const m = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*(\/api\/[^\s|?]*)/.exec(line);
    if (m) set.add(`${m[1]} ${m[2]}`);
  }
  return set;
}

function openapiRoutes() {
  const set = new Set();
  for (const [p, item] of Object.entries(openapi.paths)) {
    for (const m of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace'].includes(m)) {
        set.add(`${m.toUpperCase()} ${p}`);
      }
    }
  }
  return set;
}

function assertError(r, status, code, field, reason) {
  assert.equal(r.status, status, `status; body ${r.text}`);
  assert.ok(r.json && r.json.error, `error body: ${r.text}`);
  if (code !== undefined) assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
  if (reason !== undefined) assert.equal(r.json.error.reason, reason, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
}

// A complaint and an attachment so that every path template can be filled with real values.
let sample;
async function ensureSample() {
  if (sample) return sample;
  const c = await srv.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(c.status, 201, c.text);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f20000000049454e44ae426082', 'hex');
  const a = await srv.api('POST', `/api/complaints/${c.json.number}/attachments?name=a.png`,
    { body: png, headers: { 'Content-Type': 'image/png' } });
  assert.equal(a.status, 201, a.text);
  // a token of its own to revoke: probing DELETE /api/tokens/{id} must not revoke the tests' token
  const t = await srv.api('POST', '/api/tokens', { body: { name: 'probe', login: 'tester', scopes: ['complaint.read'] } });
  assert.equal(t.status, 201, t.text);
  sample = { number: c.json.number, id: a.json.id, token: t.json.id };
  return sample;
}

function fill(path, s) {
  const id = path.startsWith('/api/tokens/') ? s.token : s.id;
  return path.replace('{code}', 'HY').replace('{number}', encodeURIComponent(s.number))
    .replace('{id}', String(id)).replace('{login}', 'tester');
}

// Extra query/body per route so that a documented route gets a meaningful (non-404/405) answer.
function probeRequest(method, path) {
  if (path.endsWith('/units')) return { q: '?building=' + encodeURIComponent('1栋') };
  if (method === 'POST' && path === '/api/complaints') return { body: complaintBody() };
  if (method === 'POST' && path.endsWith('/events')) return { body: { type: 'note', text: '探测' } };
  if (method === 'POST' && path.endsWith('/attachments')) {
    return {
      q: '?name=p.pdf',
      body: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      headers: { 'Content-Type': 'application/pdf' },
    };
  }
  return {};
}

test('GET /api/health', async () => {
  const r = await srv.api('GET', '/api/health');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.version, '0.1.0');
  assert.equal(r.json.store, 'sqlite');
  assert.ok(Number.isInteger(r.json.schema_version) && r.json.schema_version >= 1, r.text);
  assert.match(r.json.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  const skew = Math.abs(Date.parse(r.json.time) - Date.now());
  assert.ok(skew < 5000, `server time ${r.json.time} is ${skew} ms off`);
});

test('KESU_CLOCK_OFFSET shifts the server clock (health time and complaint numbers)', async (t) => {
  // One year and a bit ahead: the numbers of the new year start a new series.
  const offset = 400 * 86400;
  const s = await startServer({ env: { KESU_CLOCK_OFFSET: String(offset) } });
  t.after(() => s.stop());
  const h = await s.api('GET', '/api/health');
  assert.equal(h.status, 200);
  const skew = Math.abs(Date.parse(h.json.time) - (Date.now() + offset * 1000));
  assert.ok(skew < 5000, `health time ${h.json.time} not shifted by ${offset}s`);
  const year = new Date(Date.now() + offset * 1000 + 8 * 3600_000).getUTCFullYear();
  const c = await s.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(c.status, 201, c.text);
  assert.match(c.json.number, new RegExp(`^[A-Z0-9]+-${year}-000001$`));
  assert.equal(c.json.registered_at.slice(0, 4), String(year));
});

test('GET /api/categories: the property preset', async () => {
  const r = await srv.api('GET', '/api/categories');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.preset, 'property');
  const codes = r.json.items.map((c) => c.code);
  for (const c of ['building', 'equipment', 'security', 'environment', 'service', 'general', 'dispute', 'developer', 'other']) {
    assert.ok(codes.includes(c), `category ${c} in ${codes}`);
  }
  for (const c of r.json.items) {
    for (const k of ['code', 'name_zh', 'name_en', 'description_zh', 'description_en']) {
      assert.equal(typeof c[k], 'string', `${c.code}.${k}`);
      assert.ok(c[k].length > 0, `${c.code}.${k} not empty`);
    }
    assert.ok(hasCJK(c.name_zh), `${c.code}.name_zh is Chinese`);
    assert.equal(c.retired, false);
    assert.ok(Array.isArray(c.subcategories));
    for (const s of c.subcategories) {
      for (const k of ['code', 'name_zh', 'name_en']) assert.equal(typeof s[k], 'string', `${c.code}/${s.code}.${k}`);
    }
  }
  const sub = (cat) => r.json.items.find((c) => c.code === cat).subcategories.map((s) => s.code);
  assert.ok(sub('equipment').includes('lift'));
  assert.ok(sub('equipment').includes('water_supply'));
  assert.ok(sub('building').includes('leak'));
  assert.ok(sub('environment').includes('noise'));
  assert.ok(sub('environment').includes('cleaning'));
  assert.ok(sub('general').includes('fees'));
  assert.equal(r.json.items.find((c) => c.code === 'equipment').name_zh, '设备管理类');
});

test('GET /api/projects: demo projects with buildings', async () => {
  const r = await srv.api('GET', '/api/projects');
  assert.equal(r.status, 200, r.text);
  const byCode = Object.fromEntries(r.json.items.map((p) => [p.code, p]));
  const expect = { HY: ['华苑花园', 12], JX: ['锦绣江南', 16], BJ: ['滨江壹号', 10] };
  for (const [code, [name, n]] of Object.entries(expect)) {
    const p = byCode[code];
    assert.ok(p, `project ${code}`);
    assert.equal(p.name, name);
    assert.match(p.number_prefix, /^[A-Z0-9]{1,16}$/);
    assert.deepEqual(p.buildings, Array.from({ length: n }, (_, i) => `${i + 1}栋`));
  }
});

test('GET /api/projects/{code}/units', async () => {
  const r = await srv.api('GET', '/api/projects/HY/units?building=' + encodeURIComponent('3栋'));
  assert.equal(r.status, 200, r.text);
  const units = r.json.items;
  assert.equal(units.length, 2 * 18 * 4);
  assert.ok(units.includes('1单元101'));
  assert.ok(units.includes('2单元1804'));
  assert.ok(units.includes('2单元1202'));
  assert.ok(!units.includes('3单元101'));
  assert.ok(!units.includes('1单元1901'));
  assert.equal(new Set(units).size, units.length, 'no duplicates');
});

test('GET /api/projects/{code}/units: unknown project → 404', async () => {
  const r = await srv.api('GET', '/api/projects/ZZ/units?building=' + encodeURIComponent('1栋'));
  assertError(r, 404, 'not_found');
});

test('GET /api/projects/{code}/units: unknown building → 400 building unknown', async () => {
  const r = await srv.api('GET', '/api/projects/HY/units?building=' + encodeURIComponent('13栋'));
  assertError(r, 400, 'invalid', 'building', 'unknown');
});

test('GET /api/projects/{code}/units: building required', async () => {
  const r = await srv.api('GET', '/api/projects/HY/units');
  assertError(r, 400, 'invalid', 'building', 'required');
});

test('GET /api/projects/{code}/units: unknown parameter', async () => {
  const r = await srv.api('GET', '/api/projects/HY/units?building=' + encodeURIComponent('1栋') + '&floor=3');
  assertError(r, 400, 'invalid', 'floor', 'unknown_parameter');
});

test('GET /api/openapi.json is the same JSON as docs/openapi.json', async () => {
  const r = await srv.api('GET', '/api/openapi.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(JSON.parse(r.text), openapi);
});

test('docs/openapi.json: OpenAPI 3.1, version 0.1.0, components and error responses', () => {
  assert.match(openapi.openapi, /^3\.1\./);
  assert.equal(openapi.info.version, '0.1.0');
  for (const s of ['Complaint', 'ComplaintSummary', 'Event', 'Attachment', 'Error', 'Category', 'Project']) {
    assert.ok(openapi.components.schemas[s], `components.schemas.${s}`);
  }
  // every $ref resolves
  const refs = [];
  (function walk(o) {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === '$ref') refs.push(v);
        else walk(v);
      }
    }
  })(openapi);
  for (const ref of refs) {
    const parts = ref.replace(/^#\//, '').split('/');
    let o = openapi;
    for (const p of parts) o = o && o[p];
    assert.ok(o, `$ref ${ref} resolves`);
  }
  // every operation documents its errors and its 405
  for (const [p, item] of Object.entries(openapi.paths)) {
    for (const [m, op] of Object.entries(item)) {
      assert.ok(op.responses['405'], `${m} ${p} documents 405`);
      assert.ok(Object.keys(op.responses).some((c) => /^2/.test(c)), `${m} ${p} documents success`);
      if (p.includes('{')) {
        for (const name of p.match(/\{(\w+)\}/g).map((x) => x.slice(1, -1))) {
          const params = (op.parameters || []).map((x) => (x.$ref ? openapi.components.parameters[x.$ref.split('/').pop()] : x));
          assert.ok(params.some((x) => x.in === 'path' && x.name === name), `${m} ${p} declares path parameter ${name}`);
        }
      }
    }
  }
});

test('route table of docs/api.md == paths of docs/openapi.json', () => {
  const md = apiMdRoutes();
  const oa = openapiRoutes();
  assert.ok(md.size >= 13, `api.md routes: ${[...md]}`);
  const missingInOpenapi = [...md].filter((r) => !oa.has(r));
  const missingInMd = [...oa].filter((r) => !md.has(r));
  assert.deepEqual({ missingInOpenapi, missingInMd }, { missingInOpenapi: [], missingInMd: [] });
});

test('every documented route is answered by the server (not 404 no_route, not 405)', async () => {
  const s = await ensureSample();
  const failures = [];
  for (const r of openapiRoutes()) {
    const [method, path] = r.split(' ');
    const p = probeRequest(method, path);
    const res = await srv.api(method, fill(path, s) + (p.q || ''), { body: p.body, headers: p.headers });
    // a 404 for a record the sample lacks (a follow-up, a case) is an answer; no_route is not
    const noRoute = res.status === 404 && (!res.json || res.json.error?.reason === 'no_route');
    if (noRoute || res.status === 405 || res.status >= 500) {
      failures.push(`${r} → ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('every method not documented for a path → 405 with Allow listing exactly the documented ones', async () => {
  const s = await ensureSample();
  const failures = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    const documented = Object.keys(item).map((m) => m.toUpperCase()).filter((m) => ALL_METHODS.includes(m));
    for (const method of ALL_METHODS) {
      if (documented.includes(method)) continue;
      const opts = ['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {};
      const res = await srv.api(method, fill(path, s), opts);
      if (res.status !== 405) {
        failures.push(`${method} ${path} → ${res.status} (want 405) ${res.text.slice(0, 150)}`);
        continue;
      }
      if (!res.json || res.json.error?.code !== 'method_not_allowed') failures.push(`${method} ${path}: body ${res.text}`);
      const allow = (res.headers.get('allow') || '').split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
      const allowSet = new Set(allow.filter((m) => m !== 'HEAD' && m !== 'OPTIONS'));
      const want = new Set(documented);
      if (allowSet.size !== want.size || [...want].some((m) => !allowSet.has(m))) {
        failures.push(`${method} ${path}: Allow "${res.headers.get('allow')}" want ${[...want].join(', ')}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('undocumented paths are 404 no_route (the server has no routes the documents lack)', async () => {
  const s = await ensureSample();
  const paths = [
    '/api', '/api/', '/api/complaint', `/api/complaints/${s.number}/timeline`,
    `/api/complaints/${s.number}/events/1`, `/api/complaints/${s.number}/attachments/${s.id}/x`,
    '/api/projects/HY', '/api/projects/HY/buildings', '/api/categories/equipment/lift/x', '/api/staff/lina',
    '/api/reports', '/api/config', '/api/admin', '/api/search', '/api/login', '/api/healthz',
    '/api/openapi.yaml', '/api/HEALTH', '/api/health/', '/api/projects/HY/units/1',
  ];
  const failures = [];
  for (const p of paths) {
    for (const m of ['GET', 'POST']) {
      const res = await srv.api(m, p, m === 'POST' ? { body: {} } : {});
      const ok = res.status === 404 && res.json?.error?.code === 'not_found' && res.json.error.reason === 'no_route';
      if (!ok) failures.push(`${m} ${p} → ${res.status} ${res.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('unknown path under /api/ → 404 no_route, field null, Chinese message', async () => {
  const r = await srv.api('GET', '/api/nope');
  assertError(r, 404, 'not_found', null, 'no_route');
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
});

test('unknown complaint number → 404 field number reason unknown (well-formed and malformed)', async () => {
  for (const n of ['KS-2026-999999', 'KS-1999-000001', 'nonsense', 'KS-2026-', '%E7%94%B5', '0']) {
    const r = await srv.api('GET', `/api/complaints/${n}`);
    assertError(r, 404, 'not_found', 'number', 'unknown');
  }
});

test('405 response carries Allow (GET /api/complaints/{number} has only GET, and so HEAD)', async () => {
  const s = await ensureSample();
  const r = await srv.api('DELETE', `/api/complaints/${s.number}`);
  assertError(r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow').replace(/\s/g, ''), 'GET,HEAD');
});

test('405 for POST /api/health carries Allow: GET', async () => {
  const r = await srv.api('POST', '/api/health', { body: {} });
  assertError(r, 405, 'method_not_allowed');
  assert.match(r.headers.get('allow'), /GET/);
});

test('the server stops cleanly on SIGTERM (exit code 0)', async () => {
  const s = await startServer();
  await s.stop();
  assert.equal(s.exitSignal, null, `killed by ${s.exitSignal}`);
  assert.equal(s.exitCode, 0, `exit code ${s.exitCode}\n${s.stderr().slice(-2000)}`);
});
