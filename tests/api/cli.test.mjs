// The command line: help, exit codes, idempotent init, presets, demo
// determinism, and serve refusing a database that init has not prepared.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KESU_BIN } from './lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'kesu-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Run kesu with a clean KESU_* environment and no kesu.conf in the way; in
// English, so that the assertions below can name the messages.
function kesuIn(lang, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  if (lang) env.KESU_LANG = lang;
  return spawnSync(KESU_BIN, args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
}
const kesu = (...args) => kesuIn('en', ...args);

test('the command line speaks Chinese unless KESU_LANG=en', () => {
  const zh = kesuIn(null, '--help');
  assert.equal(zh.status, 0);
  assert.match(zh.stdout, /用法:kesu <命令>/);
  assert.match(kesuIn(null, 'init', '--help').stdout, /用法:kesu init/);
  assert.match(kesuIn(null, 'init', '--nope').stderr, /不认识的选项 '--nope'/);
  const db = join(dir, 'zh.db');
  const init = kesuIn(null, 'init', '--db', db);
  assert.match(init.stdout, /结构版本为 \d+/);
  const again = kesuIn(null, 'init', '--db', db, '--preset', 'hospital');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /分类预设:已设定,不能更改/);
  assert.match(kesuIn('en', '--help').stdout, /^kesu .*\n\nusage: kesu <command>/);
});

function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('kesu --help and every subcommand --help explain themselves and exit 0', () => {
  const top = kesu('--help');
  assert.equal(top.status, 0);
  for (const cmd of ['init', 'serve', 'demo', 'version']) assert.match(top.stdout, new RegExp(`\\b${cmd}\\b`));
  for (const cmd of ['init', 'serve', 'demo']) {
    const r = kesu(cmd, '--help');
    assert.equal(r.status, 0, `${cmd} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`usage: kesu ${cmd}`));
    assert.match(r.stdout, /--db PATH/);
  }
});

test('no command, an unknown command and an unknown option are usage errors (exit 2)', () => {
  assert.equal(kesu().status, 2);
  const unknown = kesu('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const opt = kesu('init', '--nope');
  assert.equal(opt.status, 2);
  assert.match(opt.stderr, /unknown option '--nope'/);
  const missing = kesu('init', '--db');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--db needs a value/);
});

test('kesu version prints the version', () => {
  const r = kesu('version');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^kesu \d+\.\d+\.\d+\n$/);
});

test('init is idempotent and records its migrations', () => {
  const db = join(dir, 'idem.db');
  const a = kesu('init', '--db', db);
  assert.equal(a.status, 0, a.stderr);
  const b = kesu('init', '--db', db);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /schema version \d+/);
  // every migration recorded once, none applied twice
  assert.equal(sqlite(db, 'SELECT count(*) = max(version) FROM schema_migrations'), '1');
  assert.equal(sqlite(db, 'SELECT count(*) FROM categories WHERE parent_id = 0'), '9');
});

test('init --preset picks the taxonomy; another preset later is refused', () => {
  const db = join(dir, 'hospital.db');
  assert.equal(kesu('init', '--db', db, '--preset', 'hospital').status, 0);
  assert.equal(sqlite(db, "SELECT value FROM settings WHERE key = 'taxonomy_preset'"), 'hospital');
  assert.equal(sqlite(db, 'SELECT count(*) FROM categories WHERE parent_id = 0'), '7');
  const again = kesu('init', '--db', db, '--preset', 'property');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already uses the taxonomy preset 'hospital'/);
  const bad = kesu('init', '--db', join(dir, 'x.db'), '--preset', 'zoo');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown taxonomy preset 'zoo'/);
});

test('demo is deterministic: the same seed and --now give the same data', () => {
  const dump = (db) => sqlite(db, "SELECT group_concat(number || '|' || subject || '|' || content || '|' ||" +
    " coalesce(c_phone, '') || '|' || received_at, char(10)) FROM (SELECT * FROM complaints ORDER BY id)");
  const make = (name, seed) => {
    const db = join(dir, name);
    assert.equal(kesu('init', '--db', db).status, 0);
    const r = kesu('demo', '--db', db, '--complaints', '300', '--seed', String(seed), '--now', '2026-06-30T12:00+08:00');
    assert.equal(r.status, 0, r.stderr);
    return db;
  };
  const a = dump(make('demo-a.db', 7));
  const b = dump(make('demo-b.db', 7));
  const c = dump(make('demo-c.db', 8));
  assert.equal(a.split('\n').length, 300);
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('demo covers every channel and every category over twelve months', () => {
  const db = join(dir, 'cover.db');
  assert.equal(kesu('init', '--db', db).status, 0);
  assert.equal(kesu('demo', '--db', db, '--now', '2026-11-22T09:00+08:00').status, 0);
  assert.equal(sqlite(db, 'SELECT count(*) FROM complaints'), '2000');
  assert.equal(sqlite(db, 'SELECT count(DISTINCT channel) FROM complaints'), '9');
  assert.equal(sqlite(db, 'SELECT count(DISTINCT category_id) FROM complaints'), '9');
  assert.equal(sqlite(db, 'SELECT count(*) FROM projects'), '3');
  const span = Number(sqlite(db, 'SELECT max(received_at) - min(received_at) FROM complaints'));
  assert.ok(span > 360 * 86400 && span <= 366 * 86400, `span ${span}`);
  // numbers have no gaps within each year's series
  const gaps = sqlite(db, "SELECT count(*) FROM (SELECT substr(number, 4, 4) AS y, count(*) AS n," +
    " max(CAST(substr(number, 9) AS INTEGER)) AS m FROM complaints GROUP BY y) WHERE n != m");
  assert.equal(gaps, '0');
});

test('demo and serve refuse a database init has not prepared', () => {
  const db = join(dir, 'fresh.db');
  const d = kesu('demo', '--db', db, '--complaints', '1');
  assert.equal(d.status, 1);
  assert.match(d.stderr, /run `kesu init/);
  const s = kesu('serve', '--db', db, '--listen', '127.0.0.1:0');
  assert.equal(s.status, 1);
  assert.match(s.stderr, /run `kesu init/);
});

test('bad option values are refused with a message naming them', () => {
  const db = join(dir, 'opts.db');
  assert.equal(kesu('init', '--db', db).status, 0);
  const n = kesu('demo', '--db', db, '--complaints', '-5');
  assert.equal(n.status, 2);
  assert.match(n.stderr, /--complaints takes a whole number/);
  const t = kesu('demo', '--db', db, '--now', 'yesterday');
  assert.equal(t.status, 2);
  assert.match(t.stderr, /--now/);
  const l = kesu('serve', '--db', db, '--listen', '127.0.0.1:99999');
  assert.equal(l.status, 2);
  assert.match(l.stderr, /listen/);
});

test('kesu.conf is read, and KESU_* variables override it', () => {
  const db = join(dir, 'conf.db');
  writeFileSync(join(dir, 'kesu.conf'), `# test\ndb = ${db}\nnumber_prefix = TS\n`);
  try {
    const r = kesu('init');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    writeFileSync(join(dir, 'kesu.conf'), 'db = conf.db\nno_such_key = 1\n');
    const bad = kesu('init');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no_such_key/);
  } finally {
    rmSync(join(dir, 'kesu.conf'), { force: true });
  }
});

// ---- staff accounts ----

function kesuStdin(input, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  env.KESU_LANG = 'en';
  return spawnSync(KESU_BIN, args, { cwd: dir, env, input, encoding: 'utf8', timeout: 60_000 });
}

function freshDb(name) {
  const db = join(dir, name);
  const r = kesu('init', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  return { db, init: r };
}

test('init creates the first administrator once, with a password shown once', () => {
  const { db, init } = freshDb('admin.db');
  assert.match(init.stdout, /created the first administrator admin/);
  const m = /password of admin \(shown this one time[^)]*\): (\S+)/.exec(init.stdout);
  assert.ok(m, init.stdout);
  assert.ok(m[1].length >= 16);
  assert.match(sqlite(db, "SELECT password_hash FROM staff WHERE login = 'admin'"), /^\$argon2id\$/);
  assert.equal(sqlite(db, "SELECT role FROM memberships m JOIN staff s ON s.id = m.staff_id WHERE s.login = 'admin'"), 'admin');
  const again = kesu('init', '--db', db);
  assert.equal(again.status, 0);
  assert.doesNotMatch(again.stdout, /administrator|password/);
  // the password itself is never stored
  assert.equal(sqlite(db, `SELECT count(*) FROM staff WHERE password_hash LIKE '%${m[1]}%'`), '0');
});

test('KESU_ADMIN_PASSWORD sets the first password; a weak one is refused', () => {
  const env = (pw) => Object.assign(
    Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_'))),
    { KESU_LANG: 'en', KESU_ADMIN_PASSWORD: pw });
  const weak = spawnSync(KESU_BIN, ['init', '--db', join(dir, 'weak.db')], { cwd: dir, env: env('12345678'), encoding: 'utf8' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /password/);
  const ok = spawnSync(KESU_BIN, ['init', '--db', join(dir, 'given.db')], { cwd: dir, env: env('Kesu-Guanli-2026'), encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /created the first administrator admin/);
  assert.doesNotMatch(ok.stdout, /shown this one time/);
});

test('user add, list, disable, enable and passwd', () => {
  const { db } = freshDb('users.db');
  assert.equal(kesu('demo', '--db', db, '--complaints', '0').status, 0);
  const add = kesuStdin('Chuli-Yuan-2026\n', 'user', 'add', 'wang.li', '--db', db, '--name', '王丽',
    '--role', 'handler@HY', '--role', 'supervisor@JX', '--phone', '138 0013 8000',
    '--email', 'wangli@example.com', '--password-stdin');
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.stdout, /added staff member wang.li/);
  assert.doesNotMatch(add.stdout, /shown this one time/);
  assert.equal(sqlite(db, "SELECT phone || ' ' || email || ' ' || status FROM staff WHERE login = 'wang.li'"),
    '13800138000 wangli@example.com active');

  const gen = kesu('user', 'add', 'zhao.qi', '--db', db, '--name', '赵琪', '--role', 'auditor');
  assert.equal(gen.status, 0, gen.stderr);
  assert.match(gen.stdout, /password of zhao.qi \(shown this one time[^)]*\): \S{16,}/);

  const list = kesu('user', 'list', '--db', db);
  assert.equal(list.status, 0, list.stderr);
  const line = list.stdout.split('\n').find((l) => l.startsWith('wang.li\t'));
  assert.equal(line, 'wang.li\t王丽\tactive\tyes\thandler@HY,supervisor@JX');
  assert.match(list.stdout, /^zhao\.qi\t赵琪\tactive\tyes\tauditor$/m);
  assert.match(list.stdout, /^zhangwei\t张伟\tactive\t-\t$/m);    // demo staff cannot log in

  assert.equal(kesu('user', 'disable', 'wang.li', '--db', db).status, 0);
  assert.match(kesu('user', 'list', '--db', db).stdout, /^wang\.li\t王丽\tdisabled\t/m);
  assert.equal(kesu('user', 'enable', 'wang.li', '--db', db).status, 0);
  assert.match(kesu('user', 'list', '--db', db).stdout, /^wang\.li\t王丽\tactive\t/m);

  const before = sqlite(db, "SELECT password_hash FROM staff WHERE login = 'wang.li'");
  const pw = kesuStdin('Xin-Mima-2027!\n', 'user', 'passwd', 'wang.li', '--db', db, '--password-stdin');
  assert.equal(pw.status, 0, pw.stderr);
  assert.notEqual(sqlite(db, "SELECT password_hash FROM staff WHERE login = 'wang.li'"), before);
});

test('user add refuses bad input with a message naming it', () => {
  const { db } = freshDb('badusers.db');
  assert.equal(kesu('demo', '--db', db, '--complaints', '0').status, 0);
  const cases = [
    [['user', 'add', 'Bad Login', '--name', 'x'], /login/],
    [["user", "add", "ok.login"], /name/],
    [['user', 'add', 'ok.login', '--name', 'x', '--role', 'boss'], /unknown role 'boss'/],
    [['user', 'add', 'ok.login', '--name', 'x', '--role', 'handler@NOPE'], /project/],
    [['user', 'add', 'ok.login', '--name', 'x', '--phone', '12345'], /phone/],
    [['user', 'add', 'ok.login', '--name', 'x', '--email', 'not-an-email'], /e-mail/],
    [['user', 'add'], /which staff member/],
    [['user', 'fly', 'x'], /unknown command 'fly'/],
  ];
  for (const [args, re] of cases) {
    const r = kesu(...args, '--db', db);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
  const weak = kesuStdin('abcdefgh12\n', 'user', 'add', 'ok.login', '--name', 'x', '--db', db, '--password-stdin');
  assert.equal(weak.status, 2);
  assert.match(weak.stderr, /password/);
  assert.equal(kesu('user', 'add', 'dup.one', '--name', 'x', '--db', db).status, 0);
  const dup = kesu('user', 'add', 'dup.one', '--name', 'x', '--db', db);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /exists/);
  const missing = kesu('user', 'disable', 'nobody', '--db', db);
  assert.notEqual(missing.status, 0);
  // nothing half-made: the refused users do not exist
  assert.equal(sqlite(db, "SELECT count(*) FROM staff WHERE login = 'ok.login'"), '0');
});
