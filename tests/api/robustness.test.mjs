// ~200 malformed or hostile requests; the server must answer each with a 4xx (or close
// the connection), never a 5xx, never hang, and still answer /api/health afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useServer, complaintBody } from './lib/server.mjs';

const srv = useServer();

// Deterministic pseudo-random generator so a failure can be reproduced.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}
const rand = rng(20261122);
const pick = (a) => a[Math.floor(rand() * a.length)];
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

function req(method, path, { headers = {}, body } = {}) {
  const b = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  let head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (body !== undefined && !('Content-Length' in headers) && !('Transfer-Encoding' in headers)) head += `Content-Length: ${b.length}\r\n`;
  return Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), b]);
}

function cases() {
  const out = [];
  const add = (name, data, opts) => out.push({ name, data, opts });
  // Random bytes bodies to every POST route.
  for (let i = 0; i < 50; i++) {
    const path = pick(['/api/complaints', '/api/complaints/KS-2026-000001/events', '/api/complaints/KS-2026-000001/attachments?name=a.png']);
    const ct = pick(['application/json', 'image/png', 'application/pdf', 'text/plain']);
    add(`random body ${i} → ${path} (${ct})`, req('POST', path, { headers: { 'Content-Type': ct }, body: bytes(1 + Math.floor(rand() * 4000)) }));
  }
  // JSON-ish mutations of a valid body.
  const valid = JSON.stringify(complaintBody());
  for (let i = 0; i < 40; i++) {
    const b = Buffer.from(valid);
    const n = 1 + Math.floor(rand() * 8);
    for (let k = 0; k < n; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    add(`mutated JSON ${i}`, req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: b }));
  }
  // Truncated valid bodies (Content-Length says more than sent is handled by timeout/close; here it says what is sent).
  for (let i = 0; i < 10; i++) {
    const cut = Math.floor(rand() * valid.length);
    add(`truncated JSON ${i}`, req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.slice(0, cut) }));
  }
  // Deep nesting and huge numbers.
  add('deeply nested arrays', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: '['.repeat(100000) + ']'.repeat(100000) }));
  add('deeply nested objects', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: '{"a":'.repeat(50000) + '1' + '}'.repeat(50000) }));
  add('deep nesting in a member', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.replace('"subject":', '"flags":' + '['.repeat(20000) + ']'.repeat(20000) + ',"subject":') }));
  add('huge number', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.replace('{', '{"headcount":1' + '0'.repeat(5000) + ',') }));
  add('huge exponent', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.replace('{', '{"loss_amount":1e999999,') }));
  add('NaN literal', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.replace('{', '{"headcount":NaN,') }));
  add('many members', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: '{' + Array.from({ length: 10000 }, (_, i) => `"k${i}":${i}`).join(',') + '}' }));
  add('BOM before JSON', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]) }));
  add('NUL inside JSON', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json' }, body: valid.replace('{', '{\u0000') }));
  // Weird paths.
  const paths = [
    '/api/complaints/%00', '/api/%00health', '/api/health%00', '/api/complaints/KS-2026-000001%00/events',
    '/api/../api/health', '/api/complaints/../../etc/passwd', '/api/complaints/..%2f..%2fetc%2fpasswd',
    '/api/complaints/%2e%2e/%2e%2e/', '/api//complaints', '//api/health', '/api/complaints/%',
    '/api/complaints/%zz', '/api/complaints/%E7%94', '/api/complaints?%', '/api/complaints?limit=%00',
    '/api/complaints?q=%00', '/api/complaints?q=%ED%A0%80', '/api/complaints?=&=&&&', '/api/complaints?limit',
    '/api/complaints?cursor=' + 'A'.repeat(5000), '/api/projects/%00/units?building=1', '/api/projects/HY/units?building=%FF',
    '/api/complaints/' + 'K'.repeat(10000), '/api/' + 'a/'.repeat(3000), '/api/complaints?' + 'a=1&'.repeat(2000),
    '/api/complaints/' + encodeURIComponent('𠮷😀'), '/api/complaints/KS-2026-000001/attachments/99999999999999999999999',
    '/api/complaints/KS-2026-000001/attachments/1e3', '*', 'api/health', '/', '/index.html', '/api/health?x=1',
    '/api/complaints/KS-2026-000001/attachments/%31',
  ];
  for (const p of paths) add(`path ${p.slice(0, 60)}`, req('GET', p));
  add('very long URL (1 MB)', req('GET', '/api/complaints?q=' + 'a'.repeat(1 << 20)));
  // Huge and odd headers.
  add('huge header value', req('GET', '/api/health', { headers: { 'X-Big': 'x'.repeat(200_000) } }));
  add('many headers', req('GET', '/api/health', { headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-H${i}`, 'v'])) }));
  add('huge Accept-Language', req('GET', '/api/nope', { headers: { 'Accept-Language': 'en;q=0.1,'.repeat(5000) } }));
  add('odd Accept-Language', req('GET', '/api/nope', { headers: { 'Accept-Language': ';;;,,,q=,en;q=abc,*' } }));
  add('huge Idempotency-Key', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k'.repeat(50_000) }, body: valid }));
  add('huge Content-Type', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json; ' + 'a=b; '.repeat(10000) }, body: valid }));
  add('negative Content-Length', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Content-Length': '-1' }, body: valid }));
  add('garbage Content-Length', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Content-Length': 'abc' }, body: valid }));
  add('overflowing Content-Length', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Content-Length': '99999999999999999999999' }, body: valid }));
  add('two Content-Lengths', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Content-Length': `${valid.length}, 5` }, body: valid }));
  add('bad chunked encoding', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: 'zz\r\nabc\r\n0\r\n\r\n' }));
  add('chunk size overflow', req('POST', '/api/complaints', { headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: 'ffffffffffffffffff\r\nabc\r\n' }));
  add('header with NUL', Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n', 'latin1'));
  add('header without colon', Buffer.from('GET /api/health HTTP/1.1\r\nHost x\r\nConnection: close\r\n\r\n'));
  add('UTF-8 in header name', Buffer.concat([Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\n'), Buffer.from('名字: 值\r\n'), Buffer.from('Connection: close\r\n\r\n')]));
  // Broken request lines.
  for (const line of ['GARBAGE', 'GET', 'GET /api/health', 'GET /api/health HTTP/9.9', 'GET /api/health HTTP/1.1 extra',
    'get /api/health HTTP/1.1', 'BREW /api/health HTTP/1.1', 'TRACE /api/health HTTP/1.1', 'CONNECT 127.0.0.1:80 HTTP/1.1',
    'GET  /api/health  HTTP/1.1', '\u0016\u0003\u0001\u0002\u0000\u0001', 'PRI * HTTP/2.0\r\n\r\nSM']) {
    add(`request line ${JSON.stringify(line).slice(0, 40)}`, Buffer.from(`${line}\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'), { halfClose: true });
  }
  // Pure random connections.
  // they are usually an incomplete request: half-close so the server knows nothing more comes
  for (let i = 0; i < 28; i++) add(`random bytes ${i}`, bytes(1 + Math.floor(rand() * 3000)), { halfClose: true });
  // Pipelined requests on one connection.
  add('pipelined requests', Buffer.concat([
    Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.from('GET /api/nope HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
  ]));
  return out;
}

test('~200 malformed requests: no 5xx, no hang, the server stays up', async () => {
  const list = cases();
  assert.ok(list.length >= 195, `${list.length} cases`);
  const failures = [];
  for (const c of list) {
    const r = await srv.raw(c.data, { timeout: 8000, ...c.opts });
    // 501 (method not implemented) and 505 (HTTP version) are proper answers to broken request lines.
    if (r.status !== undefined && r.status >= 500 && r.status !== 501 && r.status !== 505) {
      failures.push(`${c.name}: ${r.status} ${r.body.toString().slice(0, 200)}`);
    }
    if (r.timedOut) failures.push(`${c.name}: no answer and no close within 8 s`);
    // still alive?
    const h = await srv.api('GET', '/api/health').catch((e) => ({ status: 0, text: String(e) }));
    if (h.status !== 200) {
      failures.push(`${c.name}: /api/health then answered ${h.status} ${h.text}`);
      break;
    }
  }
  assert.deepEqual(failures, []);
});

// Data and FIN arriving together used to be read as one edge under epoll: the end of
// the stream was never seen and the connection hung until the 30 s timeout.
test('incomplete requests half-closed at once by many clients are all closed promptly', async () => {
  const partial = Buffer.alloc(405, 0x41); // no line end: the request line never completes
  const hung = [];
  for (let round = 0; round < 4; round++) {
    const rs = await Promise.all(Array.from({ length: 50 }, () =>
      srv.raw(partial, { timeout: 4000, halfClose: true, auth: false })));
    rs.forEach((r, i) => { if (r.timedOut) hung.push(`round ${round} connection ${i}`); });
  }
  assert.deepEqual(hung, []);
});

test('a slow client (headers trickled) does not block other requests', async () => {
  const pending = srv.raw([Buffer.from('GET /api/health HTTP/1.1\r\n')], { timeout: 1500 });
  const h = await srv.api('GET', '/api/health');
  assert.equal(h.status, 200);
  await pending;
});

test('many connections opened and dropped mid-request', async () => {
  const half = Buffer.from('POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"chan');
  await Promise.all(Array.from({ length: 100 }, () => srv.raw(half, { timeout: 200 })));
  const h = await srv.api('GET', '/api/health');
  assert.equal(h.status, 200);
  const c = await srv.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(c.status, 201, c.text);
});

test('random JSON values in every member of the registration: never 5xx', async () => {
  const values = [null, true, false, 0, -1, 1e308, 'x', '', ' ', '\u0000', '电'.repeat(300), [], {}, [1, 2], { a: 1 }, '😀', '\ud83d'];
  const keys = Object.keys({ ...complaintBody(), kind: 0, comm_type: 0, received_at: 0, received_by: 0, building: 0, unit: 0, headcount: 0, demands: 0, category: 0, subcategory: 0, flags: 0, loss_amount: 0 });
  const failures = [];
  for (const k of keys) {
    for (const v of values) {
      const b = complaintBody();
      b[k] = v;
      const r = await srv.api('POST', '/api/complaints', { body: JSON.stringify(b) });
      if (r.status >= 500 || (r.status !== 201 && r.status !== 400)) failures.push(`${k}=${JSON.stringify(v).slice(0, 20)}: ${r.status} ${r.text.slice(0, 120)}`);
      if (r.status === 400 && !r.json?.error?.field) failures.push(`${k}=${JSON.stringify(v).slice(0, 20)}: 400 without field`);
    }
  }
  assert.deepEqual(failures, []);
});

test('the server is still healthy and the data is intact at the end', async () => {
  const h = await srv.api('GET', '/api/health');
  assert.equal(h.status, 200);
  const l = await srv.api('GET', '/api/complaints?limit=100');
  assert.equal(l.status, 200);
  void randomBytes;
});
