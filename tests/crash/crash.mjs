// Crash test: acknowledged registrations survive SIGKILL, and numbers stay gap-free.
//
//   KESU_BIN=build/release/kesu node tests/crash/crash.mjs
//
// Three cycles on one database: 32 keep-alive clients register complaints as fast as they
// can; after ~1.5 s the server is killed with SIGKILL; it is restarted on the same database
// and every complaint that got a 201 must be there with its subject, and the numbers of the
// series must be exactly 1..max (no gaps, no duplicates), continuing across cycles.
// Exit code 0 when every check passed, 1 otherwise.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const BIN = process.env.KESU_BIN || join(repoRoot, 'build', 'release', 'kesu');
const CYCLES = Number(process.env.CRASH_CYCLES || 3);
const CLIENTS = Number(process.env.CRASH_CLIENTS || 32);
const LOAD_MS = Number(process.env.CRASH_LOAD_MS || 1500);
const TOTAL_TIMEOUT_MS = 180_000;

let passed = 0;
let failed = 0;
const children = new Set();
const dir = mkdtempSync(join(tmpdir(), 'kesu-crash-'));
const db = join(dir, 'crash.db');

function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.error(`FAIL: ${what}`);
  }
  return cond;
}

function cleanup() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
  children.clear();
  try { rmSync(dir, { recursive: true, force: true }); } catch { /* ignore */ }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { console.error(`crash: interrupted (${sig})`); process.exit(1); });

const deadline = setTimeout(() => {
  console.error(`crash: timed out after ${TOTAL_TIMEOUT_MS / 1000} s`);
  console.log(`crash: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
deadline.unref();

function cli(args, input) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000, input });
  if (r.status !== 0) throw new Error(`kesu ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

// The clients act as one service-centre account through an API token.
let auth = {};
function makeClientToken() {
  cli(['user', 'add', 'crash', '--db', db, '--name', '崩溃测试', '--role', 'centre', '--password-stdin'],
    'Kill-Nine-Passw0rd!\n');
  const token = cli(['token', 'add', '--db', db, '--name', 'crash', '--user', 'crash', '--scopes', '*']).trim();
  auth = { Authorization: `Bearer ${token}` };
}

function serve() {
  return new Promise((res, rej) => {
    const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let err = '';
    let done = false;
    const timer = setTimeout(() => { if (!done) { done = true; child.kill('SIGKILL'); rej(new Error(`not ready in 10 s\n${err}`)); } }, 10_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      err += d;
      if (err.length > 100_000) err = err.slice(-50_000);
      const m = /listening on http:\/\/([^\s:/]+):(\d+)/.exec(err);
      if (m && !done) { done = true; clearTimeout(timer); res({ child, host: m[1], port: Number(m[2]), stderr: () => err }); }
    });
    child.on('exit', (code, sig) => {
      children.delete(child);
      if (!done) { done = true; clearTimeout(timer); rej(new Error(`serve exited (${code}, ${sig})\n${err}`)); }
    });
  });
}

function request(agent, srv, method, path, body) {
  return new Promise((res, rej) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({
      host: srv.host, port: srv.port, method, path, agent,
      headers: data ? { ...auth, 'Content-Type': 'application/json', 'Content-Length': data.length } : auth,
      timeout: 10_000,
    }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        res({ status: r.statusCode, json, text });
      });
      r.on('error', rej);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    if (data) req.write(data);
    req.end();
  });
}

async function listAll(srv) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100_000; page++) {
    const qs = new URLSearchParams({ sort: 'registered_at', limit: '100' });
    if (cursor) qs.set('cursor', cursor);
    const r = await request(agent, srv, 'GET', '/api/complaints?' + qs);
    if (r.status !== 200) throw new Error(`list: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  agent.destroy();
  return items;
}

const acked = new Map(); // number -> subject, over all cycles
const seriesMax = new Map(); // "prefix-year" -> highest sequence seen after the last restart

async function load(srv, cycle) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let stop = false;
  let ok = 0;
  let other = 0;
  const otherStatuses = new Map();
  async function client(w) {
    for (let i = 0; !stop; i++) {
      const subject = `崩溃测试 c${cycle} w${w} #${i}`;
      const body = {
        channel: i % 5 === 0 ? 'web' : 'phone', project: ['HY', 'JX', 'BJ'][i % 3],
        complainant: { name: `客户${w}`, phone: `139${String(cycle * 1000 + w).padStart(4, '0')}${String(i % 10000).padStart(4, '0')}` },
        subject, content: `第${cycle}轮,客户端${w},第${i}条:电梯故障与漏水。`,
      };
      let r;
      try {
        r = await request(agent, srv, 'POST', '/api/complaints', body);
      } catch {
        return; // connection refused/reset: the server is gone
      }
      if (r.status === 201) {
        ok++;
        if (!(r.json && r.json.subject === subject)) {
          check(false, `cycle ${cycle}: 201 does not echo the subject: ${r.text.slice(0, 200)}`);
          continue;
        }
        if (acked.has(r.json.number)) check(false, `cycle ${cycle}: number ${r.json.number} acknowledged twice`);
        acked.set(r.json.number, subject);
      } else {
        other++;
        otherStatuses.set(r.status, (otherStatuses.get(r.status) || 0) + 1);
        if (r.status !== 503) {
          check(false, `cycle ${cycle}: unexpected ${r.status} ${r.text.slice(0, 200)}`);
          return;
        }
      }
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, w) => client(w));
  await new Promise((r) => setTimeout(r, LOAD_MS));
  srv.child.kill('SIGKILL');
  stop = true;
  await Promise.all(clients);
  agent.destroy();
  return { ok, other, otherStatuses };
}

async function verify(srv, cycle) {
  const items = await listAll(srv);
  const byNumber = new Map();
  let dups = 0;
  for (const it of items) {
    if (byNumber.has(it.number)) dups++;
    byNumber.set(it.number, it);
  }
  check(dups === 0, `cycle ${cycle}: ${dups} duplicate numbers in the list`);
  let missing = 0;
  let wrong = 0;
  for (const [n, subject] of acked) {
    const it = byNumber.get(n);
    if (!it) { missing++; if (missing <= 5) console.error(`  acknowledged ${n} missing after restart`); }
    else if (it.subject !== subject) { wrong++; if (wrong <= 5) console.error(`  ${n}: subject ${it.subject} want ${subject}`); }
  }
  check(missing === 0, `cycle ${cycle}: ${missing} acknowledged complaints missing after SIGKILL + restart`);
  check(wrong === 0, `cycle ${cycle}: ${wrong} complaints with the wrong subject`);
  // subjects are unique per request: a subject twice means a request created two complaints
  const subjects = new Map();
  for (const it of items) subjects.set(it.subject, (subjects.get(it.subject) || 0) + 1);
  const twice = [...subjects.values()].filter((c) => c > 1).length;
  check(twice === 0, `cycle ${cycle}: ${twice} subjects stored twice`);
  // numbers of every series: exactly 1..max
  const series = new Map();
  for (const it of items) {
    const m = /^([A-Z0-9]+-\d{4})-(\d{6,})$/.exec(it.number);
    if (!m) { check(false, `cycle ${cycle}: number format ${it.number}`); continue; }
    if (!series.has(m[1])) series.set(m[1], []);
    series.get(m[1]).push(Number(m[2]));
  }
  for (const [s, seqs] of series) {
    seqs.sort((a, b) => a - b);
    const max = seqs[seqs.length - 1];
    let gaps = 0;
    for (let i = 0; i < seqs.length; i++) if (seqs[i] !== i + 1) { gaps++; if (gaps <= 3) console.error(`  ${s}: position ${i} holds ${seqs[i]}`); }
    check(gaps === 0 && seqs.length === max, `cycle ${cycle}: series ${s} is 1..${max} without gaps (${seqs.length} numbers)`);
    const prev = seriesMax.get(s) || 0;
    check(max >= prev, `cycle ${cycle}: series ${s} went back from ${prev} to ${max}`);
    seriesMax.set(s, max);
  }
  // spot-check single GETs
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sample = [...acked.keys()].filter((_, i) => i % Math.max(1, Math.floor(acked.size / 50)) === 0);
  let bad = 0;
  for (const n of sample) {
    const r = await request(agent, srv, 'GET', `/api/complaints/${n}`);
    if (r.status !== 200 || r.json.subject !== acked.get(n) || !Array.isArray(r.json.timeline) || r.json.timeline.length < 1) bad++;
  }
  agent.destroy();
  check(bad === 0, `cycle ${cycle}: ${bad} of ${sample.length} sampled GETs wrong`);
  return { total: items.length, series: Object.fromEntries(seriesMax) };
}

async function main() {
  console.log(`crash: ${BIN}, ${CYCLES} cycles, ${CLIENTS} clients, SIGKILL after ${LOAD_MS} ms`);
  cli(['init', '--db', db]);
  cli(['demo', '--db', db, '--complaints', '0']);
  makeClientToken();
  let srv = await serve();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const t0 = Date.now();
    const res = await load(srv, cycle);
    check(res.ok > 0, `cycle ${cycle}: some registrations acknowledged`);
    srv = await serve();
    const v = await verify(srv, cycle);
    const others = [...res.otherStatuses].map(([s, n]) => `${n}×${s}`).join(' ') || 'none';
    console.log(`crash: cycle ${cycle}: ${res.ok} acknowledged (${Math.round(res.ok / (LOAD_MS / 1000))}/s), other answers ${others}; ` +
      `after restart ${v.total} complaints, series ${JSON.stringify(v.series)} (${Date.now() - t0} ms)`);
  }
  srv.child.kill('SIGTERM');
  await new Promise((r) => { const t = setTimeout(r, 5000); srv.child.once('exit', () => { clearTimeout(t); r(); }); });
}

main().then(() => {
  console.log(`crash: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}, (e) => {
  console.error(`crash: ${e.stack || e}`);
  console.log(`crash: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
