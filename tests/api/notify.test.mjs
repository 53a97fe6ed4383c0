// Notifications (issue 5, item 5; DOMAIN §14): the in-app inbox, webhooks signed with
// HMAC-SHA256 and retried with back-off until the dead-letter list, e-mail through an SMTP
// relay, and the customer message templates an administrator edits.
//
// The test runs its own webhook receiver (node:http) and SMTP sink (node:net), and starts the
// server with a clock file: time moves by rewriting the file, so back-offs pass at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, complaintBody, KESU_BIN } from './lib/server.mjs';

const ATTEMPTS = 3;
const BACKOFF = 60;      // seconds before the 2nd try; 120 before the 3rd
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

// ---- the clock ----

const dir = mkdtempSync(join(tmpdir(), 'kesu-notify-'));
const clockFile = join(dir, 'clock');
let clock = Date.parse('2026-03-02T09:00:00+08:00') / 1000;

function setClock(t) {
  clock = t;
  const iso = new Date(t * 1000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
  writeFileSync(clockFile, iso + '\n');
}
const advance = (seconds) => setClock(clock + seconds);
setClock(clock);

// ---- a webhook receiver: each path answers from its script of statuses, then 200 ----

const received = [];              // {path, headers, body (raw string), json}
const scripts = {};               // path -> [status, ...]
const holds = {};                 // path -> true: keep the request waiting (no answer)
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let json;
    try { json = JSON.parse(body); } catch { json = undefined; }
    received.push({ path: req.url, method: req.method, headers: req.headers, body, json });
    if (holds[req.url]) return;   // never answered: the sender's transfer stays in flight
    const script = scripts[req.url] || [];
    const status = script.length ? script.shift() : 200;
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(status === 200 ? 'ok' : 'no');
  });
});

// ---- an SMTP sink: EHLO/HELO, MAIL FROM, RCPT TO, DATA, QUIT ----

const mails = [];                 // {from, to: [], data}
const sink = net.createServer((sock) => {
  let buf = '';
  let inData = false;
  let mail = { to: [] };
  sock.setEncoding('latin1');      // bytes as they come; the message is ASCII (base64)
  sock.write('220 sink ESMTP\r\n');
  sock.on('data', (d) => {
    buf += d;
    for (;;) {
      if (inData) {
        const end = buf.indexOf('\r\n.\r\n');
        if (end < 0) return;
        mail.data = buf.slice(0, end + 2).replace(/^\.\./gm, '.');
        buf = buf.slice(end + 5);
        inData = false;
        mails.push(mail);
        mail = { to: [] };
        sock.write('250 2.0.0 queued\r\n');
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const line = buf.slice(0, eol);
      buf = buf.slice(eol + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') sock.write('250 sink\r\n');
      else if (verb === 'MAIL') { mail.from = /<(.*)>/.exec(line)?.[1]; sock.write('250 2.1.0 ok\r\n'); }
      else if (verb === 'RCPT') { mail.to.push(/<(.*)>/.exec(line)?.[1]); sock.write('250 2.1.5 ok\r\n'); }
      else if (verb === 'DATA') { inData = true; sock.write('354 go ahead\r\n'); }
      else if (verb === 'QUIT') { sock.end('221 bye\r\n'); return; }
      else sock.write('250 ok\r\n');   // RSET, NOOP
    }
  });
  sock.on('error', () => {});
});

const listen = (server) => new Promise((res) => server.listen(0, '127.0.0.1', () => res(server.address().port)));

let srv;
let hookBase;
const tokens = {};

before(async () => {
  const hookPort = await listen(receiver);
  const smtpPort = await listen(sink);
  hookBase = `http://127.0.0.1:${hookPort}`;
  srv = await startServer({
    env: {
      KESU_CLOCK_FILE: clockFile,
      KESU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      KESU_SMTP_FROM: 'kesu@example.com',
      KESU_DELIVERY_INTERVAL_MS: '50',
      KESU_DELIVERY_ATTEMPTS: String(ATTEMPTS),
      KESU_DELIVERY_BACKOFF: String(BACKOFF),
      KESU_DELIVERY_TIMEOUT: '5',
    },
  });
});

after(async () => {
  if (srv) await srv.stop();
  receiver.closeAllConnections?.();
  receiver.close();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ----

function cli(args) {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

// Act as a demo staff member through a token of their own.
function as(login) {
  if (!tokens[login]) tokens[login] = cli(['token', 'add', '--name', `notify-${login}`, '--user', login, '--scopes', '*']);
  return { Authorization: `Bearer ${tokens[login]}` };
}

const api = (method, path, body, login) => srv.api(method, path, { body, headers: login ? as(login) : {} });

function expectError(r, status, field, reason) {
  assert.equal(r.status, status, r.text);
  const err = (r.json && r.json.error) || {};
  if (field !== undefined) assert.equal(err.field ?? null, field, r.text);
  if (reason !== undefined) assert.equal(err.reason, reason, r.text);
  assert.equal(typeof err.message, 'string');
}

async function waitFor(what, check, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function register(over = {}) {
  const r = await api('POST', '/api/complaints', complaintBody(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function makeHook(name, path, events) {
  const r = await api('POST', '/api/webhooks', { name, url: hookBase + path, events });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Switch a test's webhook off at its end, so that it receives nothing of the next test.
async function retire(hook) {
  const r = await api('PATCH', `/api/webhooks/${hook.id}`, { active: false });
  assert.equal(r.status, 200, r.text);
}

async function delivery(id) {
  const r = await api('GET', `/api/deliveries/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const requestsTo = (path) => received.filter((x) => x.path === path);

function verifySignature(req, secret) {
  const ts = req.headers['x-kesu-timestamp'];
  const want = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex');
  assert.equal(req.headers['x-kesu-signature'], want, 'signature over "<timestamp>.<body>"');
}

// Decode an RFC 2047 subject and a base64 body from a message of the sink.
function parseMail(data) {
  const [head, body] = data.split('\r\n\r\n');
  const unfolded = head.replace(/\r\n[ \t]/g, ' ');
  const headers = {};
  for (const line of unfolded.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const subject = headers.subject.split(' ').map((w) => {
    const m = /^=\?UTF-8\?B\?([^?]*)\?=$/i.exec(w);
    assert.ok(m, `encoded-word: ${w}`);
    return Buffer.from(m[1], 'base64');
  });
  return {
    headers,
    subject: Buffer.concat(subject).toString('utf8'),
    body: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8'),
  };
}

// ---- the inbox ----

test('inbox: the handler is told on assignment; list, unread count, mark read, read all', async () => {
  const c1 = await register();
  const c2 = await register();
  for (const c of [c1, c2]) {
    const r = await api('POST', `/api/complaints/${c.number}/assign`, { handler: 'lina' });
    assert.equal(r.status, 200, r.text);
  }
  const count = await api('GET', '/api/notifications/unread-count', undefined, 'lina');
  assert.equal(count.status, 200, count.text);
  assert.equal(count.json.unread, 2);
  const list = await api('GET', '/api/notifications', undefined, 'lina');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.unread, 2);
  assert.equal(list.json.items.length, 2);
  const [newest, older] = list.json.items;
  assert.equal(newest.complaint, c2.number);       // newest first
  assert.equal(older.complaint, c1.number);
  assert.equal(newest.kind, 'assigned');
  assert.equal(newest.read, false);
  assert.equal(newest.read_at, null);
  assert.match(newest.created_at, TIME_RE);
  assert.ok(newest.title_zh.includes(c2.number) && newest.title_en.includes(c2.number), newest.title_zh);
  assert.equal(newest.title, newest.title_zh);     // Chinese unless Accept-Language says otherwise

  // one page at a time
  const page = await api('GET', '/api/notifications?limit=1', undefined, 'lina');
  assert.equal(page.json.items.length, 1);
  assert.equal(page.json.next_before, newest.id);
  const next = await api('GET', `/api/notifications?limit=1&before=${page.json.next_before}`, undefined, 'lina');
  assert.deepEqual(next.json.items.map((n) => n.id), [older.id]);
  assert.equal(next.json.next_before, null);

  const read = await api('POST', `/api/notifications/${older.id}/read`, undefined, 'lina');
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.read, true);
  assert.match(read.json.read_at, TIME_RE);
  const unread = await api('GET', '/api/notifications?unread=1', undefined, 'lina');
  assert.deepEqual(unread.json.items.map((n) => n.id), [newest.id]);
  assert.equal(unread.json.unread, 1);
  // marking again changes nothing
  const again = await api('POST', `/api/notifications/${older.id}/read`, undefined, 'lina');
  assert.equal(again.json.read_at, read.json.read_at);

  const all = await api('POST', '/api/notifications/read-all', undefined, 'lina');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.marked, 1);
  assert.equal((await api('GET', '/api/notifications/unread-count', undefined, 'lina')).json.unread, 0);
});

test('inbox: one user can neither read nor mark another\'s notifications (404)', async () => {
  const c = await register({ project: 'JX', building: '1栋' });
  const r = await api('POST', `/api/complaints/${c.number}/assign`, { handler: 'yangli' });
  assert.equal(r.status, 200, r.text);
  const theirs = (await api('GET', '/api/notifications?unread=1', undefined, 'yangli')).json.items;
  assert.equal(theirs.length, 1);
  const id = theirs[0].id;
  // lina does not see it, cannot mark it, and read-all leaves it alone
  const mine = await api('GET', '/api/notifications?limit=200', undefined, 'lina');
  assert.ok(mine.json.items.every((n) => n.id !== id));
  expectError(await api('POST', `/api/notifications/${id}/read`, undefined, 'lina'), 404, 'id', 'unknown');
  await api('POST', '/api/notifications/read-all', undefined, 'lina');
  const still = await api('GET', '/api/notifications/unread-count', undefined, 'yangli');
  assert.equal(still.json.unread, 1);
  // the tests' own account has none of them either
  const own = await api('GET', '/api/notifications');
  assert.ok(own.json.items.every((n) => n.id !== id));
});

test('inbox: bad parameters are 400 naming the parameter', async () => {
  expectError(await api('GET', '/api/notifications?unread=maybe'), 400, 'unread', 'bad_value');
  expectError(await api('GET', '/api/notifications?limit=0'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/notifications?limit=201'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/notifications?before=-1'), 400, 'before', 'bad_value');
  expectError(await api('GET', '/api/notifications?color=red'), 400, 'color', 'unknown_parameter');
  expectError(await api('GET', '/api/notifications?limit=1&limit=2'), 400, 'limit', 'repeated');
  expectError(await api('POST', '/api/notifications/abc/read'), 404, 'id', 'unknown');
  expectError(await api('POST', '/api/notifications/999999/read'), 404, 'id', 'unknown');
});

// ---- webhooks ----

test('webhook: delivered with a valid signature; the secret is shown once, never again', async () => {
  const hook = await makeHook('ops', '/ops', ['complaint.created']);
  assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(hook.events, ['complaint.created']);
  assert.equal(hook.active, true);
  assert.equal(hook.url, hookBase + '/ops');
  const c = await register();
  const req = await waitFor('the webhook request', () => requestsTo('/ops').find((x) => x.json?.data?.number === c.number));
  assert.equal(req.method, 'POST');
  assert.match(req.headers['content-type'], /^application\/json/);
  assert.equal(req.headers['x-kesu-event'], 'complaint.created');
  assert.equal(req.headers['x-kesu-timestamp'], String(clock));     // the server's clock
  verifySignature(req, hook.secret);
  // a wrong secret does not verify
  assert.notEqual(req.headers['x-kesu-signature'],
    'sha256=' + createHmac('sha256', 'whsec_wrong').update(`${req.headers['x-kesu-timestamp']}.${req.body}`).digest('hex'));
  assert.equal(req.json.type, 'complaint.created');
  assert.equal(String(req.json.id), req.headers['x-kesu-delivery']);
  assert.match(req.json.at, TIME_RE);
  assert.equal(req.json.data.project, 'HY');
  assert.equal(req.json.data.status, c.status);
  assert.ok(!req.body.includes('13812345678'), 'no contact details in complaint events');

  const id = Number(req.headers['x-kesu-delivery']);
  const d = await waitFor('delivered', async () => { const x = await delivery(id); return x.status === 'delivered' && x; });
  assert.equal(d.channel, 'webhook');
  assert.deepEqual(d.webhook, { id: hook.id, name: 'ops' });
  assert.equal(d.attempts, 1);
  assert.equal(d.last_status, 200);
  assert.equal(d.complaint, c.number);
  assert.equal(d.next_attempt_at, null);
  assert.match(d.delivered_at, TIME_RE);
  assert.equal(d.payload.number, c.number);
  assert.equal(d.attempt_log.length, 1);
  assert.deepEqual([d.attempt_log[0].ok, d.attempt_log[0].status, d.attempt_log[0].error], [true, 200, null]);
  assert.ok(Number.isInteger(d.attempt_log[0].duration_ms));

  // never shown again: not in the list, not in the audit log, not in the server's log
  const list = await api('GET', '/api/webhooks');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((w) => w.id === hook.id));
  assert.ok(!list.text.includes(hook.secret) && list.json.items.every((w) => !('secret' in w)));
  const audit = await api('GET', '/api/audit?action=webhook.create');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((x) => x.object === 'ops'), audit.text);
  assert.ok(!audit.text.includes(hook.secret));
  assert.ok(!srv.stderr().includes(hook.secret));

  // a rotated secret is shown once, and signs what follows
  const rot = await api('PATCH', `/api/webhooks/${hook.id}`, { rotate_secret: true });
  assert.equal(rot.status, 200, rot.text);
  assert.match(rot.json.secret, /^whsec_/);
  assert.notEqual(rot.json.secret, hook.secret);
  const c2 = await register();
  const req2 = await waitFor('the request after rotation', () => requestsTo('/ops').find((x) => x.json?.data?.number === c2.number));
  verifySignature(req2, rot.json.secret);
  await retire(hook);
});

test('webhook: retried after a 500, once the back-off has passed on the clock', async () => {
  const hook = await makeHook('flaky', '/flaky', ['complaint.created']);
  scripts['/flaky'] = [500];
  const c = await register();
  const first = await waitFor('the first try', () => requestsTo('/flaky').find((x) => x.json?.data?.number === c.number));
  const id = Number(first.headers['x-kesu-delivery']);
  const failed = await waitFor('the failed try recorded', async () => { const x = await delivery(id); return x.attempts === 1 && x; });
  assert.equal(failed.status, 'pending');
  assert.equal(failed.last_status, 500);
  assert.equal(failed.last_error, 'HTTP status 500');
  assert.equal(Date.parse(failed.next_attempt_at) / 1000, clock + BACKOFF);
  // the clock stands still: no second try however long we wait
  await sleep(400);
  assert.equal(requestsTo('/flaky').length, 1);
  advance(BACKOFF);
  const done = await waitFor('delivered on the second try', async () => { const x = await delivery(id); return x.status === 'delivered' && x; });
  assert.equal(done.attempts, 2);
  assert.deepEqual(done.attempt_log.map((a) => [a.ok, a.status]), [[false, 500], [true, 200]]);
  assert.equal(done.attempt_log[0].error, 'HTTP status 500');
  const tries = requestsTo('/flaky');
  assert.equal(tries.length, 2);
  // the same delivery: the same id and body; the signature is over the new timestamp
  assert.equal(tries[1].headers['x-kesu-delivery'], tries[0].headers['x-kesu-delivery']);
  assert.equal(tries[1].body, tries[0].body);
  assert.equal(Number(tries[1].headers['x-kesu-timestamp']), clock);
  verifySignature(tries[1], hook.secret);
  await retire(hook);
});

test('webhook: dead-lettered after the last try, listed, and delivered after a replay', async () => {
  const hook = await makeHook('down', '/down', ['complaint.created']);
  scripts['/down'] = [503, 503, 503];
  const c = await register();
  const first = await waitFor('the first try', () => requestsTo('/down').find((x) => x.json?.data?.number === c.number));
  const id = Number(first.headers['x-kesu-delivery']);
  for (let k = 1; k < ATTEMPTS; k++) {
    await waitFor(`try ${k} recorded`, async () => (await delivery(id)).attempts === k);
    advance(BACKOFF * 2 ** (k - 1));
  }
  const dead = await waitFor('dead', async () => { const x = await delivery(id); return x.status === 'dead' && x; });
  assert.equal(dead.attempts, ATTEMPTS);
  assert.equal(dead.last_status, 503);
  assert.equal(dead.next_attempt_at, null);
  assert.equal(dead.attempt_log.length, ATTEMPTS);
  assert.ok(dead.attempt_log.every((a) => !a.ok && a.status === 503));
  // the tries were BACKOFF, then 2 × BACKOFF apart on the clock
  const at = dead.attempt_log.map((a) => Date.parse(a.at) / 1000);
  assert.deepEqual([at[1] - at[0], at[2] - at[1]], [BACKOFF, 2 * BACKOFF]);

  const letters = await api('GET', '/api/deliveries?status=dead');
  assert.equal(letters.status, 200, letters.text);
  assert.ok(letters.json.items.some((x) => x.id === id && x.status === 'dead'), letters.text);
  assert.ok(letters.json.items.every((x) => x.status === 'dead'));
  // nothing more happens to a dead letter
  advance(3600);
  await sleep(300);
  assert.equal(requestsTo('/down').length, ATTEMPTS);

  // only a dead one can be replayed
  const delivered = (await api('GET', '/api/deliveries?status=delivered&limit=1')).json.items[0];
  expectError(await api('POST', `/api/deliveries/${delivered.id}/replay`), 409, 'status', 'not_dead');
  const replay = await api('POST', `/api/deliveries/${id}/replay`);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.status, 'pending');
  assert.equal(replay.json.attempts, 0);
  assert.equal(replay.json.replays, 1);
  const ok = await waitFor('delivered after the replay', async () => { const x = await delivery(id); return x.status === 'delivered' && x; });
  assert.equal(ok.attempts, 1);
  assert.equal(ok.attempt_log.length, ATTEMPTS + 1);   // every try stays recorded
  assert.equal(requestsTo('/down').length, ATTEMPTS + 1);
  const audit = await api('GET', '/api/audit?action=delivery.replay');
  assert.ok(audit.json.items.some((x) => x.object === `delivery ${id}`), audit.text);
  await retire(hook);
});

test('webhook: a stop in the middle of a transfer gives the delivery back; sent once the server is back', async () => {
  const hook = await makeHook('slow', '/slow', ['complaint.created']);
  holds['/slow'] = true;
  const c = await register();
  const first = await waitFor('the held request', () => requestsTo('/slow').find((x) => x.json?.data?.number === c.number));
  const id = Number(first.headers['x-kesu-delivery']);
  holds['/slow'] = false;      // the next request is answered; the held one never is
  await srv.restart();
  const d = await waitFor('delivered after the restart', async () => { const x = await delivery(id); return x.status === 'delivered' && x; });
  // the cut transfer was not a try; the receiver saw the same delivery id twice (at least once)
  assert.equal(d.attempts, 1);
  assert.equal(d.attempt_log.length, 1);
  const seen = requestsTo('/slow').filter((x) => x.headers['x-kesu-delivery'] === String(id));
  assert.equal(seen.length, 2);
  assert.equal(seen[0].body, seen[1].body);
  await retire(hook);
});

test('webhooks: customer messages go to the SMS gateway with the phone; admins see them masked', async () => {
  const hook = await makeHook('sms', '/sms', ['customer.*']);
  const c = await register({ complainant: { name: '王先生', phone: '13812345678' } });
  const req = await waitFor('the gateway request', () => requestsTo('/sms').find((x) => x.json?.data?.number === c.number));
  assert.equal(req.json.type, 'customer.message');
  assert.equal(req.json.data.template, 'acknowledged');
  assert.equal(req.json.data.phone, '13812345678');
  assert.ok(req.json.data.body.includes(c.number), req.json.data.body);
  verifySignature(req, hook.secret);
  const d = await delivery(Number(req.headers['x-kesu-delivery']));
  assert.equal(d.personal, true);
  assert.equal(d.payload, null);                // administrators read no customer data
  // the complaint's timeline says what the customer was sent
  const full = await api('GET', `/api/complaints/${c.number}`);
  const msg = full.json.timeline.find((ev) => ev.type === 'message');
  assert.ok(msg, JSON.stringify(full.json.timeline.map((ev) => ev.type)));
  assert.equal(msg.visibility, 'customer');
  assert.deepEqual(msg.data.channels, ['webhook']);
  await retire(hook);
});

test('webhooks: validation, and config.admin only', async () => {
  expectError(await api('POST', '/api/webhooks', { url: hookBase + '/x' }), 400, 'name', 'required');
  expectError(await api('POST', '/api/webhooks', { name: 'x' }), 400, 'url', 'required');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: 'ftp://example.com/x' }), 400, 'url', 'bad_format');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: 'not a url' }), 400, 'url', 'bad_format');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: hookBase, events: [] }), 400, 'events', 'empty');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: hookBase, events: ['complaint created'] }), 400, 'events', 'bad_value');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: hookBase, events: 'complaint.*' }), 400, 'events', 'bad_type');
  expectError(await api('POST', '/api/webhooks', { name: 'x', url: hookBase, secret: 'mine' }), 400, 'secret', 'unknown_field');
  const made = await makeHook('dup', '/dup', ['*']);
  expectError(await api('POST', '/api/webhooks', { name: 'dup', url: hookBase }), 409, 'name', 'exists');
  expectError(await api('PATCH', `/api/webhooks/${made.id}`, {}), 400, null, 'nothing_to_change');
  expectError(await api('PATCH', `/api/webhooks/${made.id}`, { url: 'gopher://x' }), 400, 'url', 'bad_format');
  expectError(await api('PATCH', '/api/webhooks/999999', { active: false }), 404, 'id', 'unknown');
  expectError(await api('PATCH', '/api/webhooks/x', { active: false }), 404, 'id', 'unknown');
  const changed = await api('PATCH', `/api/webhooks/${made.id}`, { events: ['complaint.*', 'customer.message'], active: false });
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual(changed.json.events, ['complaint.*', 'customer.message']);
  assert.equal(changed.json.active, false);
  assert.ok(!('secret' in changed.json));
  // English messages on request
  const en = await srv.api('POST', '/api/webhooks', { body: { name: 'x', url: 'ftp://x' }, headers: { 'Accept-Language': 'en' } });
  assert.match(en.json.error.message, /URL/);
  // a handler is not an administrator
  for (const [method, path, body] of [['GET', '/api/webhooks'], ['POST', '/api/webhooks', { name: 'y', url: hookBase }],
    ['PATCH', `/api/webhooks/${made.id}`, { active: true }], ['GET', '/api/deliveries'], ['GET', '/api/deliveries/1'],
    ['POST', '/api/deliveries/1/replay'], ['GET', '/api/message-templates'],
    ['PUT', '/api/message-templates/acknowledged/zh', { subject: 'x' }]]) {
    expectError(await api(method, path, body, 'lina'), 403);
  }
});

test('deliveries: filters and validation', async () => {
  const r = await api('GET', '/api/deliveries?channel=webhook&status=delivered&limit=2');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length <= 2);
  assert.ok(r.json.items.every((d) => d.channel === 'webhook' && d.status === 'delivered'));
  if (r.json.next_before) {
    const more = await api('GET', `/api/deliveries?channel=webhook&status=delivered&limit=2&before=${r.json.next_before}`);
    assert.ok(more.json.items.every((d) => d.id < r.json.next_before));
  }
  expectError(await api('GET', '/api/deliveries?status=lost'), 400, 'status', 'bad_value');
  expectError(await api('GET', '/api/deliveries?channel=fax'), 400, 'channel', 'bad_value');
  expectError(await api('GET', '/api/deliveries?limit=501'), 400, 'limit', 'out_of_range');
  expectError(await api('GET', '/api/deliveries?page=2'), 400, 'page', 'unknown_parameter');
  expectError(await api('GET', '/api/deliveries/abc'), 404, 'id', 'unknown');
  expectError(await api('GET', '/api/deliveries/999999'), 404, 'id', 'unknown');
  expectError(await api('POST', '/api/deliveries/999999/replay'), 404, 'id', 'unknown');
});

// ---- e-mail and customer messages ----

test('e-mail: the acknowledgement reaches the SMTP sink with the Chinese subject and body', async () => {
  const c = await register({ complainant: { name: '王先生', phone: '13812345670', email: 'wang@example.com' } });
  const mail = await waitFor('the e-mail', () => mails.find((m) => m.to.includes('wang@example.com') && m.data.includes(`X-Kesu-Delivery`) &&
    parseMail(m.data).subject.includes(c.number)));
  assert.equal(mail.from, 'kesu@example.com');
  const m = parseMail(mail.data);
  assert.equal(m.subject, `您的投诉已受理(编号 ${c.number})`);
  assert.match(m.headers['content-type'], /^text\/plain; charset=UTF-8$/i);
  assert.equal(m.headers['content-transfer-encoding'], 'base64');
  assert.equal(m.headers.from, '<kesu@example.com>');
  assert.equal(m.headers.to, '<wang@example.com>');
  assert.ok(m.headers['message-id'].includes('@example.com>'));
  assert.match(m.headers.date, /^\w{3}, \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0800$/);
  assert.ok(m.body.startsWith('王先生,您好!\r\n'), m.body);
  assert.ok(m.body.includes(`投诉编号为 ${c.number}`), m.body);
  assert.ok(m.body.includes('“电梯困人”(华苑花园)'), m.body);
  assert.ok(m.body.includes('承诺答复时间:'), m.body);
  // recorded as delivered; the administrators' view masks the customer's address
  const id = Number(m.headers['x-kesu-delivery']);
  const d = await waitFor('delivered', async () => { const x = await delivery(id); return x.status === 'delivered' && x; });
  assert.equal(d.channel, 'email');
  assert.equal(d.event, 'customer.acknowledged');
  assert.equal(d.recipient, 'w***@example.com');
  assert.equal(d.payload, null);
  assert.equal(d.last_status, 250);
  assert.ok(!srv.stderr().includes('wang@example.com'));
  const full = await api('GET', `/api/complaints/${c.number}`);
  const msg = full.json.timeline.find((ev) => ev.type === 'message');
  assert.ok(msg.data.channels.includes('email'));
  assert.equal(msg.data.template, 'acknowledged');
});

test('templates: an administrator edits the acknowledgement; the next customer gets the new text', async () => {
  const list = await api('GET', '/api/message-templates');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 8);
  assert.deepEqual(list.json.placeholders, ['number', 'name', 'subject', 'project', 'status', 'due', 'result']);
  const codes = new Set(list.json.items.map((t) => `${t.code}/${t.lang}`));
  for (const code of ['acknowledged', 'progress', 'resolved', 'followup'])
    for (const lang of ['zh', 'en']) assert.ok(codes.has(`${code}/${lang}`), `${code}/${lang}`);

  const put = await api('PUT', '/api/message-templates/acknowledged/zh',
    { subject: '【{{project}}】已收到:{{ number }}', body: '{{name}}:\n我们已收到您关于“{{subject}}”的投诉。' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.updated_by, 'tester');
  assert.match(put.json.updated_at, TIME_RE);
  const c = await register({ complainant: { name: '李女士', phone: '13812345671', email: 'li@example.com' } });
  const mail = await waitFor('the edited e-mail', () => mails.find((x) => x.to.includes('li@example.com')));
  const m = parseMail(mail.data);
  assert.equal(m.subject, `【华苑花园】已收到:${c.number}`);
  assert.equal(m.body, '李女士:\r\n我们已收到您关于“电梯困人”的投诉。');
  const audit = await api('GET', '/api/audit?action=template.put');
  assert.ok(audit.json.items.some((x) => x.object === 'acknowledged/zh'), audit.text);
  // only the subject: the body stays
  const subj = await api('PUT', '/api/message-templates/acknowledged/zh', { subject: '已受理 {{number}}' });
  assert.equal(subj.json.body, '{{name}}:\n我们已收到您关于“{{subject}}”的投诉。');
});

test('templates: unknown or malformed placeholders are 400 naming subject or body', async () => {
  const path = '/api/message-templates/resolved/en';
  expectError(await api('PUT', path, { body: 'Dear {{name}}, call {{phone}}' }), 400, 'body', 'unknown_placeholder');
  expectError(await api('PUT', path, { subject: 'No. {{number' }), 400, 'subject', 'bad_placeholder');
  expectError(await api('PUT', path, { subject: '{{}}' }), 400, 'subject', 'bad_placeholder');
  expectError(await api('PUT', path, { body: '{{ Number }}' }), 400, 'body', 'bad_placeholder');
  expectError(await api('PUT', path, { subject: 'a\nb' }), 400, 'subject', 'bad_character');
  expectError(await api('PUT', path, { subject: '  ' }), 400, null, 'nothing_to_change');   // empty is absent
  expectError(await api('PUT', path, {}), 400, null, 'nothing_to_change');
  expectError(await api('PUT', path, { subject: 'x', footer: 'y' }), 400, 'footer', 'unknown_field');
  expectError(await api('PUT', path, { body: 'x'.repeat(4001) }), 400, 'body', 'too_long');
  expectError(await api('PUT', '/api/message-templates/resolved/fr', { subject: 'x' }), 404, 'lang', 'unknown');
  expectError(await api('PUT', '/api/message-templates/welcome/en', { subject: 'x' }), 404, 'code', 'unknown');
  expectError(await api('PUT', '/api/message-templates/Bad-Code/en', { subject: 'x' }), 404, 'code', 'unknown');
  const en = await srv.api('PUT', path, { body: { body: '{{phone}}' }, headers: { 'Accept-Language': 'en' } });
  assert.match(en.json.error.message, /placeholder/);
  const zh = await api('PUT', path, { body: '{{phone}}' });
  assert.match(zh.json.error.message, /占位符/);
  // nothing was changed by the refusals
  const list = await api('GET', '/api/message-templates');
  const t = list.json.items.find((x) => x.code === 'resolved' && x.lang === 'en');
  assert.equal(t.updated_by, null);
});
