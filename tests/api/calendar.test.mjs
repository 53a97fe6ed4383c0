// The working-day calendar (issue 5, item 1): the shipped Chinese schedule, the administrator's
// edits (settings, single days, iCalendar imports), validation, permissions, the audit trail, and a
// project's calendar over the deployment's.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useServer, KESU_BIN, hasCJK } from './lib/server.mjs';

const srv = useServer();
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const tokens = {};

function cli(args) {
  const r = spawnSync(KESU_BIN, [...args, '--db', srv.db], { env: srv.env, encoding: 'utf8' });
  assert.equal(r.status, 0, `kesu ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

// Act as a demo staff member through a token holding all of the user's permissions.
function as(login) {
  if (!tokens[login]) tokens[login] = cli(['token', 'add', '--name', `cal-${login}`, '--user', login, '--scopes', '*']);
  return { Authorization: `Bearer ${tokens[login]}` };
}

const api = (method, path, body, login) => srv.api(method, path, { body, headers: login ? as(login) : {} });

function expectError(r, status, field, reason) {
  assert.equal(r.status, status, r.text);
  const err = (r.json && r.json.error) || {};
  if (field !== undefined) assert.equal(err.field ?? null, field, r.text);
  if (reason !== undefined) assert.equal(err.reason, reason, r.text);
  assert.ok(typeof err.message === 'string' && err.message.length > 0, r.text);
}

const day = (cal, date) => cal.days.find((d) => d.date === date);

function ics(events) {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//kesu tests//节假日//ZH'];
  for (const e of events) {
    lines.push('BEGIN:VEVENT', `UID:${e.start}-${e.summary}@kesu.test`, `DTSTART;VALUE=DATE:${e.start.replaceAll('-', '')}`);
    if (e.end) lines.push(`DTEND;VALUE=DATE:${e.end.replaceAll('-', '')}`);
    if (e.summary) lines.push(`SUMMARY:${e.summary}`);
    if (e.kind) lines.push(`X-KESU-KIND:${e.kind}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

async function audit(action) {
  const r = await srv.api('GET', `/api/audit?action=${action}&limit=50`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

before(async () => {
  await srv.ready;
});

test('the shipped schedule: 2026 as the State Council announced it, unchecked', async () => {
  const r = await api('GET', '/api/calendar?year=2026');
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.calendar, 'deployment');
  assert.equal(c.project, null);
  assert.deepEqual(c.weekdays, [1, 2, 3, 4, 5]);
  assert.equal(c.work_start, '09:00');
  assert.equal(c.work_end, '18:00');
  assert.equal(c.source, '国务院办公厅通知 (内置，请核对)');
  assert.equal(c.checked, false);
  assert.equal(c.checked_by, null);
  assert.equal(c.year, 2026);
  assert.equal(c.working_days, 248);
  assert.match(c.updated_at, TIME_RE);
  const holidays = c.days.filter((d) => d.kind === 'holiday').map((d) => d.date);
  const workdays = c.days.filter((d) => d.kind === 'workday').map((d) => d.date);
  assert.equal(holidays.length, 33);
  assert.deepEqual(workdays, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  for (const d of ['2026-01-01', '2026-02-15', '2026-02-23', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07'])
    assert.ok(holidays.includes(d), d);
  assert.deepEqual(day(c, '2026-02-14'), {
    date: '2026-02-14', weekday: 6, kind: 'workday', name: '春节调休上班', calendar: 'deployment',
    updated_by: null, updated_at: c.updated_at,
  });
  assert.equal(day(c, '2026-02-15').name, '春节');
  // 2025 too; a year without data follows the weekly pattern only
  const y25 = await api('GET', '/api/calendar?year=2025');
  assert.equal(y25.json.working_days, 248);
  assert.equal(y25.json.days.length, 33);
  const y27 = await api('GET', '/api/calendar?year=2027');
  assert.deepEqual(y27.json.days, []);
  assert.equal(y27.json.working_days, 261);
  // without a year: the current one
  const now = await api('GET', '/api/calendar');
  assert.equal(now.status, 200);
  assert.equal(now.json.year, new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
});

test('GET /api/calendar: bad parameters are named', async () => {
  expectError(await api('GET', '/api/calendar?year=26'), 400, 'year', 'bad_value');
  expectError(await api('GET', '/api/calendar?year=abcd'), 400, 'year', 'bad_value');
  expectError(await api('GET', '/api/calendar?year=1969'), 400, 'year', 'out_of_range');
  expectError(await api('GET', '/api/calendar?year=2026&year=2027'), 400, 'year', 'repeated');
  expectError(await api('GET', '/api/calendar?month=2'), 400, 'month', 'unknown_parameter');
  expectError(await api('GET', '/api/calendar?project=ZZ'), 400, 'project', 'unknown');
  expectError(await api('GET', '/api/calendar?project=' + encodeURIComponent('华苑')), 400, 'project', 'unknown');
});

test('everyone signed in reads it; only the administrator changes it', async () => {
  const read = await api('GET', '/api/calendar?year=2026', undefined, 'lina');
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.working_days, 248);
  expectError(await api('PUT', '/api/calendar', { checked: true }, 'lina'), 403);
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday' }, 'lina'), 403);
  expectError(await api('POST', '/api/calendar/import', { ics: ics([{ start: '2027-01-01', summary: '元旦' }]) }, 'lina'), 403);
  const anon = await srv.api('GET', '/api/calendar', { headers: { Authorization: null } });
  assert.equal(anon.status, 401);
  // nothing changed
  const after = await api('GET', '/api/calendar?year=2026');
  assert.equal(after.json.checked, false);
  assert.equal(day(after.json, '2026-10-09'), undefined);
});

test('PUT /api/calendar: validation names the field', async () => {
  const cases = [
    [{ weekdays: [] }, 'weekdays', 'empty'],
    [{ weekdays: [0, 1] }, 'weekdays', 'out_of_range'],
    [{ weekdays: [1, 8] }, 'weekdays', 'out_of_range'],
    [{ weekdays: [1, 1] }, 'weekdays', 'repeated'],
    [{ weekdays: ['1'] }, 'weekdays', 'bad_type'],
    [{ weekdays: 'weekdays' }, 'weekdays', 'bad_type'],
    [{ work_start: '9:00' }, 'work_start', 'bad_format'],
    [{ work_start: '24:00' }, 'work_start', 'bad_time'],
    [{ work_end: '24:30' }, 'work_end', 'bad_time'],
    [{ work_end: '18:60' }, 'work_end', 'bad_time'],
    [{ work_start: '18:00', work_end: '09:00' }, 'work_end', 'before_from'],
    [{ work_start: '19:00' }, 'work_start', 'out_of_range'],   // after the stored 18:00
    [{ checked: 'yes' }, 'checked', 'bad_type'],
    [{ source: 'x'.repeat(201) }, 'source', 'too_long'],
    [{ holidays: [] }, 'holidays', 'unknown_field'],
    [{ project: 'ZZ', checked: true }, 'project', 'unknown'],
    [{}, null, 'nothing_to_change'],
  ];
  for (const [body, field, reason] of cases) expectError(await api('PUT', '/api/calendar', body), 400, field, reason);
  expectError(await srv.api('PUT', '/api/calendar', { body: '[1,2]' }), 400, 'body', 'not_object');
  const c = await api('GET', '/api/calendar?year=2026');
  assert.equal(c.json.work_start, '09:00');
  assert.deepEqual(c.json.weekdays, [1, 2, 3, 4, 5]);
});

test('PUT /api/calendar: the administrator confirms the schedule and sets the hours, audited', async () => {
  const r = await api('PUT', '/api/calendar', { checked: true, work_start: '08:30', work_end: '17:30' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.checked, true);
  assert.equal(r.json.checked_by, 'tester');
  assert.match(r.json.checked_at, TIME_RE);
  assert.equal(r.json.updated_by, 'tester');
  assert.equal(r.json.work_start, '08:30');
  assert.equal(r.json.work_end, '17:30');
  assert.equal(r.json.source, '国务院办公厅通知 (内置，请核对)');
  // only the end: the start stays; 24:00 is the end of the day
  const late = await api('PUT', '/api/calendar', { work_end: '24:00' });
  assert.equal(late.status, 200, late.text);
  assert.equal(late.json.work_start, '08:30');
  assert.equal(late.json.work_end, '24:00');
  const back = await api('PUT', '/api/calendar', { work_start: '09:00', work_end: '18:00', source: '国务院办公厅通知,已由行政部核对' });
  assert.equal(back.json.work_end, '18:00');
  assert.equal(back.json.checked, true);
  assert.equal(back.json.source, '国务院办公厅通知,已由行政部核对');
  const entries = await audit('calendar.put');
  assert.ok(entries.length >= 3);
  const first = entries[entries.length - 1];
  assert.equal(first.actor, 'tester');
  assert.equal(first.object, 'deployment');
  assert.equal(first.detail.before.checked, false);
  assert.equal(first.detail.after.checked, true);
  assert.equal(first.detail.after.work_start, '08:30');
});

test('PUT /api/calendar/days/{date}: a company holiday, then back to normal', async () => {
  const put = await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '公司周年庆' });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.json, {
    date: '2026-10-09', weekday: 5, kind: 'holiday', name: '公司周年庆', working: false,
    calendar: 'deployment', project: null, result: 'added', created: false,
  });
  const again = await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '公司周年庆' });
  assert.equal(again.json.result, 'unchanged');
  const renamed = await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '周年庆' });
  assert.equal(renamed.json.result, 'changed');
  let c = await api('GET', '/api/calendar?year=2026');
  assert.equal(day(c.json, '2026-10-09').name, '周年庆');
  assert.equal(day(c.json, '2026-10-09').updated_by, 'tester');
  assert.equal(c.json.working_days, 247);
  // a make-up Saturday of the company's own
  const sat = await api('PUT', '/api/calendar/days/2026-10-17', { kind: 'workday', name: '补班' });
  assert.equal(sat.json.working, true);
  const normal = await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'normal', name: 'ignored' });
  assert.equal(normal.status, 200, normal.text);
  assert.equal(normal.json.result, 'removed');
  assert.equal(normal.json.kind, 'normal');
  assert.equal(normal.json.working, true);
  assert.equal(normal.json.calendar, null);
  await api('PUT', '/api/calendar/days/2026-10-17', { kind: 'normal' });
  c = await api('GET', '/api/calendar?year=2026');
  assert.equal(day(c.json, '2026-10-09'), undefined);
  assert.equal(c.json.working_days, 248);
  const entries = await audit('calendar.day_put');
  const removal = entries.find((x) => x.object === '2026-10-09' && x.detail.result === 'removed');
  assert.ok(removal, JSON.stringify(entries));
  assert.deepEqual(removal.detail.before, { kind: 'holiday', name: '周年庆', calendar: 'deployment' });
  assert.deepEqual(removal.detail.after, { kind: 'normal' });
});

test('PUT /api/calendar/days/{date}: validation', async () => {
  expectError(await api('PUT', '/api/calendar/days/2026-02-30', { kind: 'holiday' }), 400, 'date', 'bad_date');
  expectError(await api('PUT', '/api/calendar/days/2026-2-3', { kind: 'holiday' }), 400, 'date', 'bad_format');
  expectError(await api('PUT', '/api/calendar/days/tomorrow', { kind: 'holiday' }), 400, 'date', 'bad_format');
  expectError(await api('PUT', '/api/calendar/days/1969-12-31', { kind: 'holiday' }), 400, 'date', 'out_of_range');
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', {}), 400, 'kind', 'required');
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'off' }), 400, 'kind', 'bad_value');
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '假'.repeat(51) }), 400, 'name', 'too_long');
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', project: 'ZZ' }), 400, 'project', 'unknown');
  expectError(await api('PUT', '/api/calendar/days/2026-10-09', { kind: 'holiday', day: 1 }), 400, 'day', 'unknown_field');
  const c = await api('GET', '/api/calendar?year=2026');
  assert.equal(day(c.json, '2026-10-09'), undefined);
});

test('POST /api/calendar/import: an iCalendar file with Chinese names, twice', async () => {
  const file = ics([
    { start: '2027-01-01', summary: '元旦(测试数据)' },
    { start: '2027-02-06', end: '2027-02-13', summary: '春节(测试数据)' },
    { start: '2027-02-14', summary: '春节补班(测试数据)' },
    { start: '2027-02-20', summary: '公司活动', kind: 'workday' },
  ]);
  const r = await api('POST', '/api/calendar/import', { ics: file });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    calendar: 'deployment', project: null, created: false, events: 4, days: 10,
    from: '2027-01-01', to: '2027-02-20', added: 10, changed: 0, unchanged: 0,
  });
  const c = await api('GET', '/api/calendar?year=2027');
  assert.equal(c.json.days.length, 10);
  assert.equal(day(c.json, '2027-02-06').name, '春节(测试数据)');
  assert.equal(day(c.json, '2027-02-12').kind, 'holiday');
  assert.equal(day(c.json, '2027-02-13'), undefined);   // DTEND is exclusive
  assert.equal(day(c.json, '2027-02-14').kind, 'workday');
  assert.equal(day(c.json, '2027-02-20').kind, 'workday');
  // the same file again changes nothing; a renamed day is a change
  const again = await api('POST', '/api/calendar/import', { ics: file });
  assert.equal(again.json.unchanged, 10);
  assert.equal(again.json.added, 0);
  const renamed = await api('POST', '/api/calendar/import', { ics: ics([{ start: '2027-01-01', summary: '元旦' }]) });
  assert.equal(renamed.json.changed, 1);
  const entries = await audit('calendar.import');
  assert.equal(entries[0].object, 'deployment');
  assert.equal(entries[0].detail.changed, 1);
  assert.ok(hasCJK(day((await api('GET', '/api/calendar?year=2027')).json, '2027-01-01').name));
});

test('POST /api/calendar/import: refusals, and nothing written by a refused file', async () => {
  const good = { start: '2028-05-01', summary: '劳动节' };
  expectError(await api('POST', '/api/calendar/import', {}), 400, 'ics', 'required');
  expectError(await api('POST', '/api/calendar/import', { ics: '' }), 400, 'ics', 'empty');
  expectError(await api('POST', '/api/calendar/import', { ics: 42 }), 400, 'ics', 'bad_type');
  expectError(await api('POST', '/api/calendar/import', { ics: '节假日' }), 400, 'ics', 'not_vcalendar');
  expectError(await api('POST', '/api/calendar/import', { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }), 400, 'ics', 'no_events');
  expectError(await api('POST', '/api/calendar/import', { ics: ics([good, { start: '2028-05-02', summary: '补班', kind: 'sometimes' }]) }), 400, 'ics', 'bad_kind');
  expectError(await api('POST', '/api/calendar/import', { ics: ics([good, { start: '2028-05-01', summary: '上班' }]) }), 400, 'ics', 'conflict');
  expectError(await api('POST', '/api/calendar/import', { ics: ics([good, { start: '2028-01-01', end: '2029-01-03', summary: '长假' }]) }), 400, 'ics', 'range_too_long');
  const timed = ics([good]).replace('DTSTART;VALUE=DATE:20280501', 'DTSTART:20280501T090000');
  expectError(await api('POST', '/api/calendar/import', { ics: timed }), 400, 'ics', 'not_all_day');
  const recurring = ics([good]).replace('SUMMARY:劳动节', 'SUMMARY:劳动节\r\nRRULE:FREQ=YEARLY');
  expectError(await api('POST', '/api/calendar/import', { ics: recurring }), 400, 'ics', 'recurring');
  const many = ics(Array.from({ length: 1001 }, (_, i) => ({ start: `2028-${String(1 + (i % 12)).padStart(2, '0')}-01`, summary: '假' })));
  expectError(await api('POST', '/api/calendar/import', { ics: many }), 400, 'ics', 'too_many');
  expectError(await api('POST', '/api/calendar/import', { ics: ics([good]), project: 'ZZ' }), 400, 'project', 'unknown');
  expectError(await api('POST', '/api/calendar/import', { ics: ics([good]), year: 2028 }), 400, 'year', 'unknown_field');
  const c = await api('GET', '/api/calendar?year=2028');
  assert.deepEqual(c.json.days, []);
});

test('a project calendar lies over the deployment\'s', async () => {
  // HY works Monday to Saturday: its own calendar, created with the deployment's settings
  const made = await api('PUT', '/api/calendar', { project: 'HY', weekdays: [1, 2, 3, 4, 5, 6] });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.calendar, 'project');
  assert.equal(made.json.project, 'HY');
  assert.deepEqual(made.json.weekdays, [1, 2, 3, 4, 5, 6]);
  assert.equal(made.json.work_start, '09:00');
  const again = await api('PUT', '/api/calendar', { project: 'HY', weekdays: [1, 2, 3, 4, 5, 6] });
  assert.equal(again.status, 200, again.text);
  // HY's own exception: it works on 2026-02-16, in the middle of 春节
  const own = await api('PUT', '/api/calendar/days/2026-02-16', { kind: 'workday', name: '项目值班', project: 'HY' });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.calendar, 'project');
  assert.equal(own.json.working, true);
  const hy = (await api('GET', '/api/calendar?year=2026&project=HY')).json;
  assert.equal(hy.calendar, 'project');
  assert.equal(day(hy, '2026-02-16').kind, 'workday');
  assert.equal(day(hy, '2026-02-16').calendar, 'project');
  assert.equal(day(hy, '2026-02-17').kind, 'holiday');     // the public holidays still apply
  assert.equal(day(hy, '2026-02-17').calendar, 'deployment');
  // Monday to Saturday with the public holidays and its own Feb 16 (counted by hand: 289 + 1)
  assert.equal(hy.working_days, 290);
  // the deployment's calendar is untouched; a project without one uses it
  const dep = (await api('GET', '/api/calendar?year=2026')).json;
  assert.equal(dep.calendar, 'deployment');
  assert.deepEqual(dep.weekdays, [1, 2, 3, 4, 5]);
  assert.equal(day(dep, '2026-02-16').kind, 'holiday');
  const jx = (await api('GET', '/api/calendar?year=2026&project=JX')).json;
  assert.equal(jx.calendar, 'deployment');
  assert.equal(jx.project, 'JX');
  assert.equal(day(jx, '2026-02-16').kind, 'holiday');
  // removing HY's exception uncovers the deployment's holiday
  const off = await api('PUT', '/api/calendar/days/2026-02-16', { kind: 'normal', project: 'HY' });
  assert.equal(off.json.result, 'removed');
  assert.equal(off.json.kind, 'holiday');
  assert.equal(off.json.calendar, 'deployment');
  assert.equal(off.json.working, false);
  const entries = await audit('calendar.day_put');
  assert.ok(entries.some((x) => x.object === 'HY:2026-02-16'));
});

test('an import into a project makes its calendar', async () => {
  const r = await api('POST', '/api/calendar/import', {
    project: 'BJ', ics: ics([{ start: '2026-03-20', summary: '小区停电检修' }]),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.calendar, 'project');
  assert.equal(r.json.created, true);
  assert.equal(r.json.added, 1);
  const bj = (await api('GET', '/api/calendar?year=2026&project=BJ')).json;
  assert.equal(bj.calendar, 'project');
  assert.deepEqual(bj.weekdays, [1, 2, 3, 4, 5]);
  assert.equal(day(bj, '2026-03-20').calendar, 'project');
  assert.equal(bj.working_days, 247);
  const dep = (await api('GET', '/api/calendar?year=2026')).json;
  assert.equal(day(dep, '2026-03-20'), undefined);
});
