// The working-day calendar: a year of holidays and make-up working days for
// the deployment or a project, the weekly pattern and hours, confirming the
// built-in schedule, and importing an iCalendar file (config.admin).
import { h, mount, toast, $$ } from '../../dom.js';
import { t, tEnum, lang } from '../../i18n.js';
import { get, put, post, enc, withQuery } from '../../api.js';
import { field } from '../../form.js';
import { dateTime, date as fmtDate, toLocalInput } from '../../fmt.js';
import { areaRoute, ref, editForm, changed, NothingChanged, badge, table, projectName } from './kit.js';

export const strings = {
  zh: {
    'admin.cal.which': '日历',
    'admin.cal.deployment': '公司日历（全部项目）',
    'admin.cal.year': '年份',
    'admin.cal.prev_year': '上一年',
    'admin.cal.next_year': '下一年',
    'admin.cal.uses_deployment': '{project} 没有自己的日历，使用公司日历。修改设置或某一天会为它建立自己的日历；其余日子仍沿用公司日历（包括以后导入的法定节假日）。',
    'admin.cal.own_project': '{project} 有自己的日历：这里的例外日优先，其余日子沿用公司日历。',
    'admin.cal.settings': '每周工作日与工作时间',
    'admin.cal.weekdays': '每周工作日',
    'admin.cal.work_start': '上班时间',
    'admin.cal.work_end': '下班时间',
    'admin.cal.source': '日程来源',
    'admin.cal.source_hint': '如：国务院办公厅关于2027年部分节假日安排的通知',
    'admin.cal.checked': '已与官方通知核对，确认无误',
    'admin.cal.save_settings': '保存设置',
    'admin.cal.checked_by': '已核对：{who}，{at}',
    'admin.cal.unchecked': '尚未核对',
    'admin.cal.unchecked_text': '日程来源：{source}。请与国务院办公厅的节假日安排通知逐日核对，无误后确认。',
    'admin.cal.confirm': '确认日程已核对',
    'admin.cal.confirmed': '已确认日程',
    'admin.cal.working_days': '{year} 年共 {n} 个工作日',
    'admin.cal.year_view': '{year} 年',
    'admin.cal.legend': '图例',
    'admin.cal.l_work': '工作日',
    'admin.cal.l_off': '休息日',
    'admin.cal.l_holiday': '节假日',
    'admin.cal.l_workday': '调休上班',
    'admin.cal.l_today': '今天',
    'admin.cal.day_hint': '点选某一天可设为节假日、调休上班或恢复常规；方向键在日期间移动。',
    'admin.cal.s_work': '工作日',
    'admin.cal.s_off': '休息日',
    'admin.cal.s_holiday': '节假日',
    'admin.cal.s_workday': '调休上班',
    'admin.cal.kind': '类型',
    'admin.cal.k_holiday': '节假日（休息）',
    'admin.cal.k_workday': '调休上班（工作）',
    'admin.cal.k_normal': '恢复常规（按每周工作日）',
    'admin.cal.name': '名称',
    'admin.cal.name_hint': '如：国庆节、春节调休上班',
    'admin.cal.now': '目前：{state}',
    'admin.cal.r.added': '已添加',
    'admin.cal.r.changed': '已修改',
    'admin.cal.r.removed': '已恢复常规',
    'admin.cal.r.unchanged': '没有变化',
    'admin.cal.exceptions': '{year} 年的例外日（{n}）',
    'admin.cal.date': '日期',
    'admin.cal.weekday': '星期',
    'admin.cal.from_calendar': '来自',
    'admin.cal.from_deployment': '公司日历',
    'admin.cal.from_project': '项目日历',
    'admin.cal.import': '导入 iCalendar 文件',
    'admin.cal.import_intro': '导入 .ics 文件中的全天事件：名称含“班”或“workday”的为调休上班，其余为节假日；文件中没有的日子保持不变。',
    'admin.cal.ics': 'iCalendar 文件（.ics）',
    'admin.cal.import_submit': '导入',
    'admin.cal.choose_file': '请选择文件',
    'admin.cal.imported': '已导入 {events} 个事件，共 {days} 天（{from} 至 {to}）：新增 {added}，修改 {changed}，未变 {unchanged}。',
    'admin.cal.close': '关闭',
    'admin.cal.time_hint': '24 小时制，如 09:00；下班可为 24:00',
    'admin.cal.wd.1': '星期一',
    'admin.cal.wd.2': '星期二',
    'admin.cal.wd.3': '星期三',
    'admin.cal.wd.4': '星期四',
    'admin.cal.wd.5': '星期五',
    'admin.cal.wd.6': '星期六',
    'admin.cal.wd.7': '星期日',
    'admin.cal.wds.1': '一',
    'admin.cal.wds.2': '二',
    'admin.cal.wds.3': '三',
    'admin.cal.wds.4': '四',
    'admin.cal.wds.5': '五',
    'admin.cal.wds.6': '六',
    'admin.cal.wds.7': '日',
  },
  en: {
    'admin.cal.which': 'Calendar',
    'admin.cal.deployment': 'Company calendar (all projects)',
    'admin.cal.year': 'Year',
    'admin.cal.prev_year': 'Previous year',
    'admin.cal.next_year': 'Next year',
    'admin.cal.uses_deployment': '{project} has no calendar of its own and uses the company\'s. Changing a setting or a day makes one for it; every other day still follows the company calendar (public holidays imported later included).',
    'admin.cal.own_project': '{project} has its own calendar: its exceptions win, every other day follows the company calendar.',
    'admin.cal.settings': 'Working week and hours',
    'admin.cal.weekdays': 'Working days of the week',
    'admin.cal.work_start': 'Work starts',
    'admin.cal.work_end': 'Work ends',
    'admin.cal.source': 'Source of the schedule',
    'admin.cal.source_hint': 'E.g. the State Council notice on the 2027 public holidays',
    'admin.cal.checked': 'Compared with the official notice and confirmed',
    'admin.cal.save_settings': 'Save settings',
    'admin.cal.checked_by': 'Confirmed by {who}, {at}',
    'admin.cal.unchecked': 'Not confirmed',
    'admin.cal.unchecked_text': 'Source: {source}. Compare it day by day with the State Council\'s holiday notice, then confirm.',
    'admin.cal.confirm': 'Confirm the schedule',
    'admin.cal.confirmed': 'Schedule confirmed',
    'admin.cal.working_days': '{n} working days in {year}',
    'admin.cal.year_view': '{year}',
    'admin.cal.legend': 'Legend',
    'admin.cal.l_work': 'Working day',
    'admin.cal.l_off': 'Day off',
    'admin.cal.l_holiday': 'Holiday',
    'admin.cal.l_workday': 'Make-up working day',
    'admin.cal.l_today': 'Today',
    'admin.cal.day_hint': 'Choose a day to make it a holiday, a make-up working day or normal again; arrow keys move between days.',
    'admin.cal.s_work': 'working day',
    'admin.cal.s_off': 'day off',
    'admin.cal.s_holiday': 'holiday',
    'admin.cal.s_workday': 'make-up working day',
    'admin.cal.kind': 'Kind',
    'admin.cal.k_holiday': 'Holiday (day off)',
    'admin.cal.k_workday': 'Make-up working day',
    'admin.cal.k_normal': 'Normal (per the working week)',
    'admin.cal.name': 'Name',
    'admin.cal.name_hint': 'E.g. National Day, Spring Festival make-up day',
    'admin.cal.now': 'Now: {state}',
    'admin.cal.r.added': 'Added',
    'admin.cal.r.changed': 'Changed',
    'admin.cal.r.removed': 'Back to normal',
    'admin.cal.r.unchanged': 'Nothing changed',
    'admin.cal.exceptions': 'Exceptions in {year} ({n})',
    'admin.cal.date': 'Date',
    'admin.cal.weekday': 'Weekday',
    'admin.cal.from_calendar': 'From',
    'admin.cal.from_deployment': 'Company calendar',
    'admin.cal.from_project': 'Project calendar',
    'admin.cal.import': 'Import an iCalendar file',
    'admin.cal.import_intro': 'Imports the all-day events of an .ics file: a name containing 班 or "workday" is a make-up working day, anything else a holiday; days not in the file stay as they are.',
    'admin.cal.ics': 'iCalendar file (.ics)',
    'admin.cal.import_submit': 'Import',
    'admin.cal.choose_file': 'Choose a file',
    'admin.cal.imported': '{events} events imported, {days} days ({from} to {to}): {added} added, {changed} changed, {unchanged} unchanged.',
    'admin.cal.close': 'Close',
    'admin.cal.time_hint': '24-hour, e.g. 09:00; the end may be 24:00',
    'admin.cal.wd.1': 'Monday',
    'admin.cal.wd.2': 'Tuesday',
    'admin.cal.wd.3': 'Wednesday',
    'admin.cal.wd.4': 'Thursday',
    'admin.cal.wd.5': 'Friday',
    'admin.cal.wd.6': 'Saturday',
    'admin.cal.wd.7': 'Sunday',
    'admin.cal.wds.1': 'Mo',
    'admin.cal.wds.2': 'Tu',
    'admin.cal.wds.3': 'We',
    'admin.cal.wds.4': 'Th',
    'admin.cal.wds.5': 'Fr',
    'admin.cal.wds.6': 'Sa',
    'admin.cal.wds.7': 'Su',
  },
};

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
// ISO weekday (1 = Monday … 7 = Sunday) of a calendar day
const isoWeekday = (y, m, d) => ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const wdName = (n) => t(`admin.cal.wd.${n}`);
const monthName = (m) => new Intl.DateTimeFormat(lang() === 'en' ? 'en' : 'zh-CN', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));

// What a day is: 'holiday' | 'workday' (make-up) | 'work' | 'off'
function stateOf(cal, exceptions, day, wd) {
  const ex = exceptions.get(day);
  if (ex?.kind === 'holiday') return 'holiday';
  if (ex?.kind === 'workday') return 'workday';
  return cal.weekdays.includes(wd) ? 'work' : 'off';
}
const stateText = (s) => ({ holiday: t('admin.cal.s_holiday'), workday: t('admin.cal.s_workday'), work: t('admin.cal.s_work'), off: t('admin.cal.s_off') })[s];

async function fill(body, { query }) {
  const today = toLocalInput().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));
  let year = /^\d{4}$/.test(query.get('year') || '') ? Number(query.get('year')) : thisYear;
  const projects = await ref.projects();
  let project = projects.some((p) => p.code === query.get('project')) ? query.get('project') : '';
  let cal = null;
  let focusDay = null;

  const head = h('div', { class: 'toolbar cal-toolbar' });
  const notes = h('div', { class: 'cal-notes', 'aria-live': 'polite' });
  const settingsBox = h('div', { class: 'card cal-settings' });
  const yearBox = h('div', { class: 'card cal-year' }, h('p', { class: 'muted' }, t('common.loading')));
  const listBox = h('div', { class: 'cal-exceptions' });
  const importBox = h('div', { class: 'card cal-import' });
  const dialog = h('dialog', { class: 'cal-dialog', 'aria-labelledby': 'cal-dialog-title' });
  mount(body, head, notes, h('div', { class: 'cal-layout' }, yearBox, h('div', { class: 'cal-side' }, settingsBox, importBox)), listBox, dialog);

  const calParam = () => (project ? { project } : {});

  function drawHead() {
    const which = field({ name: 'calendar', label: t('admin.cal.which'), type: 'select', value: project,
      options: [['', t('admin.cal.deployment')], ...projects.map((p) => [p.code, `${p.name} (${p.code})`])],
      attrs: { onchange: (ev) => { project = ev.target.value; load(); } } });
    const years = [];
    for (let y = Math.min(year, thisYear) - 1; y <= Math.max(year, thisYear) + 2; y++) years.push([String(y), String(y)]);
    const yearF = field({ name: 'year', label: t('admin.cal.year'), type: 'select', value: String(year), options: years,
      attrs: { onchange: (ev) => { year = Number(ev.target.value); load(); } } });
    const had = head.contains(document.activeElement) ? document.activeElement.name || document.activeElement.getAttribute('aria-label') : null;
    mount(head, which, yearF,
      h('div', { class: 'cal-step' },
        h('button', { type: 'button', 'aria-label': t('admin.cal.prev_year'), onclick: () => { year -= 1; load(); } }, '‹'),
        h('button', { type: 'button', 'aria-label': t('admin.cal.next_year'), onclick: () => { year += 1; load(); } }, '›')));
    if (had) [...head.querySelectorAll('select, button')].find((el) => el.name === had || el.getAttribute('aria-label') === had)?.focus();
  }

  async function load() {
    if (!body.isConnected) return; // the user has moved on
    history.replaceState(null, '', `#${withQuery('/admin/calendar', { year, project })}`);
    drawHead();
    yearBox.setAttribute('aria-busy', 'true');
    try {
      cal = await get(withQuery('/api/calendar', { year, project }));
      draw();
    } catch (err) {
      if (err?.status === 401) return;
      mount(yearBox, h('p', { class: 'form-error', role: 'alert' }, err.message));
    } finally {
      yearBox.removeAttribute('aria-busy');
    }
  }

  function draw() {
    drawNotes();
    drawSettings();
    drawYear();
    drawList();
    drawImport();
  }

  function drawNotes() {
    const pname = project ? `${projectName(projects, project)} (${project})` : '';
    mount(notes,
      project ? h('p', { class: 'callout callout-info' }, cal.calendar === 'project'
        ? t('admin.cal.own_project', { project: pname }) : t('admin.cal.uses_deployment', { project: pname })) : null,
      cal.checked
        ? h('p', { class: 'cal-checked' }, badge(t('admin.cal.checked_by', { who: cal.checked_by || '—', at: cal.checked_at ? dateTime(cal.checked_at) : '' }), 'ok'))
        : h('div', { class: 'callout callout-warn' },
          h('p', null, h('strong', null, t('admin.cal.unchecked')), ' — ', t('admin.cal.unchecked_text', { source: cal.source || '—' })),
          h('button', {
            type: 'button', class: 'primary',
            onclick: async (ev) => {
              const btn = ev.currentTarget;
              btn.disabled = true;
              try { await put('/api/calendar', { ...calParam(), checked: true }); toast(t('admin.cal.confirmed'), 'ok'); await load(); } catch (err) { toast(err.message, 'error'); btn.disabled = false; }
            },
          }, t('admin.cal.confirm'))));
  }

  function drawSettings() {
    const wdId = 'cal-wd';
    const weekdays = h('fieldset', { class: 'field cal-weekdays', dataset: { field: 'weekdays' }, 'aria-describedby': `${wdId}-err` },
      h('legend', null, t('admin.cal.weekdays')),
      h('div', { class: 'checks' }, [1, 2, 3, 4, 5, 6, 7].map((n) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: `wd${n}`, checked: cal.weekdays.includes(n) }), ' ', wdName(n)))),
      h('p', { class: 'field-error', id: `${wdId}-err`, role: 'alert' }));
    const form = editForm({
      title: t('admin.cal.settings'),
      fields: [
        weekdays,
        [{ name: 'work_start', label: t('admin.cal.work_start'), required: true, value: cal.work_start, hint: t('admin.cal.time_hint'), attrs: { inputmode: 'numeric', maxlength: 5, autocomplete: 'off' } },
          { name: 'work_end', label: t('admin.cal.work_end'), required: true, value: cal.work_end, hint: t('admin.cal.time_hint'), attrs: { inputmode: 'numeric', maxlength: 5, autocomplete: 'off' } }],
        { name: 'source', label: t('admin.cal.source'), value: cal.source, hint: t('admin.cal.source_hint'), attrs: { maxlength: 200 } },
        { name: 'checked', label: t('admin.cal.checked'), type: 'checkbox', value: cal.checked },
      ],
      submit: t('admin.cal.save_settings'),
      action: async (v) => {
        const now = { weekdays: [1, 2, 3, 4, 5, 6, 7].filter((n) => v[`wd${n}`]), work_start: v.work_start, work_end: v.work_end, source: v.source, checked: v.checked };
        const diff = changed(now, cal, ['weekdays', 'work_start', 'work_end', 'source', 'checked']);
        if (!Object.keys(diff).length && !(project && cal.calendar !== 'project')) throw new NothingChanged();
        return put('/api/calendar', { ...calParam(), ...diff });
      },
      done: t('common.saved'),
      after: () => load(),
    });
    mount(settingsBox, form);
  }

  function drawYear() {
    const exceptions = new Map((cal.days || []).map((d) => [d.date, d]));
    const months = [];
    for (let m = 1; m <= 12; m++) {
      const first = isoWeekday(year, m, 1);
      const n = daysIn(year, m);
      const cells = [];
      for (let i = 1; i < first; i++) cells.push(h('td', { class: 'pad' }));
      for (let d = 1; d <= n; d++) {
        const day = isoDay(year, m, d);
        const wd = isoWeekday(year, m, d);
        const s = stateOf(cal, exceptions, day, wd);
        const ex = exceptions.get(day);
        const label = [`${fmtDate(day)} ${wdName(wd)}`, stateText(s), ex?.name].filter(Boolean).join(' · ');
        cells.push(h('td', null, h('button', {
          type: 'button', class: ['day', `d-${s}`, day === today ? 'd-today' : null],
          'aria-label': label, title: label, tabindex: '-1', dataset: { day },
          onclick: () => openDay(day, wd, s, ex),
        }, String(d))));
      }
      const rows = [];
      for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', null, cells.slice(i, i + 7)));
      months.push(h('section', { class: 'month' },
        h('h3', null, monthName(m)),
        h('table', { class: 'month-grid' },
          h('thead', null, h('tr', null, [1, 2, 3, 4, 5, 6, 7].map((n) => h('th', { scope: 'col', abbr: wdName(n) }, t(`admin.cal.wds.${n}`))))),
          h('tbody', null, rows))));
    }
    const grid = h('div', { class: 'months', onkeydown: onGridKey }, months);
    mount(yearBox,
      h('div', { class: 'cal-year-head' },
        h('h2', null, t('admin.cal.year_view', { year })),
        h('p', { class: 'muted' }, t('admin.cal.working_days', { year, n: cal.working_days }))),
      h('ul', { class: 'cal-legend', 'aria-label': t('admin.cal.legend') },
        [['work', t('admin.cal.l_work')], ['off', t('admin.cal.l_off')], ['holiday', t('admin.cal.l_holiday')], ['workday', t('admin.cal.l_workday')], ['today', t('admin.cal.l_today')]]
          .map(([k, l]) => h('li', null, h('span', { class: ['swatch', `d-${k}`], 'aria-hidden': 'true' }), l))),
      h('p', { class: 'hint' }, t('admin.cal.day_hint')),
      grid);
    // one day is reachable with Tab; the arrow keys move from there
    const buttons = $$('button.day', grid);
    const start = buttons.find((b) => b.dataset.day === focusDay) || buttons.find((b) => b.dataset.day === today) || buttons[0];
    if (start) start.tabIndex = 0;
    if (focusDay && start) start.focus();
    focusDay = null;
  }

  function onGridKey(ev) {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[ev.key];
    if (!step || !ev.target.matches('button.day')) return;
    const buttons = $$('button.day', ev.currentTarget);
    const i = buttons.indexOf(ev.target);
    const next = buttons[Math.min(buttons.length - 1, Math.max(0, i + step))];
    if (!next) return;
    ev.preventDefault();
    ev.target.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }

  function openDay(day, wd, s, ex) {
    // the likely change first: a working day becomes a holiday, a day off a
    // make-up working day, an exception normal again
    const suggested = ex ? 'normal' : s === 'work' ? 'holiday' : 'workday';
    const close = () => { dialog.close(); };
    const form = editForm({
      label: `${fmtDate(day)} ${wdName(wd)}`,
      intro: h('p', { class: 'muted' }, t('admin.cal.now', { state: [stateText(s), ex?.name].filter(Boolean).join(' · ') })),
      fields: [
        { name: 'kind', label: t('admin.cal.kind'), type: 'select', value: suggested,
          options: [['holiday', t('admin.cal.k_holiday')], ['workday', t('admin.cal.k_workday')], ['normal', t('admin.cal.k_normal')]] },
        { name: 'name', label: t('admin.cal.name'), value: ex?.name || '', hint: t('admin.cal.name_hint'), attrs: { maxlength: 50 } },
      ],
      action: (v) => {
        const b = { kind: v.kind, ...calParam() };
        if (v.name && v.kind !== 'normal') b.name = v.name;
        return put(`/api/calendar/days/${enc(day)}`, b);
      },
      done: (r) => `${fmtDate(day)}：${tEnum('admin.cal.r', r.result)}`,
      onCancel: close,
      after: async () => { close(); focusDay = day; await load(); },
    });
    mount(dialog, h('div', { class: 'dialog-body' },
      h('h2', { id: 'cal-dialog-title' }, `${fmtDate(day)} ${wdName(wd)}`),
      form));
    dialog.showModal();
    form.querySelector('select')?.focus();
  }

  function drawList() {
    const days = cal.days || [];
    mount(listBox,
      h('h2', null, t('admin.cal.exceptions', { year, n: days.length })),
      table([
        { label: t('admin.cal.date'), cell: (d) => h('span', { class: 'nowrap' }, fmtDate(d.date)) },
        { label: t('admin.cal.weekday'), cell: (d) => wdName(d.weekday) },
        { label: t('admin.cal.kind'), cell: (d) => badge(d.kind === 'holiday' ? t('admin.cal.l_holiday') : t('admin.cal.l_workday'), d.kind === 'holiday' ? 'bad' : 'info') },
        { label: t('admin.cal.name'), cell: (d) => d.name || '' },
        { label: t('admin.cal.from_calendar'), cell: (d) => (d.calendar === 'project' ? t('admin.cal.from_project') : t('admin.cal.from_deployment')) },
        { label: t('admin.actions'), cell: (d) => h('button', { type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${fmtDate(d.date)}`,
          onclick: () => openDay(d.date, d.weekday, d.kind, d) }, t('common.edit')) },
      ], days, { key: (d) => d.date }));
  }

  function drawImport() {
    const form = editForm({
      title: t('admin.cal.import'),
      intro: h('p', { class: 'small muted' }, t('admin.cal.import_intro')),
      fields: [{ name: 'ics', label: t('admin.cal.ics'), type: 'file', required: true, attrs: { accept: '.ics,text/calendar' } }],
      submit: t('admin.cal.import_submit'),
      action: async (v) => {
        if (!v.ics) throw Object.assign(new Error(t('admin.cal.choose_file')), { field: 'ics' });
        return post('/api/calendar/import', { ics: await v.ics.text(), ...calParam() });
      },
      after: async (r) => {
        await load();
        importBox.append(h('p', { class: 'callout import-result', role: 'status' }, t('admin.cal.imported', {
          events: r.events, days: r.days, from: r.from ? fmtDate(r.from) : '—', to: r.to ? fmtDate(r.to) : '—',
          added: r.added, changed: r.changed, unchanged: r.unchanged,
        })));
      },
    });
    mount(importBox, form);
  }

  await load();
}

export const routes = [{ path: '/admin/calendar', render: areaRoute('calendar', fill) }];
