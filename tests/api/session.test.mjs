// Sessions over the API (issue 3, items 3 and 4): signing in and out, the cookie, CSRF, idle
// and absolute expiry, revocation at a password change, a reset and when an account is
// disabled, throttling of failed sign-ins per login and per address, and the bounded queue
// of password checks. See docs/api.md (Authentication, Session) and docs/permissions.md.
//
// Failed sign-ins count per client address too (20 before the address must wait), and every
// test here comes from 127.0.0.1: the throttling and queue tests have servers of their own,
// and where another address is needed a request is sent from 127.0.0.2 (all of 127/8 is
// loopback on Linux).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { startServer, complaintBody, KESU_BIN, TESTER_PASSWORD } from './lib/server.mjs';

const COOKIE_RE = /^kesu_session=([A-Za-z0-9_-]{43}); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Strict(; Secure)?$/;
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function cli(srv, args, input = '') {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// A staff account with TESTER_PASSWORD; roles like 'handler@HY' or 'centre'.
function addUser(srv, login, ...roles) {
  cli(srv, ['user', 'add', login, '--name', `用户${login}`, ...roles.flatMap((r) => ['--role', r]),
    '--password-stdin'], TESTER_PASSWORD + '\n');
}

async function signInRaw(srv, login, password = TESTER_PASSWORD, headers = {}) {
  return srv.api('POST', '/api/session', { body: { login, password }, headers: { Authorization: null, ...headers } });
}

// Sign in; returns {cookie: 'kesu_session=…', value, csrf, r}.
async function signIn(srv, login, password = TESTER_PASSWORD) {
  const r = await signInRaw(srv, login, password);
  assert.equal(r.status, 200, `sign in ${login}: ${r.text}`);
  const m = COOKIE_RE.exec(r.headers.get('set-cookie'));
  assert.ok(m, r.headers.get('set-cookie'));
  return { cookie: `kesu_session=${m[1]}`, value: m[1], csrf: r.json.csrf_token, r };
}

const cookieOnly = (s) => ({ Cookie: s.cookie });
const withCsrf = (s) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf });

function assertError(r, status, field, reason, label = '') {
  assert.equal(r.status, status, `${label} ${r.text}`);
  assert.equal(r.json?.error?.field, field, `${label} field: ${r.text}`);
  assert.equal(r.json?.error?.reason, reason, `${label} reason: ${r.text}`);
}

// A request from another loopback address (fetch cannot choose its source address).
function requestFrom(srv, localAddress, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const q = http.request({
      host: srv.host, port: srv.port, method, path, localAddress,
      headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    q.on('error', reject);
    q.end(payload);
  });
}

async function auditItems(srv, query) {
  const r = await srv.api('GET', `/api/audit?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

describe('signing in, CSRF, signing out, revocation', () => {
  let srv;
  before(async () => {
    srv = await startServer({ demo: true });
    addUser(srv, 'lina2', 'handler@HY');
    addUser(srv, 'gone', 'handler@HY');
    cli(srv, ['user', 'disable', 'gone']);
  });
  after(async () => { await srv?.stop(); });

  test('sign in: the cookie, the answer, and who the session is', async () => {
    const r = await signInRaw(srv, 'tester');
    assert.equal(r.status, 200, r.text);
    const setCookie = r.headers.get('set-cookie');
    const m = COOKIE_RE.exec(setCookie);
    assert.ok(m, setCookie);
    assert.equal(m[2], '43200');                 // session_max by default: 12 h
    assert.equal(m[3], undefined, 'no Secure unless cookie_secure');
    const value = m[1];
    assert.equal(r.json.user.login, 'tester');
    assert.equal(r.json.user.name, '测试员');
    assert.deepEqual(r.json.user.roles.map((x) => x.role).sort(), ['admin', 'auditor', 'centre']);
    assert.ok(r.json.user.roles.every((x) => x.project === null));
    assert.match(r.json.csrf_token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(r.json.csrf_token, value);
    const ends = Date.parse(r.json.expires_at);
    assert.match(r.json.expires_at, /\+08:00$/);
    assert.ok(Math.abs(ends - (Date.now() + 43200_000)) < 120_000, r.json.expires_at);
    assert.equal(r.json.idle_timeout, 7200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.ok(!r.text.includes(value), 'the cookie value is not in the body');

    const s = await srv.api('GET', '/api/session', { headers: { Cookie: `kesu_session=${value}` } });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.via, 'session');
    assert.equal(s.json.user.login, 'tester');
    assert.equal(s.json.csrf_token, r.json.csrf_token);
    assert.equal(s.json.expires_at, r.json.expires_at);
    assert.equal(s.json.token, null);
    // centre + auditor + admin, company-wide: every permission, everywhere
    for (const p of ['complaint.read', 'complaint.create', 'event.create', 'contact.reveal', 'export',
      'audit.read', 'user.admin', 'token.admin'])
      assert.equal(s.json.permissions[p], '*', p);
    assert.ok(!s.text.includes(value), 'the cookie value is not in the body');

    // a project role: its project only, and nothing it does not hold
    const h = await signIn(srv, 'lina2');
    const hs = await srv.api('GET', '/api/session', { headers: cookieOnly(h) });
    assert.equal(hs.status, 200);
    assert.deepEqual(hs.json.permissions['complaint.read'], ['HY']);
    assert.equal(hs.json.permissions['audit.read'], undefined);
    assert.equal(hs.json.permissions.export, undefined);
    // a made-up cookie of the right shape is nobody; a malformed one is refused as such
    const fake = await srv.api('GET', '/api/session', { headers: { Cookie: `kesu_session=${'A'.repeat(43)}` } });
    assertError(fake, 401, 'session', 'invalid');
    const bad = await srv.api('GET', '/api/session', { headers: { Cookie: 'kesu_session=short' } });
    assertError(bad, 401, 'session', 'invalid');
  });

  test('with cookie_secure the cookie is Secure', async () => {
    const sec = await startServer({ demo: false, env: { KESU_COOKIE_SECURE: 'true' } });
    try {
      const r = await signInRaw(sec, 'tester');
      assert.equal(r.status, 200, r.text);
      const m = COOKIE_RE.exec(r.headers.get('set-cookie'));
      assert.ok(m, r.headers.get('set-cookie'));
      assert.equal(m[3], '; Secure');
    } finally {
      await sec.stop();
    }
  });

  test('a wrong password and an unknown login get the same answer, and both are audited', async () => {
    const wrong = await signInRaw(srv, 'tester', 'Not-The-Passw0rd!');
    const unknown = await signInRaw(srv, 'nosuchuser', 'Not-The-Passw0rd!');
    for (const r of [wrong, unknown]) assertError(r, 401, null, 'bad_credentials');
    assert.equal(wrong.json.error.code, 'unauthenticated');
    assert.ok(wrong.bytes.equals(unknown.bytes), `${wrong.text} vs ${unknown.text}`);
    const headers = (r) => [...r.headers].filter(([k]) => k !== 'date');
    assert.deepEqual(headers(wrong), headers(unknown));
    assert.equal(wrong.headers.get('set-cookie'), null);

    const failed = await auditItems(srv, 'action=session.login_failed&limit=10');
    const byObject = Object.fromEntries(failed.map((e) => [e.object, e]));
    for (const login of ['tester', 'nosuchuser']) {
      const e = byObject[login];
      assert.ok(e, `no session.login_failed for ${login}: ${JSON.stringify(failed)}`);
      assert.equal(e.actor, null);
      assert.equal(e.address, '127.0.0.1');
      assert.deepEqual(e.detail, {});
    }
    assert.ok(!JSON.stringify(failed).includes('Not-The-Passw0rd'), 'the password typed is not logged');
  });

  test('a password typed as the login is not written to the audit log', async () => {
    const oops = 'Secret-Typed-In-Login#42';
    const r = await signInRaw(srv, oops, 'whatever');
    assertError(r, 401, null, 'bad_credentials');
    const failed = await auditItems(srv, 'action=session.login_failed&limit=1');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].object, null);
    assert.equal(failed[0].address, '127.0.0.1');
    const all = await auditItems(srv, 'limit=500');
    assert.ok(!JSON.stringify(all).includes('Secret-Typed'), 'the login-shaped password was stored');
  });

  test('a disabled account with the right password: the same 401', async () => {
    const wrong = await signInRaw(srv, 'tester', 'Not-The-Passw0rd!');
    const r = await signInRaw(srv, 'gone');
    assertError(r, 401, null, 'bad_credentials');
    assert.ok(r.bytes.equals(wrong.bytes), r.text);
    assert.equal(r.headers.get('set-cookie'), null);
  });

  test('CSRF: a session changing state needs its token; reads and API tokens do not', async () => {
    const s = await signIn(srv, 'tester');
    const body = complaintBody();
    const none = await srv.api('POST', '/api/complaints', { body, headers: cookieOnly(s) });
    assertError(none, 403, 'X-CSRF-Token', 'missing');
    assert.equal(none.json.error.code, 'forbidden');
    const wrong = await srv.api('POST', '/api/complaints', { body, headers: { ...cookieOnly(s), 'X-CSRF-Token': s.csrf.slice(0, -1) + (s.csrf.endsWith('A') ? 'B' : 'A') } });
    assertError(wrong, 403, 'X-CSRF-Token', 'mismatch');
    const short = await srv.api('POST', '/api/complaints', { body, headers: { ...cookieOnly(s), 'X-CSRF-Token': 'x' } });
    assertError(short, 403, 'X-CSRF-Token', 'mismatch');
    // another session's token is not this one's
    const other = await signIn(srv, 'tester');
    const crossed = await srv.api('POST', '/api/complaints', { body, headers: { ...cookieOnly(s), 'X-CSRF-Token': other.csrf } });
    assertError(crossed, 403, 'X-CSRF-Token', 'mismatch');
    // CSRF comes before the body is even looked at
    const junk = await srv.api('POST', '/api/complaints', { body: '{not json', headers: cookieOnly(s) });
    assertError(junk, 403, 'X-CSRF-Token', 'missing');
    // nothing was registered by the refused requests
    const before = await srv.api('GET', '/api/complaints?limit=100', { headers: cookieOnly(s) });
    assert.equal(before.status, 200, 'a GET needs no CSRF token');
    assert.equal(before.json.items.length, 0);

    const ok = await srv.api('POST', '/api/complaints', { body, headers: withCsrf(s) });
    assert.equal(ok.status, 201, ok.text);
    const viaToken = await srv.api('POST', '/api/complaints', { body });   // the tester's Bearer token
    assert.equal(viaToken.status, 201, viaToken.text);
    const after = await srv.api('GET', '/api/complaints?limit=100', { headers: cookieOnly(s) });
    assert.equal(after.json.items.length, 2);
    const detail = await srv.api('GET', `/api/complaints/${ok.json.number}`, { headers: cookieOnly(s) });
    assert.equal(detail.status, 200);
  });

  test('sign out: 204, the cookie cleared, the session revoked; a token cannot sign out', async () => {
    const s = await signIn(srv, 'lina2');
    const noCsrf = await srv.api('DELETE', '/api/session', { headers: cookieOnly(s) });
    assertError(noCsrf, 403, 'X-CSRF-Token', 'missing');
    const out = await srv.api('DELETE', '/api/session', { headers: withCsrf(s) });
    assert.equal(out.status, 204, out.text);
    assert.equal(out.text, '');
    const cleared = out.headers.get('set-cookie');
    assert.match(cleared, /^kesu_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    const after = await srv.api('GET', '/api/session', { headers: cookieOnly(s) });
    assertError(after, 401, 'session', 'revoked');
    const again = await srv.api('DELETE', '/api/session', { headers: withCsrf(s) });
    assertError(again, 401, 'session', 'revoked');
    // a stale cookie does not stop anyone from signing in again
    const back = await signInRaw(srv, 'lina2', TESTER_PASSWORD, { Cookie: s.cookie });
    assert.equal(back.status, 200, back.text);
    const logout = await auditItems(srv, 'action=session.logout&limit=5');
    assert.equal(logout[0].actor, 'lina2');
    assert.equal(logout[0].object, 'lina2');
    assert.equal(logout[0].address, '127.0.0.1');

    const tok = await srv.api('DELETE', '/api/session');
    assertError(tok, 400, 'Authorization', 'not_a_session');
    const still = await srv.api('GET', '/api/session');
    assert.equal(still.status, 200, 'the token still works');
    assert.equal(still.json.via, 'token');
  });

  test('changing one\'s own password ends every session of the account', async () => {
    addUser(srv, 'pwself', 'handler@HY');
    const s1 = await signIn(srv, 'pwself');
    const s2 = await signIn(srv, 'pwself');
    const other = await signIn(srv, 'lina2');
    const change = (s, body) => srv.api('POST', '/api/session/password', { body, headers: withCsrf(s) });
    const NEW = 'Brand-New-Passw0rd#7';

    assertError(await change(s1, { current: 'Not-The-Passw0rd!', new: NEW }), 400, 'current', 'wrong');
    assertError(await change(s1, { current: TESTER_PASSWORD, new: 'Sh0rt!' }), 400, 'new', 'too_short');
    assertError(await change(s1, { current: TESTER_PASSWORD, new: 'lowercaseonly' }), 400, 'new', 'too_simple');
    assertError(await change(s1, { current: TESTER_PASSWORD, new: 'Xy-pwself-12345' }), 400, 'new', 'contains_login');
    assertError(await change(s1, { current: TESTER_PASSWORD }), 400, 'new', 'required');
    const noCsrf = await srv.api('POST', '/api/session/password', { body: { current: TESTER_PASSWORD, new: NEW }, headers: cookieOnly(s1) });
    assertError(noCsrf, 403, 'X-CSRF-Token', 'missing');
    const viaToken = await srv.api('POST', '/api/session/password', { body: { current: TESTER_PASSWORD, new: NEW } });
    assertError(viaToken, 400, 'Authorization', 'not_a_session');
    // none of the refusals ended anything
    assert.equal((await srv.api('GET', '/api/session', { headers: cookieOnly(s2) })).status, 200);

    const ok = await change(s1, { current: TESTER_PASSWORD, new: NEW });
    assert.equal(ok.status, 204, ok.text);
    assert.match(ok.headers.get('set-cookie'), /^kesu_session=; Path=\/; Max-Age=0;/);
    for (const s of [s1, s2]) {
      const r = await srv.api('GET', '/api/session', { headers: cookieOnly(s) });
      assert.equal(r.status, 401, r.text);
      assert.equal(r.json.error.field, 'session');
      assert.equal(r.json.error.reason, 'revoked', r.text);
    }
    assert.equal((await srv.api('GET', '/api/session', { headers: cookieOnly(other) })).status, 200,
      'another account\'s session is untouched');
    assertError(await signInRaw(srv, 'pwself', TESTER_PASSWORD), 401, null, 'bad_credentials');
    const fresh = await signIn(srv, 'pwself', NEW);
    assert.equal(fresh.r.json.user.login, 'pwself');

    const entries = await auditItems(srv, 'actor=pwself&action=user.*');
    assert.deepEqual(entries.map((e) => e.action), ['user.password', 'user.password_failed']);
    assert.deepEqual(entries[0].detail, { by: 'self', sessions_revoked: 2 });
    assert.ok(!JSON.stringify(entries).includes('Passw0rd'));
  });

  test('a reset by an administrator and disabling the account end its sessions', async () => {
    addUser(srv, 'resetme', 'handler@HY');
    addUser(srv, 'disableme', 'handler@HY');
    const r1 = await signIn(srv, 'resetme');
    const r2 = await signIn(srv, 'resetme');
    const d1 = await signIn(srv, 'disableme');
    const admin = await signIn(srv, 'tester');

    const reset = await srv.api('POST', '/api/users/resetme/password', { body: { password: 'Reset-Passw0rd!2' }, headers: withCsrf(admin) });
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(reset.json, { login: 'resetme', sessions_revoked: 2 });
    for (const s of [r1, r2])
      assertError(await srv.api('GET', '/api/session', { headers: cookieOnly(s) }), 401, 'session', 'revoked');
    assertError(await signInRaw(srv, 'resetme'), 401, null, 'bad_credentials');
    await signIn(srv, 'resetme', 'Reset-Passw0rd!2');
    // a generated password, shown once, also works
    const gen = await srv.api('POST', '/api/users/resetme/password', { body: {} });
    assert.equal(gen.status, 200, gen.text);
    assert.equal(gen.json.sessions_revoked, 1);
    assert.equal(typeof gen.json.password, 'string');
    await signIn(srv, 'resetme', gen.json.password);

    assert.equal((await srv.api('GET', '/api/session', { headers: cookieOnly(d1) })).status, 200);
    const dis = await srv.api('POST', '/api/users/disableme/status', { body: { status: 'disabled' }, headers: withCsrf(admin) });
    assert.equal(dis.status, 200, dis.text);
    assert.equal(dis.json.status, 'disabled');
    // disabling revokes the sessions at once (without that the status would still stop them)
    assertError(await srv.api('GET', '/api/session', { headers: cookieOnly(d1) }), 401, 'session', 'revoked');
    assertError(await signInRaw(srv, 'disableme'), 401, null, 'bad_credentials');

    // disabled with the command line (which does not revoke): the session still stops
    const s = await signIn(srv, 'lina2');
    cli(srv, ['user', 'disable', 'lina2']);
    assertError(await srv.api('GET', '/api/session', { headers: cookieOnly(s) }), 401, 'session', 'disabled');
    cli(srv, ['user', 'enable', 'lina2']);

    // nobody disables themselves, by session or token
    const self = await srv.api('POST', '/api/users/tester/status', { body: { status: 'disabled' }, headers: withCsrf(admin) });
    assertError(self, 409, null, 'self');
    assertError(await srv.api('POST', '/api/users/tester/status', { body: { status: 'disabled' } }), 409, null, 'self');
    assert.equal((await srv.api('GET', '/api/session', { headers: cookieOnly(admin) })).status, 200);
  });
});

describe('idle and absolute expiry', () => {
  let srv;
  before(async () => {
    srv = await startServer({ demo: false, env: { KESU_SESSION_IDLE: '60' } });
  });
  after(async () => { await srv?.stop(); });

  // The server's clock is moved by KESU_CLOCK_OFFSET (seconds) at a restart on the same database.
  async function restartAt(offset, extra = {}) {
    Object.assign(srv.env, { KESU_CLOCK_OFFSET: String(offset) }, extra);
    await srv.restart();
  }
  const whoami = (s) => srv.api('GET', '/api/session', { headers: cookieOnly(s) });

  test('a session idle longer than session_idle ends (idle)', async () => {
    const s = await signIn(srv, 'tester');
    assert.equal(s.r.json.idle_timeout, 60);
    assert.equal((await whoami(s)).status, 200);
    await restartAt(30);
    assert.equal((await whoami(s)).status, 200, 'within the idle time');
    await restartAt(120);
    assertError(await whoami(s), 401, 'session', 'idle');
    // an API token has no idle limit
    assert.equal((await srv.api('GET', '/api/session')).status, 200);
    // and one can sign in again
    const again = await signIn(srv, 'tester');
    assert.equal((await whoami(again)).status, 200);
  });

  test('a session in use still ends at session_max (expired)', async () => {
    await restartAt(0, { KESU_SESSION_IDLE: '120', KESU_SESSION_MAX: '300' });
    const s = await signIn(srv, 'tester');
    assert.match(s.r.headers.get('set-cookie'), /; Max-Age=300;/);
    assert.ok(Math.abs(Date.parse(s.r.json.expires_at) - (Date.now() + 300_000)) < 60_000, s.r.json.expires_at);
    // a request every 90 s (less than the idle limit) keeps it alive...
    for (const offset of [90, 180, 270]) {
      await restartAt(offset);
      const r = await whoami(s);
      assert.equal(r.status, 200, `at +${offset} s: ${r.text}`);
      await sleep(300);   // the use is recorded after the answer
    }
    // ...until its absolute end
    await restartAt(330);
    assertError(await whoami(s), 401, 'session', 'expired');
    // past the end and idle as well: still "expired"
    await restartAt(3600);
    assertError(await whoami(s), 401, 'session', 'expired');
  });
});

describe('throttling failed sign-ins', () => {
  let srv;
  before(async () => {
    srv = await startServer({ demo: false });
    addUser(srv, 'victim', 'executive');
    addUser(srv, 'bystander', 'executive');
  });
  after(async () => { await srv?.stop(); });

  // Failed sign-ins counted by the server for this address (kept in step by the tests).
  let addressFailures = 0;

  // Try wrong passwords for `login` until `n` of them have been counted as failures,
  // waiting out the 429s in between. Returns the 429 answers seen.
  async function failUntil(login, n, counted) {
    const limited = [];
    for (let i = 0; counted.n < n; i++) {
      assert.ok(i < 200, `never reached ${n} failures for ${login}`);
      const r = await signInRaw(srv, login, 'Wrong-Passw0rd!');
      if (r.status === 401) {
        assert.equal(r.json.error.reason, 'bad_credentials');
        counted.n++;
        addressFailures++;
      } else {
        assertError(r, 429, null, 'too_many_attempts', login);
        limited.push(r);
        await sleep(200);
      }
    }
    return limited;
  }

  test('per login: after 3 failures each attempt must wait, even with the right password', async () => {
    const victim = { n: 0 };
    for (let i = 0; i < 3; i++) {
      assertError(await signInRaw(srv, 'victim', 'Wrong-Passw0rd!'), 401, null, 'bad_credentials', `attempt ${i + 1}`);
      victim.n++;
      addressFailures++;
    }
    // Soon an attempt must wait. Which one is not asserted: the server counts in whole
    // seconds from the start of the failed request, so an attempt that lands in the next
    // second passes (and the server lets a 4th failure through before the first wait).
    // Try until one is refused.
    let first429;
    for (let i = 0; i < 10 && !first429; i++) {
      const r = await signInRaw(srv, 'victim', 'Wrong-Passw0rd!');
      if (r.status === 429) first429 = r;
      else { assertError(r, 401, null, 'bad_credentials'); victim.n++; addressFailures++; }
    }
    assert.ok(first429, 'never throttled');
    assertError(first429, 429, null, 'too_many_attempts');
    assert.equal(first429.json.error.code, 'rate_limited');
    assert.ok(Number(first429.headers.get('retry-after')) >= 1, first429.headers.get('retry-after'));
    // Five failures make the next wait 4 s: long enough to be sure the right password
    // is refused while it lasts.
    await failUntil('victim', 5, victim);
    const right = await signInRaw(srv, 'victim');
    assertError(right, 429, null, 'too_many_attempts');
    assert.ok(Number(right.headers.get('retry-after')) >= 1);
    assert.equal(right.headers.get('set-cookie'), null);
    // the login is counted without regard to case
    assertError(await signInRaw(srv, 'VICTIM', 'Wrong-Passw0rd!'), 429, null, 'too_many_attempts');

    // another account from the same address is not held up
    const other = await signInRaw(srv, 'bystander');
    assert.equal(other.status, 200, other.text);
    // the account itself waits, whichever address the attempt comes from
    const elsewhere = await requestFrom(srv, '127.0.0.2', 'POST', '/api/session', { login: 'victim', password: TESTER_PASSWORD });
    assertError(elsewhere, 429, null, 'too_many_attempts');
    assert.ok(addressFailures < 20);
  });

  test('per address: past 20 failures even a fresh login waits; other addresses do not', async () => {
    // unknown logins, one attempt each: only the address counter can stop them
    let limited;
    for (let i = 0; !limited; i++) {
      assert.ok(i < 60, 'the address was never throttled');
      const r = await signInRaw(srv, `ghost${i}`, 'Wrong-Passw0rd!');
      if (r.status === 401) {
        assert.equal(r.json.error.reason, 'bad_credentials');
        addressFailures++;
      } else {
        limited = r;
      }
    }
    assertError(limited, 429, null, 'too_many_attempts');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.ok(addressFailures >= 20, `throttled after ${addressFailures} failures`);

    // Push the address to 23 failures (the next wait 4 s), then even the right password of
    // an account that never failed is refused from here...
    const counted = { n: 0 };
    let k = 0;
    while (addressFailures < 23) {
      const before = addressFailures;
      await failUntil(`ghostly${k++}`, 1, counted);
      assert.equal(addressFailures, before + 1);
      counted.n = 0;
    }
    const right = await signInRaw(srv, 'bystander');
    assertError(right, 429, null, 'too_many_attempts');
    // ...but not from another address
    const elsewhere = await requestFrom(srv, '127.0.0.2', 'POST', '/api/session', { login: 'bystander', password: TESTER_PASSWORD });
    assert.equal(elsewhere.status, 200, elsewhere.text);
    assert.match(elsewhere.headers['set-cookie'][0], /^kesu_session=/);
  });
});

describe('the bounded queue of password checks', () => {
  let srv;
  let number;
  before(async () => {
    srv = await startServer({ demo: true, env: { KESU_LOGIN_QUEUE: '1', KESU_LOGIN_THREADS: '1' } });
    for (const u of ['q1', 'q2', 'q3']) addUser(srv, u, 'handler@HY');
    const c = await srv.api('POST', '/api/complaints', { body: complaintBody() });
    assert.equal(c.status, 201, c.text);
    number = c.json.number;
  });
  after(async () => { await srv?.stop(); });

  test('a flood of sign-ins is answered 503 busy at once; other requests go on', async () => {
    const logins = Array.from({ length: 30 }, (_, i) => signInRaw(srv, `q${(i % 3) + 1}`));
    const others = [];
    for (let i = 0; i < 5; i++) {
      others.push(srv.api('GET', '/api/health', { headers: { Authorization: null } }));
      others.push(srv.api('GET', `/api/complaints/${number}`));
    }
    const [signins, rest] = await Promise.all([Promise.all(logins), Promise.all(others)]);
    const statuses = signins.map((r) => r.status);
    for (const r of signins) {
      // simultaneous attempts on one login count until they succeed: beyond a few, 429
      assert.ok([200, 429, 503].includes(r.status), `${r.status} ${r.text}`);
      if (r.status === 429) {
        assertError(r, 429, null, 'too_many_attempts');
      } else if (r.status === 503) {
        assertError(r, 503, null, 'busy');
        assert.equal(r.json.error.code, 'busy');
        assert.equal(r.headers.get('retry-after'), '1');
        assert.equal(r.headers.get('set-cookie'), null);
      } else {
        assert.match(r.headers.get('set-cookie'), COOKIE_RE);
      }
    }
    assert.ok(statuses.includes(503), `no 503 among ${statuses}`);
    assert.ok(statuses.includes(200), `no sign-in got through: ${statuses}`);
    for (const r of rest) assert.equal(r.status, 200, r.text);

    // a busy answer is no failure: the accounts are not throttled afterwards
    for (const u of ['q1', 'q2', 'q3']) {
      let r;
      for (let i = 0; i < 20; i++) {
        r = await signInRaw(srv, u);
        if (r.status !== 503) break;
        await sleep(100);
      }
      assert.equal(r.status, 200, r.text);
    }
  });
});
