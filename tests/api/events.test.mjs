// Events: GET/POST /api/complaints/{number}/events.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, complaintBody, hasCJK } from './lib/server.mjs';

const srv = useServer();
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

let number;      // a phone complaint (registered)
let webNumber;   // a web complaint (received)

before(async () => {
  await srv.ready;
  const a = await srv.api('POST', '/api/complaints', { body: complaintBody() });
  assert.equal(a.status, 201, a.text);
  number = a.json.number;
  const b = await srv.api('POST', '/api/complaints', { body: complaintBody({ channel: 'web' }) });
  webNumber = b.json.number;
});

const postEvent = (body, headers = {}, n = number) =>
  srv.api('POST', `/api/complaints/${n}/events`, { body, headers });

test('GET events of a new complaint: registered (customer) and its grade (internal, by rule)', async () => {
  const r = await srv.api('GET', `/api/complaints/${number}/events`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 2);
  const e = r.json.items[0];
  assert.equal(e.seq, 1);
  assert.equal(e.type, 'registered');
  assert.equal(e.visibility, 'customer');
  assert.match(e.at, TIME_RE);
  const g = r.json.items[1];
  assert.deepEqual([g.seq, g.type, g.visibility, g.data.by, g.data.to, g.data.rule], [2, 'grade_changed', 'internal', 'rules', 'C', 'C1']);
  const w = await srv.api('GET', `/api/complaints/${webNumber}/events`);
  assert.equal(w.json.items[0].type, 'received');
  assert.equal(w.json.items[0].visibility, 'customer');
});

test('POST a note → 201, internal, author resolved, seq 3', async () => {
  const r = await postEvent({ type: 'note', text: '已联系电梯维保单位', author: 'tester' });
  assert.equal(r.status, 201, r.text);
  const e = r.json;
  assert.equal(e.seq, 3);
  assert.equal(e.type, 'note');
  assert.equal(e.visibility, 'internal');
  assert.deepEqual(e.author, { login: 'tester', name: '测试员' });
  assert.equal(e.text, '已联系电梯维保单位');
  assert.deepEqual(e.data, {});
  assert.match(e.at, TIME_RE);
  assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 5000);
});

test('POST a reply → 201, visibility customer; author optional: the signed-in user', async () => {
  const r = await postEvent({ type: 'reply', text: '您好,维修人员将于今天下午到场。\n如有疑问请致电。' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.seq, 4);
  assert.equal(r.json.type, 'reply');
  assert.equal(r.json.visibility, 'customer');
  assert.deepEqual(r.json.author, { login: 'tester', name: '测试员' });
  assert.equal(r.json.text, '您好,维修人员将于今天下午到场。\n如有疑问请致电。');
});

test('the timeline in GET /api/complaints/{number} and GET events agree, in order', async () => {
  const g = await srv.api('GET', `/api/complaints/${number}`);
  const e = await srv.api('GET', `/api/complaints/${number}/events`);
  assert.deepEqual(g.json.timeline, e.json.items);
  assert.deepEqual(e.json.items.map((x) => x.seq), [1, 2, 3, 4]);
  assert.deepEqual(e.json.items.map((x) => x.type), ['registered', 'grade_changed', 'note', 'reply']);
});

test('text of 10000 characters (𠮷 counts as one) is accepted', async () => {
  const r = await postEvent({ type: 'note', text: '𠮷'.repeat(10000) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.text, '𠮷'.repeat(10000));
});

test('text is trimmed; emoji and newlines round-trip', async () => {
  const r = await postEvent({ type: 'note', text: '  第一行\n第二行 😀  ' });
  assert.equal(r.status, 201);
  assert.equal(r.json.text, '第一行\n第二行 😀');
});

const INVALID = [
  ['type missing', { text: 'x' }, 'type', 'required'],
  ['type null', { type: null, text: 'x' }, 'type', 'required'],
  ['type bad value', { type: 'comment', text: 'x' }, 'type', 'bad_value'],
  ['type registered (system event)', { type: 'registered', text: 'x' }, 'type', 'bad_value'],
  ['type number', { type: 1, text: 'x' }, 'type', 'bad_type'],
  ['text missing', { type: 'note' }, 'text', 'required'],
  ['text empty', { type: 'note', text: '' }, 'text', 'empty'],
  ['text white space', { type: 'note', text: ' \n ' }, 'text', 'empty'],
  ['text 10001 chars', { type: 'note', text: '记'.repeat(10001) }, 'text', 'too_long'],
  ['text control char', { type: 'note', text: 'a\u0002b' }, 'text', 'bad_character'],
  ['text number', { type: 'note', text: 5 }, 'text', 'bad_type'],
  ['author unknown', { type: 'note', text: 'x', author: 'nobody' }, 'author', 'not_self'],
  ['author someone else', { type: 'note', text: 'x', author: 'lina' }, 'author', 'not_self'],
  ['author number', { type: 'note', text: 'x', author: 3 }, 'author', 'bad_type'],
  ['unknown member', { type: 'note', text: 'x', visibility: 'customer' }, 'visibility', 'unknown_field'],
  ['unknown member seq', { type: 'note', text: 'x', seq: 9 }, 'seq', 'unknown_field'],
];
for (const [title, body, field, reason] of INVALID) {
  test(`POST events 400 ${field} ${reason}: ${title}`, async () => {
    const r = await postEvent(body);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'invalid');
    assert.deepEqual({ field: r.json.error.field, reason: r.json.error.reason }, { field, reason });
    assert.ok(hasCJK(r.json.error.message));
  });
}

test('POST events: body errors (bad_json, not_object, bad_utf8, duplicate key, 415, 413)', async () => {
  let r = await postEvent('{"type":');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.reason, 'bad_json');
  r = await postEvent('[1]');
  assert.equal(r.json.error.reason, 'not_object');
  r = await postEvent(Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.reason, 'bad_utf8');
  r = await postEvent('{"type":"note","type":"reply","text":"x"}');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.reason, 'bad_json');
  r = await srv.api('POST', `/api/complaints/${number}/events`, { body: '{"type":"note","text":"x"}', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(r.status, 415);
  assert.equal(r.json.error.field, 'Content-Type');
  r = await postEvent(JSON.stringify({ type: 'note', text: 'a'.repeat(300_000) }));
  assert.equal(r.status, 413);
  assert.equal(r.json.error.reason, 'body_too_large');
});

test('failed POSTs appended nothing', async () => {
  const e = await srv.api('GET', `/api/complaints/${number}/events`);
  assert.deepEqual(e.json.items.map((x) => x.seq), [1, 2, 3, 4, 5, 6]);
});

test('GET/POST events of an unknown complaint → 404 number unknown', async () => {
  for (const n of ['KS-2000-000001', 'garbage']) {
    const g = await srv.api('GET', `/api/complaints/${n}/events`);
    assert.equal(g.status, 404, g.text);
    assert.deepEqual([g.json.error.field, g.json.error.reason], ['number', 'unknown']);
    const p = await postEvent({ type: 'note', text: 'x' }, {}, n);
    assert.equal(p.status, 404, p.text);
    assert.deepEqual([p.json.error.field, p.json.error.reason], ['number', 'unknown']);
  }
});

test('Idempotency-Key on events: retry returns the same event, replayed; other body → 409', async () => {
  const key = 'ev-' + Math.random().toString(36).slice(2);
  const a = await postEvent({ type: 'reply', text: '重复发送测试' }, { 'Idempotency-Key': key });
  assert.equal(a.status, 201, a.text);
  const b = await postEvent({ type: 'reply', text: '重复发送测试' }, { 'Idempotency-Key': key });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(b.json, a.json);
  const c = await postEvent({ type: 'reply', text: '另一个内容' }, { 'Idempotency-Key': key });
  assert.equal(c.status, 409, c.text);
  assert.equal(c.json.error.reason, 'key_reused');
  const e = await srv.api('GET', `/api/complaints/${number}/events`);
  assert.equal(e.json.items.filter((x) => x.text === '重复发送测试').length, 1);
});

test('concurrent events get distinct consecutive seq numbers', async () => {
  const before = (await srv.api('GET', `/api/complaints/${number}/events`)).json.items.length;
  const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => postEvent({ type: 'note', text: `并发${i}` })));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const seqs = rs.map((r) => r.json.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 10 }, (_, i) => before + 1 + i));
});

test('405 on the events path for PUT and DELETE', async () => {
  for (const m of ['PUT', 'DELETE', 'PATCH']) {
    const r = await srv.api(m, `/api/complaints/${number}/events`, m === 'DELETE' ? {} : { body: {} });
    assert.equal(r.status, 405, `${m}: ${r.text}`);
    const allow = r.headers.get('allow').split(',').map((s) => s.trim()).filter((x) => x !== 'HEAD').sort();
    assert.deepEqual(allow, ['GET', 'POST']);
  }
});
