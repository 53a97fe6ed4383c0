// The administration kit: one "list + edit form" pattern that every area
// reuses — a page frame with the areas' tabs, a table that becomes cards on a
// phone, an edit form that opens under its row, an "add" form above the list,
// a place for one-time secrets, and the reference data cached per session.
import { h, mount, append, toast, $, $$ } from '../../dom.js';
import { t, lang } from '../../i18n.js';
import { get } from '../../api.js';
import { field, showError, clearErrors } from '../../form.js';
import { session } from '../../session.js';

// The areas, in the order of the index page and the tabs.
export const AREAS = [
  { id: 'users', path: '/admin/users', perm: 'user.admin', title: () => t('admin.area.users'), hint: () => t('admin.area.users_hint') },
  { id: 'tokens', path: '/admin/tokens', perm: 'token.admin', title: () => t('admin.area.tokens'), hint: () => t('admin.area.tokens_hint') },
  { id: 'projects', path: '/admin/projects', perm: 'config.admin', title: () => t('admin.area.projects'), hint: () => t('admin.area.projects_hint') },
  { id: 'taxonomy', path: '/admin/taxonomy', perm: 'config.admin', title: () => t('admin.area.taxonomy'), hint: () => t('admin.area.taxonomy_hint') },
  { id: 'grading', path: '/admin/grading', perm: 'config.admin', title: () => t('admin.area.grading'), hint: () => t('admin.area.grading_hint') },
  { id: 'dispatch', path: '/admin/dispatch', perm: 'config.admin', title: () => t('admin.area.dispatch'), hint: () => t('admin.area.dispatch_hint') },
  { id: 'calendar', path: '/admin/calendar', perm: 'config.admin', title: () => t('admin.area.calendar'), hint: () => t('admin.area.calendar_hint') },
  { id: 'clocks', path: '/admin/clock-policy', perm: 'config.admin', title: () => t('admin.area.clocks'), hint: () => t('admin.area.clocks_hint') },
  { id: 'escalation', path: '/admin/escalation', perm: 'config.admin', title: () => t('admin.area.escalation'), hint: () => t('admin.area.escalation_hint') },
  { id: 'webhooks', path: '/admin/webhooks', perm: 'config.admin', title: () => t('admin.area.webhooks'), hint: () => t('admin.area.webhooks_hint') },
  { id: 'deliveries', path: '/admin/deliveries', perm: 'config.admin', title: () => t('admin.area.deliveries'), hint: () => t('admin.area.deliveries_hint') },
  { id: 'templates', path: '/admin/templates', perm: 'config.admin', title: () => t('admin.area.templates'), hint: () => t('admin.area.templates_hint') },
];

export const ADMIN_PERMS = ['config.admin', 'user.admin', 'token.admin'];

// Whether the signed-in user holds any of `perm` (a name or a list).
export const may = (perm) => [].concat(perm).some((p) => session.can(p));

export const areasAllowed = () => AREAS.filter((a) => may(a.perm));

// ---------------------------------------------------------------- reference data
// Read once per signed-in user and kept in module scope; an area that changes
// them calls forget(name).
const cache = new Map();
function cached(name, load) {
  const key = `${session.user?.login || ''}:${name}`;
  if (!cache.has(key)) {
    const p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return cache.get(key);
}
export function forget(name) {
  for (const k of [...cache.keys()]) if (k.endsWith(`:${name}`)) cache.delete(k);
}
export const ref = {
  projects: () => cached('projects', async () => (await get('/api/projects')).items || []),
  categories: () => cached('categories', async () => (await get('/api/categories')).items || []),
  departments: () => cached('departments', async () => (await get('/api/departments')).items || []),
  grading: () => cached('grading', () => get('/api/grading-rules')),
};

// The name of a department code where it applies (a project's, else the company's).
export function deptName(depts, code, project) {
  if (!code) return '';
  const d = depts.find((x) => x.code === code && x.project === (project || null))
    || depts.find((x) => x.code === code && x.project === null)
    || depts.find((x) => x.code === code);
  return d ? `${d.name}` : code;
}

// Department options for a select: the distinct codes (of a project and the
// company when `project` is given).
export function deptOptions(depts, project) {
  const seen = new Map();
  for (const d of depts) {
    if (project && d.project !== project && d.project !== null) continue;
    if (!seen.has(d.code)) seen.set(d.code, d.name);
  }
  return [...seen].map(([code, name]) => [code, `${name} (${code})`]);
}

export const projectName = (projects, code) => projects.find((p) => p.code === code)?.name || code;

// A bilingual member: description_zh / description_en → the one in the current language.
export const inLang = (o, base) => (o ? (lang() === 'en' ? o[`${base}_en`] || o[`${base}_zh`] : o[`${base}_zh`] || o[`${base}_en`]) || '' : '');

// ---------------------------------------------------------------- page frame
export function loading() {
  return h('div', { class: 'admin-loading', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('common.loading')));
}

function tabs(activeId) {
  return h('nav', { class: 'admin-tabs', 'aria-label': t('admin.areas_label') },
    areasAllowed().map((a) => h('a', { href: `#${a.path}`, 'aria-current': a.id === activeId ? 'page' : null }, a.title())));
}

// The page of one area: breadcrumb, heading, tabs and a body (returned) that
// shows "loading" until the area fills it.
export function frame(main, id) {
  const area = AREAS.find((a) => a.id === id);
  const body = h('div', { class: 'admin-body' }, loading());
  const nav = tabs(id);
  mount(main, h('section', { class: ['page', 'admin'] },
    h('p', { class: 'crumbs small' }, h('a', { href: '#/admin' }, t('admin.title')), ' / ', area.title()),
    h('div', { class: 'page-head' }, h('h1', null, area.title())),
    nav,
    body));
  // on a phone the tabs scroll sideways: show the current one
  const here = nav.querySelector('[aria-current]');
  if (here && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = Math.max(0, here.offsetLeft - nav.offsetLeft - 24);
  return body;
}

export function noAccess(main) {
  mount(main, h('section', { class: ['page', 'admin'] },
    h('h1', null, t('admin.no_access')),
    h('p', { class: 'callout callout-warn', role: 'alert' }, t('admin.no_access_text')),
    h('p', null, h('a', { href: '#/' }, t('nav.home')))));
}

// A route's render for area `id`: checks the permission, draws the frame,
// then lets `fill(body, ctx)` load and show the area. The body belongs to
// this render only: if the user moves on meanwhile it is simply detached.
export function areaRoute(id, fill) {
  return async (main, params, query) => {
    const area = AREAS.find((a) => a.id === id);
    if (!may(area.perm)) { noAccess(main); return; }
    const body = frame(main, id);
    try {
      await fill(body, { params, query });
    } catch (err) {
      if (err?.status === 401) return;
      mount(body, h('p', { class: 'form-error', role: 'alert' }, err?.message || t('error.generic')));
    }
  };
}

// ---------------------------------------------------------------- small pieces
export const badge = (text, kind) => h('span', { class: ['badge', kind && `badge-${kind}`] }, text);
export const yesNo = (b) => badge(b ? t('common.yes') : t('common.no'), b ? 'ok' : null);
export const code = (text) => h('code', { class: 'admin-code' }, text);
export const enabledBadge = (on) => badge(on ? t('admin.enabled') : t('admin.disabled'), on ? 'ok' : 'warn');

// A button that asks once more before doing something hard to undo:
// the first press turns it into "确认…", the second does it.
// attrs.target names what it acts on, for its accessible name ("停用 lina",
// then "确认停用 lina").
export function confirmButton(label, confirmLabel, action, attrs = {}) {
  let armed = false;
  let timer = 0;
  const named = (text) => (attrs.target ? `${text} ${attrs.target}` : null);
  const show = (on) => {
    armed = on;
    btn.textContent = on ? confirmLabel : label;
    const name = named(on ? confirmLabel : label);
    if (name) btn.setAttribute('aria-label', name);
    btn.classList.toggle('danger', on);
  };
  const btn = h('button', {
    type: 'button', class: ['small', attrs.class], 'aria-label': named(label),
    onclick: async () => {
      if (!armed) {
        show(true);
        timer = setTimeout(() => show(false), 5000);
        return;
      }
      clearTimeout(timer);
      btn.disabled = true;
      try { await action(); } catch (err) { toast(err?.message || t('error.generic'), 'error'); } finally {
        btn.disabled = false; show(false);
      }
    },
    onblur: () => { if (armed) { clearTimeout(timer); show(false); } },
  }, label);
  return btn;
}

// A button for an immediate action; an error is toasted.
export function actionButton(label, action, attrs = {}) {
  const btn = h('button', {
    type: 'button', class: ['small', attrs.class], 'aria-label': attrs['aria-label'],
    onclick: async () => {
      btn.disabled = true;
      try { await action(); } catch (err) { toast(err?.message || t('error.generic'), 'error'); } finally { btn.disabled = false; }
    },
  }, label);
  return btn;
}

// A secret shown once (a webhook's signing secret, a token, a password).
export function secretCallout(message, secret, label) {
  const value = h('code', { class: 'secret', tabindex: '0', 'aria-label': label }, secret);
  const copy = h('button', {
    type: 'button', class: 'small',
    onclick: async () => {
      try { await navigator.clipboard.writeText(secret); toast(t('admin.copied'), 'ok'); } catch {
        const r = document.createRange(); r.selectNodeContents(value);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        toast(t('admin.copy_by_hand'), 'info');
      }
    },
  }, t('admin.copy'));
  return h('div', { class: 'callout secret-callout', role: 'status', 'data-testid': 'secret' },
    h('p', null, message),
    h('p', { class: 'secret-line' }, value, copy),
    h('p', { class: 'small muted' }, t('admin.secret_once')));
}

// ---------------------------------------------------------------- forms
// The values of a form's named fields: checkboxes as booleans, numbers as
// numbers (undefined when empty), text as typed — empty text kept as '' so an
// edit can clear a member.
export function collect(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'number') out[el.name] = el.value === '' ? undefined : Number(el.value);
    else if (el.type === 'file') out[el.name] = el.files?.[0] || null;
    else out[el.name] = el.value;
  }
  return out;
}

// The members of `vals` that differ from `row` ('' and null alike).
export function changed(vals, row, keys = Object.keys(vals)) {
  const out = {};
  for (const k of keys) {
    if (vals[k] === undefined) continue;
    const a = vals[k] === '' ? null : vals[k];
    const b = row?.[k] === '' || row?.[k] === undefined ? null : row[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = vals[k];
  }
  return out;
}

export class NothingChanged extends Error {}

// Show an API error next to its field; "units[3]" falls back to the field
// "units" with the item named in the message.
export function fieldError(form, err) {
  const f = err?.field;
  const m = f && /^(.*)\[(\d+)\]$/.exec(f);
  const has = (name) => form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
  if (m && !has(f) && has(m[1])) {
    showError(form, { field: m[1], message: `${t('admin.item_n', { n: Number(m[2]) + 1 })}${err.message}` });
    return;
  }
  showError(form, err);
}

// A form of fields (specs for field(), nodes, or arrays of them side by side)
// that runs `action(values, form)` on submit, shows the API's error next to
// its field, toasts `done`, then calls `after(result)`.
export function editForm(o) {
  const kids = (list) => list.map((s) => {
    if (!s) return null;
    if (Array.isArray(s)) return h('div', { class: 'form-row' }, kids(s));
    return s instanceof Node ? s : field(s);
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, o.submit || t('common.save'));
  const form = h('form', { class: ['admin-form', o.class], novalidate: true, 'aria-label': o.label || o.title || null },
    o.title ? h('h3', null, o.title) : null,
    o.intro || null,
    kids(o.fields),
    h('div', { class: 'form-actions' }, submit,
      o.onCancel ? h('button', { type: 'button', onclick: o.onCancel }, t('common.cancel')) : null));
  // Escape cancels a form that opened in place (a dialog closes by itself)
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && o.onCancel && !form.closest('dialog')) { ev.preventDefault(); o.onCancel(); }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    clearErrors(form);
    try {
      const result = await o.action(collect(form), form);
      if (o.done) toast(typeof o.done === 'function' ? o.done(result) : o.done, 'ok');
      if (o.after) await o.after(result);
    } catch (err) {
      if (err instanceof NothingChanged) { toast(t('admin.nothing_changed'), 'info'); if (o.onCancel) o.onCancel(); } else fieldError(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// ---------------------------------------------------------------- tables
// columns: [{ label, cell: (row) => child, class }]. Rows carry data-key.
export function table(columns, rows, opts = {}) {
  const body = rows.length
    ? rows.map((r) => h('tr', { class: opts.rowClass?.(r), dataset: { key: opts.key ? String(opts.key(r)) : '' } },
      columns.map((c) => h('td', { 'data-label': c.label, class: c.class }, h('div', { class: 'cell-v' }, c.cell(r))))))
    : h('tr', null, h('td', { colspan: columns.length, class: ['muted', 'admin-empty'] }, opts.empty || t('common.empty')));
  return h('div', { class: 'table-wrap' },
    h('table', { class: ['table', 'stack', 'admin-table', opts.class] },
      opts.caption ? h('caption', { class: 'sr-only' }, opts.caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', null, body)));
}

// Open `content` in a row of its own under `tr` (closing any other open in
// the same table). Returns a function that closes it.
export function openUnder(tr, content) {
  const tbody = tr.parentElement;
  for (const r of $$('tr.edit-row', tbody)) r.remove();
  const cols = tr.children.length;
  const row = h('tr', { class: 'edit-row' }, h('td', { colspan: cols, class: 'edit-cell' }, content));
  tr.after(row);
  tr.classList.add('editing');
  const first = row.querySelector('input:not([type=hidden]), select, textarea, button');
  if (first) first.focus();
  return () => { row.remove(); tr.classList.remove('editing'); };
}

// The one pattern of the administration: a list with an "add" form and
// per-row edit forms and actions.
//   listEdit(container, {
//     load: async () => rows, key: (row) => id, label: (row) => name,
//     columns: [{ label, cell }],
//     filter?: (row, q) => bool,                     // a search box
//     add?: { label, title, fields: () => [...], save: async (vals, form) => result, after?(result, ctx) },
//     edit?: { fields: (row) => [...], save: async (vals, row, form) => result, after?(result, ctx) },
//     actions?: (row, ctx) => [nodes],              // more buttons per row
//     intro?: node, empty?: text, max?: rows shown at once (default 200)
//   }) → ctx { refresh, rows, notice(node), openUnder(row, content) }
export function listEdit(container, spec) {
  const notices = h('div', { class: 'admin-notices', 'aria-live': 'polite' });
  const addBox = h('div', { class: 'admin-add' });
  const listBox = h('div', { class: 'admin-list' }, loading());
  let rows = [];
  let query = '';
  const max = spec.max || 200;
  const ctx = {
    get rows() { return rows; },
    refresh,
    notice(node) { mount(notices, node); notices.scrollIntoView?.({ block: 'nearest' }); },
    clearNotice() { notices.replaceChildren(); },
    openUnder(row, content) {
      const tr = $(`tr[data-key="${CSS.escape(String(spec.key(row)))}"]`, listBox);
      return tr ? openUnder(tr, content) : () => {};
    },
    focusRow(key) {
      const tr = $(`tr[data-key="${CSS.escape(String(key))}"]`, listBox);
      tr?.querySelector('button, a')?.focus();
    },
  };

  let addButton = null;
  if (spec.add) {
    addButton = h('button', {
      type: 'button', class: 'primary', 'aria-expanded': 'false',
      onclick: () => (addBox.childElementCount ? closeAdd() : openAdd()),
    }, spec.add.label);
  }
  function closeAdd() {
    addBox.replaceChildren();
    addButton?.setAttribute('aria-expanded', 'false');
    addButton?.focus();
  }
  function openAdd() {
    const form = editForm({
      title: spec.add.title || spec.add.label,
      fields: spec.add.fields(),
      submit: spec.add.submit || t('common.save'),
      action: (vals, f) => spec.add.save(vals, f),
      done: spec.add.done ?? t('common.saved'),
      onCancel: closeAdd,
      after: async (result) => {
        addBox.replaceChildren();
        addButton?.setAttribute('aria-expanded', 'false');
        await refresh();
        if (spec.add.after) spec.add.after(result, ctx);
        else if (spec.key && result) ctx.focusRow(spec.key(result));
      },
    });
    mount(addBox, h('div', { class: 'card' }, form));
    addButton?.setAttribute('aria-expanded', 'true');
    form.querySelector('input, select, textarea')?.focus();
  }

  const search = spec.filter ? h('input', {
    type: 'search', id: 'admin-filter', 'aria-label': spec.filterLabel || t('common.search'),
    placeholder: spec.filterLabel || t('common.search'),
    oninput: (ev) => { query = ev.target.value.trim().toLowerCase(); draw(); },
  }) : null;

  const toolbar = (addButton || search || spec.tools)
    ? h('div', { class: 'toolbar admin-toolbar' },
      search ? h('div', { class: 'field grow' }, h('label', { for: 'admin-filter' }, spec.filterLabel || t('common.search')), search) : null,
      spec.tools || null,
      addButton ? h('div', { class: 'admin-toolbar-end' }, addButton) : null)
    : null;

  mount(container, spec.intro || null, notices, toolbar, addBox, listBox);

  function rowActions(row) {
    const out = [];
    if (spec.edit) {
      out.push(h('button', {
        type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${spec.label ? spec.label(row) : ''}`.trim(),
        onclick: (ev) => openEdit(row, ev.currentTarget),
      }, t('common.edit')));
    }
    if (spec.actions) out.push(...(spec.actions(row, ctx) || []).filter(Boolean));
    return out.length ? h('div', { class: 'row-actions' }, out) : null;
  }

  function openEdit(row, button) {
    let close = () => {};
    const form = editForm({
      title: spec.edit.title ? spec.edit.title(row) : `${t('common.edit')} ${spec.label ? spec.label(row) : ''}`,
      fields: spec.edit.fields(row),
      action: (vals, f) => spec.edit.save(vals, row, f),
      done: spec.edit.done ?? t('common.saved'),
      onCancel: () => { close(); button?.focus(); },
      after: async (result) => {
        await refresh();
        if (spec.edit.after) spec.edit.after(result, ctx, row);
        ctx.focusRow(spec.key(row));
      },
    });
    close = openUnder(button.closest('tr'), form);
  }

  function draw() {
    const shown = query && spec.filter ? rows.filter((r) => spec.filter(r, query)) : rows;
    const columns = [...spec.columns];
    if (spec.edit || spec.actions) columns.push({ label: t('admin.actions'), class: 'actions-cell', cell: rowActions });
    mount(listBox,
      table(columns, shown.slice(0, max), { key: spec.key, empty: spec.empty, rowClass: spec.rowClass, class: spec.tableClass }),
      shown.length > max ? h('p', { class: 'muted small' }, t('admin.shown_of', { n: max, total: shown.length })) : null);
  }

  async function refresh() {
    try {
      rows = await spec.load();
      draw();
    } catch (err) {
      if (err?.status === 401) return;
      mount(listBox, h('p', { class: 'form-error', role: 'alert' }, err?.message || t('error.generic')));
    }
  }

  ctx.ready = refresh();
  return ctx;
}

// Options for the grade levels of the preset: [[code, 'A 重大投诉'], …].
export function levelOptions(levels) {
  return levels.map((l) => [l.code, `${l.code} ${lang() === 'en' ? l.name_en || l.name_zh : l.name_zh || l.name_en}`]);
}

export function levelName(levels, codeValue) {
  if (codeValue === '*') return t('admin.all_grades');
  const l = levels.find((x) => x.code === codeValue);
  return l ? `${l.code} ${lang() === 'en' ? l.name_en || l.name_zh : l.name_zh || l.name_en}` : codeValue;
}

// The roles of docs/permissions.md: those held in a project first.
export const PROJECT_ROLES = ['operator', 'handler', 'supervisor', 'manager'];
export const COMPANY_ROLES = ['executive', 'centre', 'auditor', 'admin'];

export { append };
