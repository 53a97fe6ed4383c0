// Black-box test helper: start a kesu server on a fresh database and talk to it.
//
//   const srv = await startServer({ env: { KESU_ATTACHMENT_MAX: '2048' } });
//   const r = await srv.api('POST', '/api/complaints', { body: {...} });
//   await srv.stop();
//
// or, inside a node:test file, `const srv = useServer(opts)` which starts the
// server in a `before` hook and stops it in an `after` hook.
//
// Only Node built-ins are used.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { before, after } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');
export const KESU_BIN = process.env.KESU_BIN || join(repoRoot, 'build', 'test', 'kesu');

const READY_TIMEOUT_MS = 10_000;
const live = new Set(); // child processes still running
const tempDirs = new Set();

// Last-resort cleanup: never leave servers or temp dirs behind.
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  for (const d of tempDirs) {
    try { rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => process.exit(130));
}

function runCli(args, env) {
  const r = spawnSync(KESU_BIN, args, { env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`kesu ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`kesu ${args.join(' ')} exited ${r.status} (signal ${r.signal})\n` +
      `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return r;
}

// Spawn `kesu serve` and resolve once it prints "listening on http://HOST:PORT".
function spawnServe(db, env, listen = '127.0.0.1:0') {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(KESU_BIN, ['serve', '--db', db, '--listen', listen], {
      env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stderr = '';
    let done = false;
    const fail = (msg) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try { child.kill('SIGKILL'); } catch { /* ignore */ }
      reject(new Error(`${msg}\n--- kesu serve stderr ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`kesu serve did not print "listening on" within ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS);
    child.stdout.on('data', () => {}); // drain
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
      const m = /listening on http:\/\/([^\s:/]+|\[[^\]]+\]):(\d+)/.exec(stderr);
      if (m && !done) {
        done = true;
        clearTimeout(timer);
        resolvePromise({ child, host: m[1], port: Number(m[2]), stderr: () => stderr });
      }
    });
    child.on('error', (err) => fail(`cannot start ${KESU_BIN}: ${err.message}`));
    child.on('exit', (code, signal) => {
      live.delete(child);
      if (!done) fail(`kesu serve exited before it was ready (code ${code}, signal ${signal})`);
    });
  });
}

function waitExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    child.once('exit', () => { clearTimeout(t); res(true); });
  });
}

export const TESTER_PASSWORD = 'Kesu-Check-Passw0rd!';

/**
 * The account the tests act as: company-wide centre, auditor and
 * administrator (every permission of docs/permissions.md), with a password
 * and an API token holding all of its scopes. Returns the token.
 */
export function makeTester(db, env, login = 'tester') {
  const add = spawnSync(KESU_BIN, ['user', 'add', login, '--db', db, '--name', '测试员',
    '--role', 'centre', '--role', 'auditor', '--role', 'admin', '--password-stdin'],
  { env, input: TESTER_PASSWORD + '\n', encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`kesu user add ${login}: ${add.stderr}`);
  const r = runCli(['token', 'add', '--db', db, '--name', `tests-${login}`, '--user', login,
    '--scopes', '*'], env);
  const token = r.stdout.trim();
  if (!/^kesu_[A-Za-z0-9_-]{43}$/.test(token)) throw new Error(`kesu token add printed ${JSON.stringify(r.stdout)}`);
  return token;
}

/**
 * Start a server on a fresh database (or on `dbPath` when given: then no init/demo is run).
 * Returns {url, port, db, dir, api, raw, stop, kill9, restart, stderr, pid}.
 */
export async function startServer({ env = {}, dbPath, demo = true, auth = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kesu-api-'));
  tempDirs.add(dir);
  const fullEnv = { ...process.env, ...env };
  const db = dbPath || join(dir, 'kesu.db');
  if (!existsSync(KESU_BIN)) throw new Error(`KESU_BIN ${KESU_BIN} does not exist (make build/test/kesu)`);
  let token = null;
  if (!dbPath) {
    runCli(['init', '--db', db], fullEnv);
    if (demo) runCli(['demo', '--db', db, '--complaints', '0'], fullEnv);
    if (auth) token = makeTester(db, fullEnv);
  }

  const srv = { db, dir, env: fullEnv, token, testerPassword: TESTER_PASSWORD };
  srv.authHeader = token ? `Authorization: Bearer ${token}\r\n` : '';
  let proc;
  async function launch(listen) {
    proc = await spawnServe(db, fullEnv, listen);
    srv.child = proc.child;
    srv.pid = proc.child.pid;
    srv.port = proc.port;
    srv.host = proc.host;
    srv.url = `http://${proc.host}:${proc.port}`;
    srv.api = makeApi(srv.url, token);
    srv.raw = (data, opts = {}) => rawRequest(proc.port,
      opts.auth === false ? data : withAuth(data, srv.authHeader), opts, proc.host);
    const child = proc.child;
    child.on('exit', (code, signal) => {
      if (!child.expectedExit) {
        srv.crashed = true;
        process.stderr.write(`kesu serve (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}\n` +
          proc.stderr().slice(-8000) + '\n');
      }
    });
  }
  await launch();

  let earlier = ''; // stderr of processes replaced by restart()
  srv.stderr = () => earlier + (proc ? proc.stderr() : '');
  // Graceful stop (SIGTERM, then SIGKILL after 5 s). Safe to call twice.
  srv.stop = async ({ keepDir = false } = {}) => {
    if (proc) {
      const child = proc.child;
      child.expectedExit = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitExit(child, 5000);
        }
      }
      srv.exitCode = child.exitCode;
      srv.exitSignal = child.signalCode;
      live.delete(child);
    }
    if (!keepDir && !dbPath) {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
    // A sanitizer report or a crash of the server fails the file that ran it.
    const err = srv.stderr();
    if (/Sanitizer|runtime error:|LeakSanitizer|SUMMARY: /.test(err) || srv.crashed) {
      throw new Error(`kesu serve reported a problem (exit ${srv.exitCode}, signal ${srv.exitSignal}):\n${err.slice(-8000)}`);
    }
  };
  srv.kill9 = async () => {
    const child = proc.child;
    child.expectedExit = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitExit(child, 5000);
    }
    live.delete(child);
  };
  // Start again on the same database (after stop({keepDir:true}) or kill9()).
  srv.restart = async () => {
    const child = proc.child;
    child.expectedExit = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await waitExit(child, 5000);
    }
    earlier += proc.stderr();
    await launch();
    return srv;
  };
  return srv;
}

/**
 * In a node:test file: start in `before`, stop in `after`. The returned object is filled in
 * `before`. Node 20 runs several top-level `before` hooks concurrently, so a file's own
 * `before` must `await srv.ready` first.
 */
export function useServer(opts = {}) {
  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {}); // reported by the hook itself
  const handle = { ready };
  before(async () => {
    let s;
    try {
      s = await startServer(opts);
    } catch (e) {
      rejectReady(e);
      throw e;
    }
    Object.assign(handle, s);
    // methods refer to the live object; keep them bound through `handle`
    handle.api = (...a) => s.api(...a);
    handle.raw = (...a) => s.raw(...a);
    handle.restart = async () => { await s.restart(); Object.assign(handle, s, { api: handle.api, raw: handle.raw, restart: handle.restart }); return handle; };
    resolveReady(handle);
  });
  after(async () => {
    if (handle.stop) await handle.stop();
  });
  return handle;
}

/**
 * api(method, path, {body, headers}) → {status, headers, json, text, bytes}
 * - body: an object/array/number/boolean/null is sent as JSON; a string or Buffer as is.
 * - Content-Type defaults to application/json when there is a body; pass
 *   headers {'Content-Type': null} to send none.
 */
export function makeApi(baseUrl, token = null) {
  return async function api(method, path, { body, headers = {}, json: forceJson } = {}) {
    const h = {};
    let ctSet = false;
    // the tester's token unless the call brings its own credentials (null: send none)
    const own = Object.keys(headers).some((k) => ['authorization', 'cookie'].includes(k.toLowerCase()));
    if (token && !own) h.Authorization = `Bearer ${token}`;
    for (const [k, v] of Object.entries(headers)) {
      if (k.toLowerCase() === 'authorization' && v === null) continue;
      if (k.toLowerCase() === 'content-type') {
        ctSet = true;
        if (v === null) continue;
      }
      h[k] = v;
    }
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) payload = body;
      else payload = JSON.stringify(body);
      if (!ctSet) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let parsed;
    const ct = res.headers.get('content-type') || '';
    if (forceJson || ct.includes('json')) {
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    }
    return { status: res.status, headers: res.headers, json: parsed, text, bytes };
  };
}

/** Module-level helper for a given server: api(srv, method, path, opts). */
export function api(srv, method, path, opts) {
  return srv.api(method, path, opts);
}

/*
 * Put the tester's Authorization header right after the request line of the
 * first chunk, so raw requests reach the checks they are about instead of
 * stopping at 401. A first chunk without a complete request line is sent as is.
 */
function withAuth(data, header) {
  if (!header) return data;
  const parts = Array.isArray(data) ? [...data] : [data];
  const first = Buffer.isBuffer(parts[0]) ? parts[0] : Buffer.from(String(parts[0]), 'latin1');
  const eol = first.indexOf('\r\n');
  if (eol < 0 || !/^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(first.subarray(0, eol).toString('latin1'))) return data;
  parts[0] = Buffer.concat([first.subarray(0, eol + 2), Buffer.from(header, 'latin1'), first.subarray(eol + 2)]);
  return Array.isArray(data) ? parts : parts[0];
}

/**
 * Send raw bytes on a fresh TCP connection; resolve with {status, headers, body, raw, closed, timedOut}.
 * Reads until the response (by Content-Length) is complete, the peer closes, or timeout.
 * opts: {timeout=5000, halfClose=false (shut down our sending side after the data)}
 */
export function rawRequest(port, data, opts = {}, host = '127.0.0.1') {
  const { timeout = 5000 } = opts;
  return new Promise((resolvePromise) => {
    const sock = net.connect(port, host);
    let buf = Buffer.alloc(0);
    let finished = false;
    const finish = (extra = {}) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolvePromise({ ...parseResponse(buf), raw: buf, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeout);
    sock.on('connect', () => {
      const parts = Array.isArray(data) ? data : [data];
      for (const p of parts) sock.write(p);
      if (opts.halfClose) sock.end(); // no more data: the server must not wait for the rest
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parseResponse(buf);
      if (r.complete) finish();
    });
    sock.on('error', (e) => finish({ error: e.code || String(e) }));
    sock.on('close', () => finish({ closed: true }));
  });
}

/** Parse the first HTTP/1.x response in buf (Content-Length or chunked bodies). */
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { complete: false, status: undefined, headers: {}, body: Buffer.alloc(0) };
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  let complete = false;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    complete = body.length >= n;
    body = body.subarray(0, n);
  } else if ((headers['transfer-encoding'] || '').toLowerCase().includes('chunked')) {
    const out = [];
    let off = 0;
    for (;;) {
      const le = body.indexOf('\r\n', off);
      if (le < 0) break;
      const size = parseInt(body.subarray(off, le).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) { complete = true; break; }
      if (body.length < le + 2 + size + 2) break;
      out.push(body.subarray(le + 2, le + 2 + size));
      off = le + 2 + size + 2;
    }
    body = Buffer.concat(out);
  }
  let json;
  try { json = JSON.parse(body.toString('utf8')); } catch { json = undefined; }
  return { complete, status: m ? Number(m[1]) : undefined, headers, body, json };
}

// ---------------------------------------------------------------------------
// Shared fixtures

/** A minimal valid registration body; override fields with `over` (undefined deletes). */
export function complaintBody(over = {}) {
  const b = {
    channel: 'phone',
    project: 'HY',
    complainant: { name: '王先生', phone: '13812345678' },
    subject: '电梯困人',
    content: '3栋电梯停在两层之间,业主被困二十分钟。',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete b[k];
    else b[k] = v;
  }
  return b;
}

/** True when s contains at least one CJK ideograph. */
export function hasCJK(s) {
  return /[\u3400-\u9fff]/.test(s || '');
}

/** The deployment's (+08:00) calendar date of a Date, as YYYY-MM-DD. */
export function cstDate(d = new Date()) {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Format a Date as an RFC 3339 string in +08:00, seconds included. */
export function cstIso(d) {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
}

/** Walk every page of GET /api/complaints with the given query; returns all items. */
export async function listAll(srv, query = '', { limit = 100, maxPages = 1000 } = {}) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', String(limit));
    if (cursor) qs.set('cursor', cursor);
    const r = await srv.api('GET', '/api/complaints?' + qs.toString());
    if (r.status !== 200) throw new Error(`list ${qs}: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) return items;
  }
  throw new Error('listAll: too many pages');
}

/** The unmasked contact details of a complaint (an audited reveal, as the tester). */
export async function reveal(srv, number, purpose = '测试核对联系方式') {
  const r = await srv.api('POST', `/api/complaints/${number}/contact`, { body: { purpose } });
  if (r.status !== 200) throw new Error(`reveal ${number}: ${r.status} ${r.text}`);
  return r.json;
}
