// The complaint list (投诉列表): filters, a full-text box and the sort, all
// kept in the hash query so a reload or a shared link shows the same list;
// saved filters per user in this browser; pages by the API's keyset cursor
// ("load more"), never by offset, so it stays fast on a million complaints.
import { h, mount, $, $$, debounce } from '../dom.js';
import { t, tEnum, nameOf, lang } from '../i18n.js';
import { get, withQuery } from '../api.js';
import { field, showError, clearErrors } from '../form.js';
import { dateTime, relative } from '../fmt.js';
import { link, current } from '../router.js';
import { refData, projectsWith, statusBadge, gradeBadge, skel, OPEN_STATUSES } from './work-common.js';

export const strings = {
  zh: {
    'nav.list': '投诉列表',
    'list.title': '投诉列表',
    'list.new': '登记投诉',
    'list.filters': '筛选条件',
    'list.q': '搜索',
    'list.q_hint': '主题、内容、投诉人、编号；多个词用空格分开',
    'list.status': '状态',
    'list.status_open': '未办结',
    'list.project': '项目',
    'list.category': '分类',
    'list.channel': '渠道',
    'list.kind': '类型',
    'list.from': '受理日期从',
    'list.to': '受理日期到',
    'list.grade': '等级',
    'list.grade_option': '{code} · {name}',
    'list.handler': '处理人',
    'list.handler_me': '我自己',
    'list.handler_option': '{name}（{login}）',
    'list.clock': '时限',
    'list.clock_late': '已超时或即将到期',
    'list.returned': '只看被退回的派单',
    'list.unassigned': '未派单',
    'list.sort': '排序',
    'list.sort_received_desc': '受理时间（新→旧）',
    'list.sort_received_asc': '受理时间（旧→新）',
    'list.sort_registered_desc': '登记时间（新→旧）',
    'list.sort_registered_asc': '登记时间（旧→新）',
    'list.more_filters': '更多筛选',
    'list.apply': '筛选',
    'list.clear': '清除条件',
    'list.saved': '已保存的筛选',
    'list.saved_none': '还没有保存的筛选。',
    'list.save_current': '保存当前筛选',
    'list.save_name': '筛选名称',
    'list.save': '保存',
    'list.saved_ok': '已保存筛选“{name}”',
    'list.saved_name_required': '请填写名称',
    'list.delete_saved': '删除筛选“{name}”',
    'list.deleted': '已删除筛选“{name}”',
    'list.col_number': '编号',
    'list.col_status': '状态',
    'list.col_grade': '等级',
    'list.col_subject': '主题',
    'list.col_place': '项目／位置',
    'list.col_complainant': '投诉人',
    'list.col_channel': '渠道',
    'list.col_handler': '处理人',
    'list.col_received': '受理时间',
    'list.anonymous': '匿名',
    'list.shown': '已显示 {n} 条',
    'list.shown_all': '共 {n} 条',
    'list.empty': '没有符合条件的投诉。',
    'list.loading_more': '正在加载…',
  },
  en: {
    'nav.list': 'Complaints',
    'list.title': 'Complaints',
    'list.new': 'New complaint',
    'list.filters': 'Filters',
    'list.q': 'Search',
    'list.q_hint': 'Subject, details, complainant, number; separate words with spaces',
    'list.status': 'Status',
    'list.status_open': 'Not done',
    'list.project': 'Project',
    'list.category': 'Category',
    'list.channel': 'Channel',
    'list.kind': 'Kind',
    'list.from': 'Received from',
    'list.to': 'Received to',
    'list.grade': 'Grade',
    'list.grade_option': '{code} · {name}',
    'list.handler': 'Handler',
    'list.handler_me': 'Me',
    'list.handler_option': '{name} ({login})',
    'list.clock': 'Deadline',
    'list.clock_late': 'Overdue or due soon',
    'list.returned': 'Returned dispatches only',
    'list.unassigned': 'Not dispatched',
    'list.sort': 'Sort',
    'list.sort_received_desc': 'Received (newest first)',
    'list.sort_received_asc': 'Received (oldest first)',
    'list.sort_registered_desc': 'Registered (newest first)',
    'list.sort_registered_asc': 'Registered (oldest first)',
    'list.more_filters': 'More filters',
    'list.apply': 'Filter',
    'list.clear': 'Clear',
    'list.saved': 'Saved filters',
    'list.saved_none': 'No saved filters yet.',
    'list.save_current': 'Save these filters',
    'list.save_name': 'Name of the filter',
    'list.save': 'Save',
    'list.saved_ok': 'Filter "{name}" saved',
    'list.saved_name_required': 'Please give it a name',
    'list.delete_saved': 'Delete filter "{name}"',
    'list.deleted': 'Filter "{name}" deleted',
    'list.col_number': 'Number',
    'list.col_status': 'Status',
    'list.col_grade': 'Grade',
    'list.col_subject': 'Subject',
    'list.col_place': 'Project / place',
    'list.col_complainant': 'Complainant',
    'list.col_channel': 'Channel',
    'list.col_handler': 'Handler',
    'list.col_received': 'Received',
    'list.anonymous': 'Anonymous',
    'list.shown': '{n} shown',
    'list.shown_all': '{n} in all',
    'list.empty': 'No complaints match.',
    'list.loading_more': 'Loading…',
  },
};

export const routes = [
  { path: '/complaints', render: renderList, nav: { key: 'nav.list', order: 30, perm: 'complaint.read' } },
];

const PAGE = 25;
const STATUSES = ['received', 'registered', 'in_progress', 'resolved', 'closed', 'followed_up', 'archived', 'invalid'];
const CHANNELS = ['phone', 'visit', 'letter', 'email', 'web', 'wechat', 'media', 'government', 'internal'];
const KINDS = ['complaint', 'inquiry', 'suggestion', 'repair', 'claim'];
const SORTS = [['-received_at', 'list.sort_received_desc'], ['received_at', 'list.sort_received_asc'],
  ['-registered_at', 'list.sort_registered_desc'], ['registered_at', 'list.sort_registered_asc']];
// The list filters the API takes, in the order they show in the hash.
const PARAMS = ['q', 'status', 'project', 'category', 'channel', 'kind', 'grade', 'handler', 'clock', 'returned',
  'received_from', 'received_to', 'sort'];
const SECONDARY = ['project', 'category', 'channel', 'kind', 'grade', 'handler', 'clock', 'returned', 'received_from', 'received_to'];
const CLOCKS = [['overdue,due_soon', 'list.clock_late'], ['overdue', 'clock_state.overdue'], ['due_soon', 'clock_state.due_soon']];
const MAX_STAFF_PROJECTS = 8;

// The grading preset's levels, once per page load (the codes alone if the
// rules cannot be read).
let levelsPromise = null;
const gradeLevels = () => (levelsPromise ||= get('/api/grading-rules').then((r) => r.levels || [])
  .catch(() => { levelsPromise = null; return []; }));

// Who may handle complaints in the projects where the user dispatches, for
// the handler filter (only triage and admin may read the staff list).
const staffCache = new Map();
function staffOf(code) {
  if (!staffCache.has(code)) {
    staffCache.set(code, get(withQuery('/api/staff', { project: code, perm: 'complaint.handle' }))
      .then((r) => r.items || []).catch(() => { staffCache.delete(code); return []; }));
  }
  return staffCache.get(code);
}

// The page as it is on screen, so a change of filters only reloads the rows.
let view = null;

async function renderList(main, params, query, session) {
  if (view && main.contains(view.root) && view.lang === lang() && view.login === session.user.login) {
    view.setForm(query);
    await view.load(query);
    return;
  }
  const [{ projects, categories }, levels] = await Promise.all([refData(), gradeLevels()]);
  view = buildView(main, session, projects, categories, levels);
  view.setForm(query);
  await view.load(query);
}

function buildView(main, session, projects, categories, levels) {
  const readable = projectsWith(projects, session, 'complaint.read');
  const v = { lang: lang(), login: session.user.login, seq: 0, cursor: null, seen: new Set(), rows: 0 };
  const opt = (list, label) => [['', t('common.all')], ...list.map((x) => [x, label(x)])];

  // ---- filters ----
  const q = field({ name: 'q', label: t('list.q'), type: 'search', hint: t('list.q_hint'),
    attrs: { autocomplete: 'off', enterkeyhint: 'search', maxlength: 200 } });
  q.classList.add('grow');
  const status = field({ name: 'status', label: t('list.status'), type: 'select',
    options: [['', t('common.all')], [OPEN_STATUSES.join(','), t('list.status_open')],
      ...STATUSES.map((s) => [s, tEnum('status', s)])] });
  const sort = field({ name: 'sort', label: t('list.sort'), type: 'select', options: SORTS.map(([s, k]) => [s, t(k)]) });
  const more = h('details', { class: 'more-filters' },
    h('summary', null, t('list.more_filters'), h('span', { class: 'badge more-count', hidden: true })),
    h('div', { class: 'toolbar' },
      readable.length > 1 ? field({ name: 'project', label: t('list.project'), type: 'select',
        options: opt(readable.map((p) => p.code), (c) => readable.find((p) => p.code === c).name) }) : null,
      field({ name: 'category', label: t('list.category'), type: 'select',
        options: opt(categories.map((c) => c.code), (c) => nameOf(categories.find((x) => x.code === c))) }),
      field({ name: 'channel', label: t('list.channel'), type: 'select', options: opt(CHANNELS, (c) => tEnum('channel', c)) }),
      field({ name: 'kind', label: t('list.kind'), type: 'select', options: opt(KINDS, (k) => tEnum('kind', k)) }),
      field({ name: 'grade', label: t('list.grade'), type: 'select',
        options: opt(levels.map((l) => l.code), (code) => t('list.grade_option', { code, name: nameOf(levels.find((l) => l.code === code)) })) }),
      field({ name: 'handler', label: t('list.handler'), type: 'select', options: [['', t('common.all')], ['me', t('list.handler_me')]] }),
      field({ name: 'clock', label: t('list.clock'), type: 'select', options: [['', t('common.all')], ...CLOCKS.map(([v, k]) => [v, t(k)])] }),
      field({ name: 'returned', label: t('list.returned'), type: 'checkbox', value: false }),
      field({ name: 'received_from', label: t('list.from'), type: 'date' }),
      field({ name: 'received_to', label: t('list.to'), type: 'date' })));
  if (window.matchMedia('(min-width: 720px)').matches) more.open = true;
  // the handler menu: me, then whoever handles in the projects I dispatch in
  const dispatches = projectsWith(readable, session, 'complaint.triage').slice(0, MAX_STAFF_PROJECTS);
  if (dispatches.length) {
    Promise.all(dispatches.map((p) => staffOf(p.code))).then((lists) => {
      const select = $('select[name="handler"]', more);
      if (!select || !main.contains(select)) return;
      const people = new Map();
      for (const s of lists.flat()) if (s.login !== session.user.login) people.set(s.login, s.name || s.login);
      const sorted = [...people].sort((a, b) => a[1].localeCompare(b[1], 'zh'));
      for (const [login, name] of sorted) {
        const text = t('list.handler_option', { name, login });
        const old = [...select.options].find((o) => o.value === login);
        if (old) old.textContent = text; // from a link, before the names came
        else select.append(h('option', { value: login }, text));
      }
    });
  }
  const form = h('form', { class: 'card list-filters', role: 'search', novalidate: true, 'aria-label': t('list.filters') },
    h('div', { class: 'toolbar' }, q, status, sort,
      h('div', { class: 'form-actions filter-buttons' },
        h('button', { type: 'submit', class: 'primary' }, t('list.apply')),
        h('button', { type: 'button', class: 'link-button', onclick: () => { v.setForm(new URLSearchParams()); apply({}, false, true); } }, t('list.clear')))),
    more);

  const formQuery = () => {
    const out = {};
    for (const name of PARAMS) {
      const el = form.elements[name];
      const value = !el ? '' : el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim();
      if (value && !(name === 'sort' && value === '-received_at')) out[name] = value;
    }
    return out;
  };
  // Show the filters of the hash in the form.
  v.setForm = (query) => {
    for (const name of PARAMS) {
      const el = form.elements[name];
      if (!el) continue;
      const value = query.get(name) || (name === 'sort' ? '-received_at' : '');
      if (el.type === 'checkbox') { el.checked = value === '1'; continue; }
      if (el.tagName === 'SELECT' && value && ![...el.options].some((o) => o.value === value)) {
        el.append(h('option', { value }, value)); // a list the menu does not offer, from a link
      }
      // never overwrite what is being typed (the hash lags behind it)
      if (el.value !== value && !(el === document.activeElement && el.name === 'q')) el.value = value;
    }
    const active = SECONDARY.filter((n) => query.get(n)).length;
    const badge = $('.more-count', more);
    badge.textContent = String(active);
    badge.hidden = active === 0;
    if (active) more.open = true;
    markSaved();
  };

  // Put the filters in the hash: the app calls renderList again, which
  // reloads the rows and leaves the form (and the focus) alone.
  // An explicit submit of the same filters loads the rows again.
  function apply(query, replace, again = false) {
    const qs = new URLSearchParams(query).toString();
    const target = `#/complaints${qs ? `?${qs}` : ''}`;
    if (location.hash === target) { if (again) v.load(new URLSearchParams(qs)); return; }
    if (replace) location.replace(target); else location.hash = target;
  }
  form.addEventListener('submit', (ev) => { ev.preventDefault(); apply(formQuery(), false, true); });
  const changed = debounce(() => apply(formQuery(), false), 300);
  form.addEventListener('change', (ev) => { if (ev.target.name !== 'q') changed(); });
  const typed = debounce(() => apply(formQuery(), true), 500);
  form.elements.q.addEventListener('input', typed);

  // ---- saved filters (this browser, this user) ----
  const storeKey = `kesu.savedFilters.${session.user.login}`;
  const readSaved = () => {
    try { const s = JSON.parse(localStorage.getItem(storeKey) || '[]'); return Array.isArray(s) ? s : []; } catch { return []; }
  };
  const writeSaved = (list) => { try { localStorage.setItem(storeKey, JSON.stringify(list)); } catch { /* storage off */ } };
  const savedList = h('ul', { class: 'saved-list' });
  const nameField = field({ name: 'name', label: t('list.save_name'), attrs: { maxlength: 40, autocomplete: 'off' } });
  const saveForm = h('form', { class: 'save-filter', hidden: true, novalidate: true },
    nameField,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary small' }, t('list.save')),
      h('button', { type: 'button', class: 'small', onclick: () => { saveForm.hidden = true; saveToggle.focus(); } }, t('common.cancel'))));
  const saveToggle = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false',
    onclick: () => {
      saveForm.hidden = !saveForm.hidden;
      saveToggle.setAttribute('aria-expanded', String(!saveForm.hidden));
      if (!saveForm.hidden) nameField.querySelector('input').focus();
    } }, t('list.save_current'));
  saveForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(saveForm);
    const name = saveForm.elements.name.value.trim();
    if (!name) { showError(saveForm, { field: 'name', message: t('list.saved_name_required') }); return; }
    const query = new URLSearchParams(formQuery()).toString();
    const list = readSaved().filter((s) => s.name !== name);
    list.push({ name, query });
    writeSaved(list.slice(-30));
    saveForm.elements.name.value = '';
    saveForm.hidden = true;
    saveToggle.setAttribute('aria-expanded', 'false');
    showSaved();
    saveToggle.focus();
    toastSaved(t('list.saved_ok', { name }));
  });
  const savedNote = h('p', { class: 'work-sr', role: 'status' });
  const toastSaved = (text) => { savedNote.textContent = text; };
  function showSaved() {
    const list = readSaved();
    mount(savedList, list.length ? list.map((s) => h('li', { class: 'saved-item' },
      h('a', { href: `#/complaints${s.query ? `?${s.query}` : ''}`, dataset: { query: s.query } }, s.name),
      h('button', { type: 'button', class: 'link-button small', 'aria-label': t('list.delete_saved', { name: s.name }),
        onclick: () => {
          writeSaved(readSaved().filter((x) => x.name !== s.name));
          showSaved();
          toastSaved(t('list.deleted', { name: s.name }));
          saveToggle.focus();
        } }, '✕')))
      : h('li', { class: 'muted small' }, t('list.saved_none')));
    markSaved();
  }
  function markSaved() {
    const now = normal(current().query.toString());
    for (const a of $$('a', savedList)) {
      if (normal(a.dataset.query) === now) a.setAttribute('aria-current', 'true'); else a.removeAttribute('aria-current');
    }
  }
  const saved = h('section', { class: 'saved-filters', 'aria-labelledby': 'saved-h' },
    h('h2', { id: 'saved-h', class: 'small-heading' }, t('list.saved')), savedList, saveToggle, saveForm, savedNote);

  // ---- the rows ----
  const cols = [['number', 'list.col_number'], ['status', 'list.col_status'], ['grade', 'list.col_grade'],
    ['subject', 'list.col_subject'], ['place', 'list.col_place'], ['complainant', 'list.col_complainant'],
    ['handler', 'list.col_handler'], ['channel', 'list.col_channel'], ['received', 'list.col_received']];
  const tbody = h('tbody');
  const table = h('table', { class: 'table stack complaints', 'data-testid': 'complaint-table' },
    h('caption', { class: 'work-sr' }, t('list.title')),
    h('thead', null, h('tr', null, cols.map(([c, k]) => h('th', { scope: 'col', class: `col-${c}` }, t(k))))),
    tbody);
  const summary = h('p', { class: 'list-summary muted', 'aria-live': 'polite' }, '\u00a0');
  const moreButton = h('button', { type: 'button', class: 'wide load-more', hidden: true, onclick: () => v.loadMore() }, t('common.more'));
  const wrap = h('div', { class: 'table-wrap list-results' }, table);

  const label = (k) => t(k);
  function row(c) {
    const who = c.complainant || {};
    const place = [c.project?.name, c.building, c.unit].filter(Boolean).join(' ');
    return h('tr', { dataset: { number: c.number } },
      h('td', { 'data-label': label('list.col_number'), class: 'col-number' },
        h('a', { href: link(`/complaints/${c.number}`), class: 'nowrap' }, c.number)),
      h('td', { 'data-label': label('list.col_status'), class: 'col-status' }, statusBadge(c.status)),
      h('td', { 'data-label': label('list.col_grade'), class: 'col-grade' }, gradeBadge(c.grade)),
      h('td', { 'data-label': label('list.col_subject'), class: 'col-subject' }, h('div', null,
        h('span', { class: 'subject' }, c.subject),
        c.category ? h('span', { class: 'muted small cat' }, nameOf(c.category)) : null)),
      h('td', { 'data-label': label('list.col_place'), class: 'col-place' }, place),
      h('td', { 'data-label': label('list.col_complainant'), class: 'col-complainant' },
        who.name || (who.phone ? '' : t('list.anonymous')), who.phone ? h('span', { class: 'muted small nowrap' }, ` ${who.phone}`) : null),
      h('td', { 'data-label': label('list.col_handler'), class: 'col-handler' },
        c.handler ? h('span', { title: c.handler.login }, c.handler.name || c.handler.login)
          : c.handler === null ? h('span', { class: 'muted' }, t('list.unassigned')) : ''),
      h('td', { 'data-label': label('list.col_channel'), class: 'col-channel' }, tEnum('channel', c.channel)),
      h('td', { 'data-label': label('list.col_received'), class: 'col-received' },
        h('time', { datetime: c.received_at, title: relative(c.received_at) }, dateTime(c.received_at))));
  }
  const skeletonRows = (n) => Array.from({ length: n }, () => h('tr', { class: 'skeleton-row', 'aria-hidden': 'true' },
    cols.map(([c, k], i) => h('td', { 'data-label': label(k), class: `col-${c}` }, skel([7, 4, 1.5, 12, 7, 5, 4, 3, 8][i])))));

  async function fetchPage(query, cursor) {
    const params = { limit: PAGE };
    for (const name of PARAMS) if (query.get(name)) params[name] = query.get(name);
    if (cursor) params.cursor = cursor;
    return get(withQuery('/api/complaints', params));
  }

  function showSummary(done) {
    summary.textContent = t(done ? 'list.shown_all' : 'list.shown', { n: v.rows });
  }

  v.load = async (query) => {
    const mySeq = ++v.seq;
    clearErrors(form);
    wrap.setAttribute('aria-busy', 'true');
    mount(tbody, skeletonRows(Math.max(5, Math.min(v.rows || 10, PAGE))));
    moreButton.hidden = true;
    try {
      const page = await fetchPage(query, null);
      if (mySeq !== v.seq) return;
      v.query = query; v.cursor = page.next_cursor; v.seen = new Set(); v.rows = 0;
      mount(tbody);
      addRows(page.items);
      if (!page.items.length) mount(tbody, h('tr', { class: 'empty' }, h('td', { colspan: cols.length }, t('list.empty'))));
      moreButton.hidden = !v.cursor;
      showSummary(!v.cursor);
    } catch (err) {
      if (mySeq !== v.seq) return;
      mount(tbody);
      v.rows = 0;
      summary.textContent = '\u00a0';
      showError(form, err);
    } finally {
      if (mySeq === v.seq) wrap.removeAttribute('aria-busy');
    }
  };

  v.loadMore = async () => {
    if (!v.cursor) return;
    const mySeq = v.seq;
    moreButton.disabled = true;
    moreButton.textContent = t('list.loading_more');
    try {
      const page = await fetchPage(v.query, v.cursor);
      if (mySeq !== v.seq) return;
      const first = addRows(page.items);
      v.cursor = page.next_cursor;
      moreButton.hidden = !v.cursor;
      showSummary(!v.cursor);
      // keep the keyboard where the new rows start
      if (first) (first.querySelector('a') || first).focus();
      else if (!v.cursor) summary.focus();
    } catch (err) {
      showError(form, err);
    } finally {
      moreButton.disabled = false;
      moreButton.textContent = t('common.more');
    }
  };

  function addRows(items) {
    let first = null;
    for (const c of items) {
      if (v.seen.has(c.number)) continue;
      v.seen.add(c.number);
      const tr = row(c);
      tbody.append(tr);
      first = first || tr;
      v.rows += 1;
    }
    return first;
  }

  const canCreate = session.can('complaint.create');
  v.root = h('section', { class: 'page list', dataset: { page: 'list' } },
    h('div', { class: 'page-head' }, h('h1', null, t('list.title')),
      canCreate ? h('div', { class: 'actions' }, h('a', { class: 'button primary', href: link('/intake') }, t('list.new'))) : null),
    form, saved, summary, wrap, h('div', { class: 'pager' }, moreButton));
  summary.tabIndex = -1;
  mount(main, v.root);
  showSaved();
  return v;
}

// A query string with its parameters in one order, for comparing.
function normal(qs) {
  const p = new URLSearchParams(qs || '');
  return PARAMS.filter((n) => p.get(n)).map((n) => `${n}=${p.get(n)}`).join('&');
}
