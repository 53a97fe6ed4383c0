// The command line: help, exit codes, idempotent init, presets, demo
// determinism and its staff, serve refusing a database that init has not
// prepared, staff accounts and API tokens.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KESU_BIN, startServer } from './lib/server.mjs';

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
  assert.match(list.stdout, /^zhangwei\t张伟\tactive\tyes\toperator@HY$/m);    // a demo account

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

// ---- demo staff ----

// The demo staff and their roles (src/cli/cmd_demo.c): every role but admin, which init makes.
const DEMO_STAFF = {
  zhangwei: 'operator@HY', lina: 'handler@HY', wangfang: 'supervisor@HY', liuyang: 'manager@HY',
  chenjing: 'operator@JX', yangli: 'handler@JX', zhaolei: 'supervisor@JX', huangmin: 'manager@JX',
  zhouqiang: 'executive', wuxia: 'centre', xujun: 'auditor', sunli: 'handler@BJ',
};
const ROLES = ['operator', 'handler', 'supervisor', 'manager', 'executive', 'centre', 'auditor', 'admin'];

function kesuEnv(extra, ...args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  Object.assign(env, { KESU_LANG: 'en' }, extra);
  return spawnSync(KESU_BIN, args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
}

test('demo staff hold every role and share one password, shown once', () => {
  const { db } = freshDb('demostaff.db');
  const r = kesu('demo', '--db', db, '--complaints', '0');
  assert.equal(r.status, 0, r.stderr);
  // the existing line stays, then the accounts and their password
  assert.match(r.stdout, /^kesu: demo data in '.*': 3 projects, 12 staff, 0 complaints$/m);
  assert.match(r.stdout, /demo staff accounts \(for trying kesu out, never for real use\)/);
  for (const [login, role] of Object.entries(DEMO_STAFF))
    assert.match(r.stdout, new RegExp(`^  ${login} +\\S+  ${role}$`, 'm'), login);
  const m = /password of these demo accounts \(shown this one time\): (\S+)$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  const password = m[1];
  assert.ok(password.length >= 16, password);

  const list = kesu('user', 'list', '--db', db).stdout;
  for (const [login, role] of Object.entries(DEMO_STAFF))
    assert.match(list, new RegExp(`^${login}\\t\\S+\\tactive\\tyes\\t${role}$`, 'm'), login);
  const held = new Set(sqlite(db, 'SELECT DISTINCT role FROM memberships').split('\n'));
  for (const role of ROLES) assert.ok(held.has(role), `no one is ${role}`);
  // hashed once for all twelve (argon2id is slow on purpose); the password itself is not stored
  assert.equal(sqlite(db, "SELECT count(DISTINCT password_hash) FROM staff WHERE login != 'admin'"), '1');
  assert.match(sqlite(db, "SELECT password_hash FROM staff WHERE login = 'lina'"), /^\$argon2id\$/);
  assert.ok(!readFileSync(db).includes(password));
  // in the audit log as `kesu user add` records it, and the chain holds
  assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND address = 'cli'"), '13');
  assert.equal(sqlite(db, "SELECT detail FROM audit_log WHERE action = 'user.role' AND object = 'sunli'"),
    '{"project":"BJ","role":"handler"}');
  assert.equal(kesu('audit', 'verify', '--db', db).status, 0);

  // a second run keeps the accounts and their password, and shows none
  const hash = sqlite(db, "SELECT password_hash FROM staff WHERE login = 'lina'");
  const again = kesu('demo', '--db', db, '--complaints', '0');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /demo data in/);
  assert.doesNotMatch(again.stdout, /password|demo staff accounts/);
  assert.equal(sqlite(db, "SELECT password_hash FROM staff WHERE login = 'lina'"), hash);
  assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE action = 'user.add'"), '13');
});

test('KESU_DEMO_PASSWORD gives the demo password; a weak one is refused before anything is written', () => {
  const { db } = freshDb('demopw.db');
  const weak = kesuEnv({ KESU_DEMO_PASSWORD: 'password12' }, 'demo', '--db', db, '--complaints', '0');
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /KESU_DEMO_PASSWORD: password/);
  assert.equal(sqlite(db, 'SELECT count(*) FROM staff'), '1');
  assert.equal(sqlite(db, 'SELECT count(*) FROM projects'), '0');
  // it may not contain a login of the demo staff either
  const login = kesuEnv({ KESU_DEMO_PASSWORD: 'Xx-lina-2026-demo' }, 'demo', '--db', db, '--complaints', '0');
  assert.equal(login.status, 1);
  assert.match(login.stderr, /must not contain the login/);

  const ok = kesuEnv({ KESU_DEMO_PASSWORD: 'Yanshi-Mima-2026' }, 'demo', '--db', db, '--complaints', '0');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /these demo accounts have the password in KESU_DEMO_PASSWORD/);
  assert.doesNotMatch(ok.stdout, /Yanshi|shown this one time/);
  const zh = kesuEnv({ KESU_LANG: 'zh' }, 'demo', '--help');
  assert.match(zh.stdout, /KESU_DEMO_PASSWORD/);
});

test('a demo account signs in with the demo password and holds its role', async () => {
  const password = 'Yanshi-Mima-2026';
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  const srv = await startServer({ env: { ...env, KESU_DEMO_PASSWORD: password }, auth: false });
  try {
    const bad = await srv.api('POST', '/api/session', { body: { login: 'lina', password: 'Wrong-Mima-2026' } });
    assert.equal(bad.status, 401, bad.text);
    const r = await srv.api('POST', '/api/session', { body: { login: 'lina', password } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.login, 'lina');
    assert.deepEqual(r.json.user.roles.map((m) => `${m.role}@${m.project}`), ['handler@HY']);
  } finally {
    await srv.stop();
  }
});

// ---- API tokens ----

const TOKEN = /^kesu_[A-Za-z0-9_-]{43}$/;
const sha256hex = (s) => createHash('sha256').update(s).digest('hex').toUpperCase();

function tokenDb(name) {
  const { db } = freshDb(name);
  const d = kesu('demo', '--db', db, '--complaints', '0');
  assert.equal(d.status, 0, d.stderr);
  return db;
}

test('token add prints the token alone on stdout, once, and stores only its hash', () => {
  const db = tokenDb('tokens.db');
  const r = kesu('token', 'add', '--name', 'hotline CTI', '--user', 'lina',
    '--scopes', 'complaint.read,complaint.create', '--project', 'HY', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  // the only output on stdout, for scripts: token=$(kesu token add ...)
  assert.match(r.stdout, /^kesu_[A-Za-z0-9_-]{43}\n$/);
  const token = r.stdout.trim();
  assert.match(r.stderr, /API token 'hotline CTI' \(id 1\) created for lina/);
  assert.match(r.stderr, /shown\nthis one time/);
  assert.ok(!r.stderr.includes(token.slice(5)));

  // the store keeps SHA-256 of the 43 characters after "kesu_" (http/auth.c checks the same)
  assert.equal(sqlite(db, 'SELECT hex(token_hash) FROM api_tokens WHERE id = 1'), sha256hex(token.slice(5)));
  assert.equal(sqlite(db, "SELECT name || '|' || scopes || '|' || coalesce(created_by, '-') ||" +
    " '|' || (revoked_at IS NULL) FROM api_tokens"), 'hotline CTI|12|-|1');
  // the token text is nowhere in the database: not in a dump, not in the file's bytes
  sqlite(db, 'PRAGMA wal_checkpoint(TRUNCATE);');
  const dump = spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(dump.status, 0, dump.stderr);
  for (const needle of [token, token.slice(5), token.slice(5, 25)]) {
    assert.ok(!dump.stdout.includes(needle), 'the dump holds the token');
    assert.ok(!readFileSync(db).includes(needle), 'the file holds the token');
  }

  // audited in the same transaction, without the token
  const audit = sqlite(db, "SELECT coalesce(actor, '-') || '|' || address || '|' || object || '|' || detail" +
    " FROM audit_log WHERE action = 'token.create'");
  const [actor, address, object, detail] = audit.split('|');
  assert.deepEqual([actor, address, object], ['-', 'cli', 'hotline CTI']);
  assert.deepEqual(JSON.parse(detail), { id: 1, name: 'hotline CTI', login: 'lina',
    scopes: 'complaint.read,complaint.create', project: 'HY' });
  assert.ok(!sqlite(db, 'SELECT group_concat(detail) FROM audit_log').includes(token.slice(5, 25)));

  // a second token is another secret
  const all = kesu('token', 'add', '--name', 'wechat', '--user', 'xujun', '--scopes', '*', '--db', db);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout.trim(), TOKEN);
  assert.notEqual(all.stdout.trim(), token);
  assert.deepEqual(JSON.parse(sqlite(db, "SELECT detail FROM audit_log WHERE object = 'wechat'")),
    { id: 2, name: 'wechat', login: 'xujun', scopes: '*', project: null });
  assert.equal(kesu('audit', 'verify', '--db', db).status, 0);
});

test('token list shows every token, revoked ones too', () => {
  const db = tokenDb('tokenlist.db');
  const empty = kesu('token', 'list', '--db', db);
  assert.equal(empty.status, 0, empty.stderr);
  assert.equal(empty.stdout, 'id\tname\tlogin\tscopes\tproject\tcreated\tlast used\trevoked\n');
  assert.equal(kesu('token', 'add', '--name', 'cti', '--user', 'lina', '--scopes',
    'complaint.create,complaint.read', '--project', 'HY', '--db', db).status, 0);
  assert.equal(kesu('token', 'add', '--name', '微信网关', '--user', 'wuxia', '--scopes', '*', '--db', db).status, 0);
  assert.equal(kesu('token', 'revoke', '1', '--db', db).status, 0);
  const list = kesu('token', 'list', '--db', db);
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  const t = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00';
  // scopes in permission order, whatever order they were given in
  assert.match(lines[1], new RegExp(`^1\tcti\tlina\tcomplaint\\.read,complaint\\.create\tHY\t${t}\t-\t${t}$`));
  assert.match(lines[2], new RegExp(`^2\t微信网关\twuxia\t\\*\t-\t${t}\t-\t-$`));
  assert.doesNotMatch(list.stdout, /kesu_/);
  const zh = kesuIn(null, 'token', 'list', '--db', db);
  assert.match(zh.stdout, /^编号\t名称\t员工\t权限范围/);
});

test('token revoke ends a token, keeps its row, and is audited', () => {
  const db = tokenDb('tokenrevoke.db');
  assert.equal(kesu('token', 'add', '--name', 'cti', '--user', 'lina', '--scopes', '*', '--db', db).status, 0);
  const r = kesu('token', 'revoke', '1', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /API token 1 \(cti\) revoked/);
  assert.equal(sqlite(db, 'SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL'), '1');
  assert.equal(sqlite(db, "SELECT object || '|' || address || '|' || detail FROM audit_log WHERE action = 'token.revoke'"),
    'cti|cli|{"id":1}');

  const twice = kesu('token', 'revoke', '1', '--db', db);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /API token 1 \(cti\) was already revoked at \d{4}-/);
  const unknown = kesu('token', 'revoke', '42', '--db', db);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /there is no API token with id 42/);
  for (const bad of ['x', '0', '-3', '1.5', '9999999999999999999999']) {
    const b = kesu('token', 'revoke', bad, '--db', db);
    assert.equal(b.status, 2, bad);
    assert.match(b.stderr, /not a token id|unknown option/, bad);
  }
  const none = kesu('token', 'revoke', '--db', db);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /which token/);
  // nothing more was logged by the refusals; the name is free again after a revocation
  assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE action = 'token.revoke'"), '1');
  const again = kesu('token', 'add', '--name', 'cti', '--user', 'lina', '--scopes', '*', '--db', db);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(kesu('audit', 'verify', '--db', db).status, 0);
  // in Chinese too
  assert.match(kesuIn(null, 'token', 'revoke', '1', '--db', db).stderr, /已于 .* 吊销/);
  assert.match(kesuIn(null, 'token', 'revoke', '42', '--db', db).stderr, /没有编号为 42 的访问令牌/);
});

test('token add refuses bad input with a message naming it, and writes nothing', () => {
  const db = tokenDb('tokenbad.db');
  assert.equal(kesu('token', 'add', '--name', 'taken', '--user', 'lina', '--scopes', '*', '--db', db).status, 0);
  const cases = [
    [['--user', 'lina', '--scopes', '*'], 2, /needs --name, --user and --scopes/],
    [['--name', 'x', '--scopes', '*'], 2, /needs --name, --user and --scopes/],
    [['--name', 'x', '--user', 'lina'], 2, /needs --name, --user and --scopes/],
    [['--name', '', '--user', 'lina', '--scopes', '*'], 2, /token name must not be empty/],
    [['--name', 'x'.repeat(51), '--user', 'lina', '--scopes', '*'], 2, /token name is too long/],
    [['--name', 'a\tb', '--user', 'lina', '--scopes', '*'], 2, /token name contains control characters/],
    [['--name', 'x', '--user', 'nobody', '--scopes', '*'], 2, /login does not exist/],
    [['--name', 'x', '--user', 'Not A Login', '--scopes', '*'], 2, /login has the wrong format/],
    [['--name', 'x', '--user', 'lina', '--scopes', 'complaint.read,fly'], 2, /scopes .*fly/],
    [['--name', 'x', '--user', 'lina', '--scopes', 'public'], 2, /scopes .*public/],
    [['--name', 'x', '--user', 'lina', '--scopes', ''], 2, /scopes must not be empty/],
    [['--name', 'x', '--user', 'lina', '--scopes', 'complaint.read,'], 2, /scopes must not be empty/],
    [['--name', 'x', '--user', 'lina', '--scopes', 'export,export'], 2, /scopes is given more than once/],
    [['--name', 'x', '--user', 'lina', '--scopes', '*', '--project', 'NOPE'], 2, /project does not exist/],
    [['--name', 'taken', '--user', 'xujun', '--scopes', '*'], 1, /a live API token named 'taken' exists already/],
    [['--name', 'x', '--user', 'lina', '--scopes', '*', 'extra'], 2, /unexpected argument 'extra'/],
    [['--name', 'x', '--user', 'lina', '--scopes', '*', '--nope'], 2, /unknown option '--nope'/],
  ];
  for (const [args, status, re] of cases) {
    const r = kesu('token', 'add', ...args, '--db', db);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')} printed ${r.stdout}`);
  }
  assert.equal(sqlite(db, 'SELECT count(*) FROM api_tokens'), '1');
  assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE action = 'token.create'"), '1');

  const list = kesu('token', 'list', 'extra', '--db', db);
  assert.equal(list.status, 2);
  assert.match(list.stderr, /unexpected argument 'extra'/);
  const opt = kesu('token', 'list', '--scopes', '*', '--db', db);
  assert.equal(opt.status, 2);
  assert.match(opt.stderr, /unknown option '--scopes'/);
  const cmd = kesu('token', 'mint', '--db', db);
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command 'mint'/);
  const fresh = kesu('token', 'list', '--db', join(dir, 'never-initialised.db'));
  assert.equal(fresh.status, 1);
  assert.match(fresh.stderr, /run `kesu init/);
  // Chinese by default
  assert.match(kesuIn(null, 'token', 'add', '--name', 'taken', '--user', 'lina', '--scopes', '*', '--db', db).stderr,
    /已有一个有效的访问令牌名为“taken”/);
});

test('kesu token --help explains every subcommand and the scopes', () => {
  assert.match(kesu('--help').stdout, /\btoken\b/);
  const none = kesu('token');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /usage: kesu token add/);
  for (const args of [['--help'], ['add', '--help'], ['list', '--help'], ['revoke', '--help'], ['-h']]) {
    const r = kesu('token', ...args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /usage: kesu token add --name NAME --user LOGIN --scopes LIST \[--project CODE\]/);
    assert.match(r.stdout, /kesu token list/);
    assert.match(r.stdout, /kesu token revoke ID/);
    assert.match(r.stdout, /--db PATH/);
    for (const scope of ['complaint.read', 'complaint.create', 'export', 'audit.read', 'token.admin'])
      assert.match(r.stdout, new RegExp(`\\b${scope.replace('.', '\\.')}\\b`));
    assert.doesNotMatch(r.stdout, /\bsigned_in\b|\bpublic\b/);
  }
  assert.match(kesuIn(null, 'token', '--help').stdout, /用法:kesu token add/);
});

test('a token from the command line opens the API, within its scopes, until revoked', async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KESU_')));
  const srv = await startServer({ env, auth: false });   // its own token only
  try {
    const add = (...args) => {
      const r = kesu('token', 'add', ...args, '--db', srv.db);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const token = add('--name', 'cti', '--user', 'lina', '--scopes', 'complaint.read', '--project', 'HY');
    const auth = { headers: { Authorization: `Bearer ${token}` } };
    const me = await srv.api('GET', '/api/session', auth);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.login, 'lina');
    assert.equal(me.json.via, 'token');
    assert.deepEqual(me.json.token, { id: 1, name: 'cti', project: 'HY' });
    assert.equal((await srv.api('GET', '/api/complaints', auth)).status, 200);
    // complaint.create is outside its scopes
    const post = await srv.api('POST', '/api/complaints', { ...auth, body: {} });
    assert.equal(post.status, 403, post.text);

    assert.equal(kesu('token', 'revoke', '1', '--db', srv.db).status, 0);
    const after = await srv.api('GET', '/api/session', auth);
    assert.equal(after.status, 401, after.text);
    const list = kesu('token', 'list', '--db', srv.db).stdout;
    const t = '\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\+08:00';
    assert.match(list, new RegExp(`^1\tcti\tlina\tcomplaint\\.read\tHY\t${t}\t${t}\t${t}$`, 'm'));   // used, then revoked
  } finally {
    await srv.stop();
  }
});
