// Attachments: upload (raw body), list, download byte-exact, validation, size limit.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { useServer, startServer, complaintBody, hasCJK } from './lib/server.mjs';

const srv = useServer();
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

// Small files built from real magic bytes.
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from('0000000d4948445200000001000000010806000000', 'hex'), Buffer.from('1f15c489', 'hex'),
  Buffer.from('0000000d49444154', 'hex'), Buffer.from('78da63f8ffff3f0005fe02fe', 'hex'), Buffer.from('a7d6a4f2', 'hex'),
  Buffer.from('0000000049454e44ae426082', 'hex'),
]);
const JPEG = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'),
  Buffer.from('ffdb004300' + '08'.repeat(64), 'hex'),
  Buffer.from('ffc0000b080001000101011100', 'hex'),
  Buffer.from('ffda0008010100003f00d2cf20', 'hex'),
  Buffer.from('ffd9', 'hex'),
]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
  '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from('010001000000002c00000000010001000002024401003b', 'hex')]);

const sha = (b) => createHash('sha256').update(b).digest('hex');

let number;
let other;
before(async () => {
  await srv.ready;
  const a = await srv.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(a.status, 201, a.text);
  number = a.json.number;
  const b = await srv.api('POST', '/api/complaints', { body: complaintBody() });
  other = b.json.number;
});

const upload = (n, name, type, bytes, extraQuery = '') =>
  srv.api('POST', `/api/complaints/${n}/attachments${name === undefined ? '' : '?name=' + encodeURIComponent(name)}${extraQuery}`,
    { body: bytes, headers: { 'Content-Type': type } });

function assertErr(r, status, code, field, reason) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  assert.equal(r.json.error.field, field, r.text);
  if (Array.isArray(reason)) assert.ok(reason.includes(r.json.error.reason), r.text);
  else assert.equal(r.json.error.reason, reason, r.text);
  assert.ok(hasCJK(r.json.error.message), r.json.error.message);
}

function filenameStar(cd) {
  const m = /filename\*=UTF-8''([^;\s]+)/i.exec(cd || '');
  assert.ok(m, `Content-Disposition ${cd}`);
  assert.match(m[1], /^[A-Za-z0-9!#$&+\-.^_`|~%]+$/, 'RFC 5987 attr-chars and %XX only');
  return decodeURIComponent(m[1]);
}

async function roundTrip(name, type, bytes) {
  const r = await upload(number, name, type, bytes);
  assert.equal(r.status, 201, r.text);
  const a = r.json;
  assert.ok(Number.isInteger(a.id) && a.id > 0);
  assert.equal(a.name, name);
  assert.equal(a.content_type, type);
  assert.equal(a.size, bytes.length);
  assert.equal(a.sha256, sha(bytes));
  assert.match(a.uploaded_at, TIME_RE);
  assert.equal(a.url, `/api/complaints/${number}/attachments/${a.id}`);
  const d = await srv.api('GET', a.url);
  assert.equal(d.status, 200);
  assert.ok(d.bytes.equals(bytes), 'downloaded bytes are the uploaded bytes');
  assert.equal(d.headers.get('content-type'), type);
  assert.equal(d.headers.get('content-length'), String(bytes.length));
  assert.match(d.headers.get('content-disposition'), /^attachment;/);
  assert.equal(filenameStar(d.headers.get('content-disposition')), name);
  assert.equal(d.headers.get('etag'), `"${sha(bytes)}"`);
  return a;
}

test('upload a JPEG named 照片.jpg, download it byte-exact with its headers', async () => {
  const a = await roundTrip('照片.jpg', 'image/jpeg', JPEG);
  const d = await srv.api('GET', a.url);
  assert.match(d.headers.get('content-disposition'), /filename\*=UTF-8''%E7%85%A7%E7%89%87\.jpg/i);
});

test('upload a PNG and a PDF and a GIF', async () => {
  await roundTrip('截图 2026-11-22.png', 'image/png', PNG);
  await roundTrip('维修合同(扫描件).pdf', 'application/pdf', PDF);
  await roundTrip('anim.gif', 'image/gif', GIF);
});

test('a 1 MiB PNG with every byte value round-trips (binary safe)', async () => {
  const bytes = Buffer.concat([PNG.subarray(0, 33), randomBytes(1 << 20), Buffer.alloc(1000, 0)]);
  await roundTrip('big.png', 'image/png', bytes);
});

test('a file name with emoji, spaces, quotes and an astral character round-trips', async () => {
  await roundTrip('𠮷 "报告" 😀;a=b.pdf', 'application/pdf', PDF);
});

test('GET attachments lists them in upload order; the complaint shows them; timeline has internal attachment events', async () => {
  const l = await srv.api('GET', `/api/complaints/${number}/attachments`);
  assert.equal(l.status, 200, l.text);
  const names = l.json.items.map((a) => a.name);
  assert.deepEqual(names.slice(0, 4), ['照片.jpg', '截图 2026-11-22.png', '维修合同(扫描件).pdf', 'anim.gif']);
  const ids = l.json.items.map((a) => a.id);
  assert.equal(new Set(ids).size, ids.length);
  const g = await srv.api('GET', `/api/complaints/${number}`);
  assert.deepEqual(g.json.attachments, l.json.items);
  const evs = g.json.timeline.filter((e) => e.type === 'attachment');
  assert.equal(evs.length, l.json.items.length);
  for (const [i, e] of evs.entries()) {
    assert.equal(e.visibility, 'internal');
    assert.equal(e.data.attachment_id ?? e.data.id, l.json.items[i].id, JSON.stringify(e.data));
    assert.equal(e.data.name, l.json.items[i].name);
  }
  const o = await srv.api('GET', `/api/complaints/${other}/attachments`);
  assert.deepEqual(o.json.items, []);
});

test('every accepted type with matching bytes is accepted', async () => {
  const samples = {
    'image/webp': Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14, 1)]),
    'image/heic': Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic')]),
    'audio/mpeg': Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 10]), Buffer.alloc(10, 0), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(32, 0)]),
    'audio/wav': Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.from([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]), Buffer.from('data'), Buffer.alloc(4, 0)]),
    'audio/amr': Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(13, 0x3c)]),
    'audio/mp4': Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.from([0, 0, 0, 0]), Buffer.from('M4A mp42isom'), Buffer.alloc(4, 0)]),
    'video/mp4': Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41')]),
  };
  const fails = [];
  for (const [type, bytes] of Object.entries(samples)) {
    const r = await upload(number, 'f.' + type.split('/')[1], type, bytes);
    if (r.status !== 201) fails.push(`${type}: ${r.status} ${r.text}`);
  }
  assert.deepEqual(fails, []);
});

test('bytes that do not look like the declared type → 400 body content_mismatch', async () => {
  for (const [type, bytes] of [['image/jpeg', PNG], ['image/png', JPEG], ['application/pdf', Buffer.from('hello world, not a pdf')],
    ['image/gif', PDF], ['image/png', Buffer.from('89504e47', 'hex')]]) {
    assertErr(await upload(number, 'x.bin', type, bytes), 400, 'invalid', 'body', 'content_mismatch');
  }
});

test('empty upload → 400 body empty', async () => {
  assertErr(await upload(number, 'empty.png', 'image/png', Buffer.alloc(0)), 400, 'invalid', 'body', 'empty');
});

for (const type of ['text/plain', 'application/octet-stream', 'image/svg+xml', 'application/json', 'application/zip']) {
  test(`unsupported Content-Type ${type} → 415 Content-Type unsupported_type`, async () => {
    assertErr(await upload(number, 'x', type, PNG), 415, 'unsupported_media_type', 'Content-Type', 'unsupported_type');
  });
}

test('Content-Type in upper case is understood (media types are case-insensitive)', async () => {
  const r = await upload(number, 'case.png', 'Image/PNG', PNG);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.content_type, 'image/png');
});

const NAMES = [
  ['name missing', undefined, 'required'],
  ['name empty', '', ['empty', 'required']],
  ['name white space', '   ', 'empty'],
  ['name 201 chars', '图'.repeat(197) + '.jpg', 'too_long'],
  ['name with /', 'a/b.jpg', 'bad_character'],
  ['name with \\', 'a\\b.jpg', 'bad_character'],
  ['name ../ traversal', '../../etc/passwd', 'bad_character'],
  ['name with a control char', 'a\u0001b.jpg', 'bad_character'],
  ['name with a newline', 'a\nb.jpg', 'bad_character'],
  ['name with NUL', 'a\u0000b.jpg', 'bad_character'],
];
for (const [title, name, reason] of NAMES) {
  test(`upload: ${title} → 400 name ${reason}`, async () => {
    assertErr(await upload(number, name, 'image/jpeg', JPEG), 400, 'invalid', 'name', reason);
  });
}

test('upload: name of 200 characters is accepted', async () => {
  const name = '图'.repeat(196) + '.jpg';
  const r = await upload(number, name, 'image/jpeg', JPEG);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, name);
});

test('upload: name invalid UTF-8 → 400 name bad_utf8', async () => {
  const r = await srv.api('POST', `/api/complaints/${number}/attachments?name=%FF%FE.jpg`, { body: JPEG, headers: { 'Content-Type': 'image/jpeg' } });
  assertErr(r, 400, 'invalid', 'name', 'bad_utf8');
});

test('upload: repeated and unknown query parameters', async () => {
  assertErr(await upload(number, 'a.jpg', 'image/jpeg', JPEG, '&name=b.jpg'), 400, 'invalid', 'name', 'repeated');
  assertErr(await upload(number, 'a.jpg', 'image/jpeg', JPEG, '&size=3'), 400, 'invalid', 'size', 'unknown_parameter');
});

test('upload to an unknown complaint → 404 number unknown', async () => {
  const r = await upload('KS-2000-000001', 'a.jpg', 'image/jpeg', JPEG);
  assertErr(r, 404, 'not_found', 'number', 'unknown');
  const l = await srv.api('GET', '/api/complaints/KS-2000-000001/attachments');
  assertErr(l, 404, 'not_found', 'number', 'unknown');
});

test('download: unknown id, id of another complaint, malformed id → 404', async () => {
  const l = await srv.api('GET', `/api/complaints/${number}/attachments`);
  const id = l.json.items[0].id;
  for (const path of [`/api/complaints/${number}/attachments/999999`, `/api/complaints/${other}/attachments/${id}`,
    `/api/complaints/${number}/attachments/abc`, `/api/complaints/${number}/attachments/0`,
    `/api/complaints/${number}/attachments/-1`, `/api/complaints/KS-2000-000001/attachments/${id}`]) {
    const r = await srv.api('GET', path);
    assert.equal(r.status, 404, `${path}: ${r.status} ${r.text}`);
    assert.equal(r.json.error.code, 'not_found');
  }
});

test('the failed uploads stored nothing', async () => {
  const l = await srv.api('GET', `/api/complaints/${number}/attachments`);
  const names = l.json.items.map((a) => a.name);
  assert.ok(!names.includes('x.bin') && !names.includes('empty.png') && !names.includes('x'), names.join(','));
});

test('attachment_max (KESU_ATTACHMENT_MAX=2048): 2048 bytes accepted, 2049 → 413 body too_large, refused before reading', async (t) => {
  const s = await startServer({ env: { KESU_ATTACHMENT_MAX: '2048' } });
  t.after(() => s.stop());
  const c = await s.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(c.status, 201, c.text);
  const n = c.json.number;
  const exact = Buffer.concat([PNG.subarray(0, 33), Buffer.alloc(2048 - 33, 7)]);
  const ok = await s.api('POST', `/api/complaints/${n}/attachments?name=ok.png`, { body: exact, headers: { 'Content-Type': 'image/png' } });
  assert.equal(ok.status, 201, ok.text);
  const big = Buffer.concat([exact, Buffer.from([7])]);
  const r = await s.api('POST', `/api/complaints/${n}/attachments?name=big.png`, { body: big, headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.error.code, 'too_large');
  assert.equal(r.json.error.field, 'body');
  assert.equal(r.json.error.reason, 'too_large');
  const raw = await s.raw(`POST /api/complaints/${n}/attachments?name=huge.png HTTP/1.1\r\nHost: x\r\n` +
    'Content-Type: image/png\r\nContent-Length: 50000000\r\n\r\n', { timeout: 3000 });
  assert.ok(!raw.timedOut, 'answered without the body');
  assert.equal(raw.status, 413);
  assert.equal(raw.json.error.reason, 'too_large');
  const l = await s.api('GET', `/api/complaints/${n}/attachments`);
  assert.deepEqual(l.json.items.map((a) => a.name), ['ok.png']);
  const h = await s.api('GET', '/api/health');
  assert.equal(h.status, 200);
});
