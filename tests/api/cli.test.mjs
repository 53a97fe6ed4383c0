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
  assert.match(init.stdout, /结构版本为 1/);
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
  assert.match(b.stdout, /schema version 1/);
  assert.equal(sqlite(db, 'SELECT count(*) FROM schema_migrations'), '1');
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
