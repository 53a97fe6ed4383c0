// The audit log: changes made through the API and the command line are
// recorded in a hash chain, `kesu audit verify` accepts it whole, and names
// the first broken entry after an edit, a deletion or a swap made behind
// kesu's back with the sqlite3 shell.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { useServer, complaintBody, KESU_BIN } from './lib/server.mjs';

const srv = useServer();

function kesu(...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  env.KESU_LANG = 'en';
  return spawnSync(KESU_BIN, args, { env, encoding: 'utf8', input: '', timeout: 60_000 });
}

function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// A copy of the database as it stands (the server keeps a WAL: check it in first).
let copies = 0;
function copyDb() {
  sqlite(srv.db, 'PRAGMA wal_checkpoint(TRUNCATE);');
  const to = join(srv.dir, `copy-${++copies}.db`);
  copyFileSync(srv.db, to);
  return to;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d4944415478da63f8ffff3f0005fe02fe a7d6a4f20000000049454e44ae426082'.replace(/ /g, ''), 'hex');

let numbers = [];
let total;
before(async () => {
  await srv.ready;
  for (let i = 0; i < 3; i++) {
    const r = await srv.api('POST', '/api/complaints', { body: complaintBody() });
    assert.equal(r.status, 201, r.text);
    numbers.push(r.json.number);
  }
  const ev = await srv.api('POST', `/api/complaints/${numbers[0]}/events`,
    { body: { type: 'note', text: '已联系业主 13800138000' } });
  assert.equal(ev.status, 201, ev.text);
  const at = await srv.api('POST', `/api/complaints/${numbers[1]}/attachments?name=photo.png`,
    { body: PNG, headers: { 'Content-Type': 'image/png' } });
  assert.equal(at.status, 201, at.text);
  const u = kesu('user', 'add', 'auditee', '--name', '审计', '--role', 'handler', '--phone',
    '13900139000', '--email', 'a@example.com', '--db', srv.db);
  assert.equal(u.status, 0, u.stderr);
  total = Number(sqlite(srv.db, 'SELECT count(*) FROM audit_log'));
});

test('every change is in the log, without personal data, and the log verifies', () => {
  const rows = sqlite(srv.db, "SELECT id, coalesce(actor, '-'), coalesce(address, '-'), action," +
    " coalesce(object, '-'), detail FROM audit_log ORDER BY id").split('\n').map((l) => l.split('|'));
  const actions = rows.map((r) => r[3]);
  // init made the first administrator: its entries come first
  assert.deepEqual(actions.slice(0, 2), ['user.add', 'user.role']);
  assert.equal(actions.filter((a) => a === 'complaint.create').length, 3);
  for (const n of numbers) assert.ok(rows.some((r) => r[3] === 'complaint.create' && r[4] === n), n);
  const ev = rows.find((r) => r[3] === 'event.append');
  assert.equal(ev[4], numbers[0]);
  assert.deepEqual(JSON.parse(ev[5]), { seq: 3, type: 'note' });   // 1 registered, 2 its grade
  assert.equal(ev[2], '127.0.0.1');
  assert.equal(ev[1], 'tester');   // the actor is whoever the token belongs to
  assert.ok(rows.some((r) => r[3] === 'attachment.add' && r[4] === numbers[1]));
  const add = rows.find((r) => r[3] === 'user.add' && r[4] === 'auditee');
  assert.equal(add[2], 'cli');
  assert.ok(rows.some((r) => r[3] === 'user.role' && r[4] === 'auditee' &&
    JSON.parse(r[5]).role === 'handler'));
  const text = rows.map((r) => r.join('|')).join('\n');
  for (const secret of ['13800138000', '13900139000', 'a@example.com', 'argon2', 'photo.png', '已联系'])
    assert.ok(!text.includes(secret), `the log holds ${secret}`);
  // ids are consecutive from 1
  rows.forEach((r, i) => assert.equal(Number(r[0]), i + 1));

  const v = kesu('audit', 'verify', '--db', srv.db);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, new RegExp(`audit log ok: ${total} entries, last hash [0-9a-f]{64}`));
});

test('user status and password changes are logged, never the password', () => {
  const before = Number(sqlite(srv.db, 'SELECT count(*) FROM audit_log'));
  assert.equal(kesu('user', 'disable', 'auditee', '--db', srv.db).status, 0);
  const pw = spawnSync(KESU_BIN, ['user', 'passwd', 'auditee', '--password-stdin', '--db', srv.db],
    { env: { ...process.env, KESU_LANG: 'en' }, input: 'Correct-Horse-9x\n', encoding: 'utf8' });
  assert.equal(pw.status, 0, pw.stderr);
  const rows = sqlite(srv.db, `SELECT action, detail FROM audit_log WHERE id > ${before} ORDER BY id`);
  assert.equal(rows, 'user.status|{"status":"disabled"}\nuser.password|{}');
  assert.ok(!sqlite(srv.db, 'SELECT group_concat(detail) FROM audit_log').includes('Correct-Horse'));
  const v = kesu('audit', 'verify', '--db', srv.db);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  total = before + 2;
  assert.match(v.stdout, new RegExp(`ok: ${total} entries`));
});

test('the database refuses to update or delete audit entries', () => {
  for (const sql of ['UPDATE audit_log SET detail = \'{"x":1}\' WHERE id = 1', 'DELETE FROM audit_log WHERE id = 2']) {
    const r = spawnSync('sqlite3', [srv.db, sql], { encoding: 'utf8' });
    assert.notEqual(r.status, 0, sql);
    assert.match(r.stderr, /append-only/);
  }
});

function dropTriggers(db) {
  sqlite(db, 'DROP TRIGGER audit_log_never_changed; DROP TRIGGER audit_log_never_deleted;');
}

test('an edited entry is named: its content no longer matches its hash', () => {
  const db = copyDb();
  dropTriggers(db);
  sqlite(db, 'UPDATE audit_log SET detail = \'{"seq":99,"type":"note"}\' WHERE action = \'event.append\'');
  const id = sqlite(db, "SELECT id FROM audit_log WHERE action = 'event.append'");
  const v = kesu('audit', 'verify', '--db', db);
  assert.equal(v.status, 1, v.stdout + v.stderr);
  assert.match(v.stdout, new RegExp(`broken at entry ${id}: .*\\(altered\\)`));
});

test('a deleted entry is found: the entry after the gap is named', () => {
  const db = copyDb();
  dropTriggers(db);
  const middle = Math.floor(total / 2);
  sqlite(db, `DELETE FROM audit_log WHERE id = ${middle}`);
  const v = kesu('audit', 'verify', '--db', db);
  assert.equal(v.status, 1, v.stdout + v.stderr);
  assert.match(v.stdout, new RegExp(`broken at entry ${middle + 1}: .*\\(gap\\)`));
  // renumbering the rest to close the gap does not help: the next link breaks
  sqlite(db, `UPDATE audit_log SET id = id - 1 WHERE id > ${middle}`);
  const again = kesu('audit', 'verify', '--db', db);
  assert.equal(again.status, 1, again.stdout);
  assert.match(again.stdout, new RegExp(`broken at entry ${middle}: .*\\(broken_link\\)`));
});

test('two entries swapped are found', () => {
  const db = copyDb();
  dropTriggers(db);
  // swap the content of entries 3 and 4, ids staying in place
  sqlite(db, 'UPDATE audit_log SET id = -3 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 4;' +
    ' UPDATE audit_log SET id = 4 WHERE id = -3;');
  const v = kesu('audit', 'verify', '--db', db);
  assert.equal(v.status, 1, v.stdout + v.stderr);
  assert.match(v.stdout, /broken at entry 3: .*\((broken_link|altered)\)/);
});

test('the intact database still verifies, and verify explains itself', () => {
  assert.equal(kesu('audit', 'verify', '--db', srv.db).status, 0);
  const h = kesu('audit', '--help');
  assert.equal(h.status, 0);
  assert.match(h.stdout, /usage: kesu audit verify/);
  assert.equal(kesu('audit').status, 2);
  assert.equal(kesu('audit', 'fix').status, 2);
  assert.match(kesu('--help').stdout, /\baudit\b/);
});
