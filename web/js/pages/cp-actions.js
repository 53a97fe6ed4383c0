// What the signed-in user may do on a complaint, and a form for each action.
// The API's `actions` say what the status allows; the session's permissions
// (in the complaint's project) say whether this user may. Each form opens in
// a modal <dialog> (focus moves in, Esc closes); the API's validation
// messages show next to the field they name; on success the page is drawn
// again in place from the complaint the API answered with.
import { h, uid, toast } from '../dom.js';
import { t, tEnum, nameOf } from '../i18n.js';
import { post, get, api, enc, withQuery } from '../api.js';
import { field, onSubmit, showError, clearErrors } from '../form.js';
import { toLocalInput, fromLocalInput } from '../fmt.js';
import { session } from '../session.js';
import { FLAGS, clockLabel, historySummary, who, attachmentUrl } from './cp-view.js';

const KINDS = ['complaint', 'inquiry', 'suggestion', 'repair', 'claim'];
const NATURES = ['valid', 'assisted', 'undetermined'];
const COMM_TYPES = ['help', 'inquiry', 'venting'];
const ROLES = ['owner', 'tenant', 'prospect', 'other'];
const COMP_TYPES = ['refund', 'replacement', 'reservice', 'apology', 'fee_waiver', 'cash', 'other'];
const CONFIRMATIONS = ['signature', 'written', 'verbal', 'recorded'];
const METHODS = ['phone', 'sms', 'visit', 'wechat', 'email', 'letter'];
const OUTCOMES = ['reached', 'not_reached', 'refused'];
const SATISFACTION = ['satisfied', 'fair', 'dissatisfied'];
const SOURCES = ['second_complaint', 'followup', 'customer'];
const OPEN_CLOCK = ['running', 'due_soon', 'overdue'];
const CLOSED = ['closed', 'followed_up', 'archived', 'invalid'];

const opts = (kind, values, blank) => [...(blank ? [['', blank]] : []), ...values.map((v) => [v, tEnum(kind, v)])];

let projectsCache = null;
async function projects() {
  if (!projectsCache) projectsCache = get('/api/projects').then((r) => r.items || []).catch((e) => { projectsCache = null; throw e; });
  return projectsCache;
}

// Logins seen as handlers on complaint pages of this session, for the
// handler picker's suggestions.
const knownHandlers = new Map();

// Who may handle complaints in a project (GET /api/staff), once per project
// per page load; [] when the server cannot say (the picker then suggests
// the handlers seen so far and takes any login typed).
const staffCache = new Map();
function handlersOf(code) {
  if (!staffCache.has(code)) {
    staffCache.set(code, get(withQuery('/api/staff', { project: code, perm: 'complaint.handle' }))
      .then((r) => r.items || []).catch(() => { staffCache.delete(code); return []; }));
  }
  return staffCache.get(code);
}

export function createActions(ctx) {
  const c = () => ctx.c;
  const project = () => ctx.c.project.code;
  const can = (perm) => session.can(perm, project());
  const has = (a) => (ctx.c.actions || []).includes(a);
  const me = () => session.user?.login;
  const isHandler = () => ctx.c.handler?.login === me();
  const path = (suffix = '') => `/api/complaints/${enc(ctx.c.number)}${suffix}`;

  // The actions of the bar, in the API's order, that this user may take.
  function allowed() {
    const out = [];
    const x = ctx.c;
    if (has('accept') && can('complaint.create')) out.push('accept');
    if (has('assign') && can('complaint.triage')) out.push('assign');
    if (has('return') && can('complaint.handle') && (isHandler() || can('complaint.triage'))) out.push('return');
    if (has('invalidate') && can('complaint.triage')) out.push('invalidate');
    if (has('resolve') && can('complaint.handle')) out.push('resolve');
    if (has('close') && can('complaint.handle')) out.push('close');
    if (has('dispute') && can('complaint.handle')) out.push('dispute');
    if (has('follow_up') && can('followup') && !isHandler() && openRegular()) out.push('follow_up');
    if (has('reopen') && can('complaint.reopen')) out.push('reopen');
    if (has('archive') && can('complaint.triage')) out.push('archive');
    if (has('triage') && can('complaint.triage')) out.push('triage');
    if (has('facts') && can('complaint.handle')) out.push('facts', 'people');
    if (has('case') && can('case.write') && topGrade(x.grade)) out.push('case');
    return out;
  }

  const openRegular = () => (ctx.c.followups || []).find((f) => f.kind === 'regular' && f.status === 'open');
  // the case library takes the two highest grades of the preset
  const topGrade = (g) => {
    const levels = ctx.grade?.levels;
    if (!levels) return true;
    const i = levels.findIndex((l) => l.code === g);
    return i >= 0 && i < 2;
  };

  const label = (a) => {
    if (a === 'assign') return ctx.c.handler || ctx.c.department ? t('cp.act.reassign') : t('cp.act.assign');
    if (a === 'case') return ctx.c.is_case ? t('cp.act.case_update') : t('cp.act.case');
    return t(`cp.act.${a}`);
  };
  const PRIMARY = new Set(['accept', 'resolve', 'close', 'follow_up']);

  function bar() {
    const list = allowed();
    if (!list.length) return null;
    const primary = list.find((a) => PRIMARY.has(a)) || (list[0] === 'assign' && !ctx.c.handler ? 'assign' : null);
    return h('section', { class: 'card cp-actions', 'aria-labelledby': 'cp-act-h' },
      h('h2', { id: 'cp-act-h', class: 'cp-act-title' }, t('cp.actions')),
      h('div', { class: 'cp-buttons' }, list.map((a) => h('button', {
        type: 'button', class: a === primary ? 'primary' : (a === 'invalidate' ? 'danger' : null),
        dataset: { act: a }, onclick: () => open(a),
      }, label(a)))));
  }

  // A follow-up found the customer dissatisfied: offer to reopen.
  function reopenOffer() {
    const x = ctx.c;
    const last = [...(x.followups || [])].filter((f) => f.status === 'done').sort((a, b) => String(b.done_at).localeCompare(String(a.done_at)))[0];
    if (!last || last.outcome !== 'reached' || last.satisfaction !== 'dissatisfied' || !has('reopen')) return null;
    if (!['followed_up', 'closed'].includes(x.status)) return null;
    return h('div', { class: 'callout cp-offer', role: 'status' },
      h('p', null, t('cp.reopen_offered')),
      can('complaint.reopen') ? h('button', { type: 'button', class: 'primary', dataset: { act: 'reopen-offer' }, onclick: () => open('reopen', { source: 'followup' }) }, t('cp.act.reopen')) : null);
  }

  // ---- dialogs ----

  function dialog(title, body, action, { submit = t('cp.ok'), done, wide } = {}) {
    const titleId = uid('cp-dlg');
    const form = h('form', { class: 'dialog-body', novalidate: true },
      h('h2', { id: titleId }, title),
      body,
      h('p', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, submit),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('common.cancel'))));
    const dlg = h('dialog', { class: ['cp-dialog', wide ? 'cp-dialog-wide' : null], 'aria-labelledby': titleId }, form);
    dlg.addEventListener('close', () => dlg.remove());
    onSubmit(form, async (v, f) => {
      const result = await action(v, f);
      dlg.close();
      try {
        if (result?.repaint) ctx.paint();
        else await ctx.update(result && result.number && result.timeline ? result : null);
      } catch (err) {
        toast(err.message, 'error');
      }
      return result;
    }, done || t('cp.done'));
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
    return { dlg, form };
  }

  const reasonField = (required = true, labelKey = 'cp.f.reason') =>
    field({ name: 'reason', label: t(labelKey), type: 'textarea', rows: 3, required });

  function open(a, extra = {}) {
    const forms = {
      accept: () => dialog(t('cp.act.accept'),
        field({ name: 'note', label: t('cp.f.note'), type: 'textarea', rows: 3 }),
        (v) => post(path('/accept'), v.note ? { note: v.note } : {})),
      assign: assignForm,
      return: () => dialog(t('cp.act.return'), [h('p', { class: 'muted' }, t('cp.return_hint')), reasonField()],
        (v) => post(path('/return'), { reason: v.reason })),
      invalidate: () => dialog(t('cp.act.invalidate'), [h('p', { class: 'muted' }, t('cp.invalidate_hint')), reasonField()],
        (v) => post(path('/invalidate'), { reason: v.reason })),
      resolve: () => dialog(t('cp.act.resolve'),
        [h('p', { class: 'muted' }, t('cp.resolve_hint')),
          field({ name: 'result', label: t('cp.f.result'), type: 'textarea', rows: 5, required: true })],
        (v) => post(path('/resolve'), v.result !== undefined ? { result: v.result } : {})),
      close: closeForm,
      dispute: () => dialog(t('cp.act.dispute'), [h('p', { class: 'muted' }, t('cp.dispute_hint')), reasonField()],
        (v) => post(path('/dispute'), { reason: v.reason })),
      follow_up: () => followupForm(extra.followup || openRegular()),
      reopen: () => dialog(t('cp.act.reopen'),
        [field({ name: 'source', label: t('cp.f.source'), type: 'select', options: opts('cp.source', SOURCES), value: extra.source || 'second_complaint' }),
          reasonField()],
        (v) => post(path('/reopen'), { reason: v.reason, source: v.source })),
      archive: () => dialog(t('cp.act.archive'), reasonField(false),
        (v) => post(path('/archive'), v.reason ? { reason: v.reason } : {})),
      triage: triageForm,
      facts: factsForm,
      people: peopleForm,
      case: () => dialog(label('case'),
        [field({ name: 'summary', label: t('cp.f.summary'), type: 'textarea', rows: 4, required: true }),
          field({ name: 'lessons', label: t('cp.f.lessons'), type: 'textarea', rows: 4, required: true })],
        (v) => post(path('/case'), { summary: v.summary, lessons: v.lessons })),
      compensate: compensationForm,
      agreement: agreementForm,
    };
    const f = forms[a];
    if (f) f();
  }

  // Only what differs from the complaint is sent.
  async function triageForm() {
    const x = ctx.c;
    const cats = ctx.cats;
    const levels = ctx.grade?.levels || [];
    const projs = session.projectsFor('complaint.triage');
    let projOptions = [[x.project.code, x.project.name]];
    try {
      const all = await projects();
      projOptions = all.filter((p) => projs === '*' || projs.includes(p.code)).map((p) => [p.code, p.name]);
      if (!projOptions.some(([code]) => code === x.project.code)) projOptions.unshift([x.project.code, x.project.name]);
    } catch { /* the complaint's own project is enough */ }
    const catSel = field({ name: 'category', label: t('cp.f.category'), type: 'select',
      options: [['', t('cp.none_set')], ...cats.filter((k) => !k.retired || k.code === x.category?.code).map((k) => [k.code, nameOf(k)])],
      value: x.category?.code || '' });
    const subBox = h('div', { class: 'cp-sub' });
    const subFor = (code, value) => {
      const cat = cats.find((k) => k.code === code);
      return field({ name: 'subcategory', label: t('cp.f.subcategory'), type: 'select',
        options: [['', t('cp.none_set')], ...(cat?.subcategories || []).filter((s) => !s.retired || s.code === value).map((s) => [s.code, nameOf(s)])],
        value: value || '' });
    };
    subBox.append(subFor(x.category?.code, x.subcategory?.code));
    catSel.querySelector('select').addEventListener('change', (ev) => {
      subBox.replaceChildren(subFor(ev.target.value, ''));
    });
    dialog(t('cp.act.triage'), [
      h('div', { class: 'form-row' },
        field({ name: 'kind', label: t('cp.f.kind'), type: 'select', options: opts('kind', KINDS), value: x.kind }),
        field({ name: 'nature', label: t('cp.f.nature'), type: 'select', options: opts('nature', NATURES), value: x.nature })),
      h('div', { class: 'form-row' },
        field({ name: 'comm_type', label: t('cp.f.comm_type'), type: 'select', options: opts('comm_type', COMM_TYPES, t('cp.none_set')), value: x.comm_type || '' }),
        field({ name: 'grade', label: t('cp.f.grade'), type: 'select', options: levels.map((l) => [l.code, `${l.code} · ${nameOf(l)}`]), value: x.grade })),
      h('div', { class: 'form-row' }, catSel, subBox),
      field({ name: 'project', label: t('cp.f.move_project'), type: 'select', options: projOptions, value: x.project.code,
        hint: t('cp.project_hint') }),
      reasonField(),
    ], (v) => {
      const body = {};
      if (v.kind && v.kind !== x.kind) body.kind = v.kind;
      if (v.nature && v.nature !== x.nature) body.nature = v.nature;
      if ((v.comm_type || null) !== (x.comm_type || null) && v.comm_type) body.comm_type = v.comm_type;
      if (v.category && v.category !== x.category?.code) body.category = v.category;
      if (v.subcategory && (v.subcategory !== x.subcategory?.code || body.category)) body.subcategory = v.subcategory;
      if (v.grade && v.grade !== x.grade) body.grade = v.grade;
      if (v.project && v.project !== x.project.code) body.project = v.project;
      if (v.reason !== undefined) body.reason = v.reason;
      return post(path('/triage'), body);
    }, { wide: true });
  }

  function assignForm() {
    const x = ctx.c;
    const deps = ctx.deps.filter((d) => d.project === x.project.code || d.project === null);
    const listId = uid('cp-handlers');
    const suggestions = new Map(knownHandlers);
    if (x.handler) suggestions.set(x.handler.login, x.handler.name);
    for (const e of x.timeline || []) {
      if ((e.type === 'assigned' || e.type === 'reassigned') && e.data?.handler) suggestions.set(e.data.handler, who(ctx, e.data.handler));
    }
    // the picker: type a name or a login, or pick from the project's handlers
    const staff = new Map(); // login → {name, roles}
    const datalist = h('datalist', { id: listId });
    const whoLine = h('p', { class: 'muted small cp-handler-who', 'aria-live': 'polite' }, '\u00a0');
    const handlerField = field({ name: 'handler', label: t('cp.f.handler'), value: x.handler?.login || '', hint: t('cp.handler_hint'),
      attrs: { list: listId, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' } });
    const input = handlerField.querySelector('input');
    const roleText = (roles) => [...new Set((roles || []).filter((r) => !r.project || r.project === x.project.code)
      .map((r) => tEnum('role', r.role)))].join('、');
    const fillList = () => {
      const all = new Map([...suggestions].map(([login, name]) => [login, { name, roles: [] }]));
      for (const [login, s] of staff) all.set(login, s);
      const rows = [...all].sort(([la, a], [lb, b]) => Number(!staff.has(la)) - Number(!staff.has(lb))
        || (a.name || la).localeCompare(b.name || lb, 'zh'));
      datalist.replaceChildren(...rows.map(([login, s]) => h('option', { value: login,
        label: t('cp.handler_option', { name: s.name || login, login, roles: roleText(s.roles) || '—' }) })));
    };
    // whom the login typed names, or that it is nobody the list knows
    const showWho = () => {
      const login = input.value.trim();
      const s = staff.get(login) || (suggestions.has(login) ? { name: suggestions.get(login), roles: [] } : null);
      if (!login) whoLine.textContent = '\u00a0';
      else if (s) whoLine.textContent = t('cp.handler_is', { name: s.name || login, roles: roleText(s.roles) || '—' });
      else if (staff.size) {
        // a name typed instead of a login: take the one person it names
        const byName = [...staff].filter(([, v]) => v.name === login);
        if (byName.length === 1) { input.value = byName[0][0]; showWho(); return; }
        whoLine.textContent = t('cp.handler_unknown');
      } else whoLine.textContent = '\u00a0';
    };
    input.addEventListener('input', showWho);
    input.addEventListener('change', showWho);
    fillList();
    showWho();
    handlersOf(x.project.code).then((items) => {
      for (const s of items) staff.set(s.login, { name: s.name, roles: s.roles });
      fillList();
      showWho();
    });
    dialog(label('assign'), [
      field({ name: 'department', label: t('cp.f.department'), type: 'select',
        options: [['', t('cp.by_catalogue')], ...deps.map((d) => [d.code, d.name])], value: x.department?.code || '' }),
      handlerField,
      whoLine,
      datalist,
      field({ name: 'reason', label: t('cp.f.assign_note'), type: 'textarea', rows: 2 }),
    ], async (v) => {
      const body = {};
      if (v.department) body.department = v.department;
      if (v.handler) body.handler = v.handler.trim();
      if (v.reason) body.reason = v.reason;
      const r = await post(path('/assign'), body);
      if (r.handler) knownHandlers.set(r.handler.login, r.handler.name);
      return r;
    });
  }

  function closeForm() {
    const attempts = h('div', { class: 'cp-attempts' });
    let n = 0;
    const addAttempt = () => {
      const i = n++;
      attempts.append(h('fieldset', { class: 'cp-attempt', dataset: { index: i } },
        h('legend', null, t('cp.attempt_n', { n: i + 1 })),
        h('div', { class: 'form-row' },
          field({ name: `attempts[${i}].method`, label: t('cp.f.method'), type: 'select', options: opts('cp.method', METHODS), value: 'phone' }),
          field({ name: `attempts[${i}].at`, label: t('cp.f.at'), type: 'datetime-local', value: toLocalInput() })),
        field({ name: `attempts[${i}].note`, label: t('cp.f.attempt_note') })));
    };
    const box = h('fieldset', { class: 'field cp-attempts-box', dataset: { field: 'attempts' }, hidden: true },
      h('legend', null, t('cp.attempts')),
      h('p', { class: 'hint' }, t('cp.attempts_hint')),
      attempts,
      h('button', { type: 'button', class: 'small', onclick: () => { if (n < 20) addAttempt(); } }, t('cp.add_attempt')),
      h('p', { class: 'field-error', role: 'alert' }));
    addAttempt();
    const response = field({ name: 'response', label: t('cp.f.response'), type: 'select', options: opts('cp.response', ['agreed', 'not_reachable']), value: 'agreed' });
    const sel = response.querySelector('select');
    const sync = () => { box.hidden = sel.value !== 'not_reachable'; for (const el of box.querySelectorAll('input, select')) el.disabled = box.hidden; };
    sel.addEventListener('change', sync);
    sync();
    dialog(t('cp.act.close'), [
      h('p', { class: 'muted' }, t('cp.close_hint')),
      response,
      box,
      field({ name: 'note', label: t('cp.f.close_note'), type: 'textarea', rows: 3 }),
    ], (v) => {
      const body = { response: v.response };
      if (v.note) body.note = v.note;
      if (v.response === 'not_reachable') {
        body.attempts = [];
        for (let i = 0; i < n; i++) {
          const a = { method: v[`attempts[${i}].method`] };
          if (v[`attempts[${i}].at`]) a.at = fromLocalInput(v[`attempts[${i}].at`]);
          if (v[`attempts[${i}].note`]) a.note = v[`attempts[${i}].note`];
          body.attempts.push(a);
        }
      }
      return post(path('/close'), body);
    }, { wide: true });
  }

  function followupForm(f) {
    if (!f) return;
    const { form } = dialog(t('cp.act.follow_up'), [
      f.kind === 'sample' ? h('p', { class: 'muted' }, t('cp.sample_hint')) : null,
      h('div', { class: 'form-row' },
        field({ name: 'outcome', label: t('cp.f.outcome'), type: 'select', options: opts('cp.outcome', OUTCOMES), value: 'reached', required: true }),
        field({ name: 'attempts', label: t('cp.f.calls'), type: 'number', value: 1, attrs: { min: 0, max: 20, inputmode: 'numeric' } })),
      h('div', { class: 'form-row' },
        field({ name: 'satisfaction', label: t('cp.f.satisfaction'), type: 'select', options: opts('satisfaction', SATISFACTION, t('cp.choose')) }),
        field({ name: 'score', label: t('cp.f.score'), type: 'select', options: [['', t('cp.choose')], ...[5, 4, 3, 2, 1].map((s) => [String(s), String(s)])] })),
      field({ name: 'comment', label: t('cp.f.comment'), type: 'textarea', rows: 3 }),
    ], async (v) => {
      const body = { outcome: v.outcome };
      if (v.attempts !== undefined) body.attempts = v.attempts;
      if (v.satisfaction) body.satisfaction = v.satisfaction;
      if (v.score) body.score = Number(v.score);
      if (v.comment) body.comment = v.comment;
      const r = await post(`/api/followups/${enc(f.id)}`, body);
      if (r.reopen_offered) toast(t('cp.reopen_offered'), 'info');
      return { refetch: true };
    }, { wide: true });
    return form;
  }

  function factsForm() {
    const x = ctx.c;
    dialog(t('cp.act.facts'), [
      h('div', { class: 'form-row' },
        field({ name: 'headcount', label: t('cp.f.headcount'), type: 'number', value: x.headcount, attrs: { min: 1, max: 100000, inputmode: 'numeric' } }),
        field({ name: 'loss_amount', label: t('cp.f.loss'), value: x.loss_amount || '', attrs: { inputmode: 'decimal' } })),
      h('fieldset', { class: 'field', dataset: { field: 'flags' } },
        h('legend', null, t('cp.f.flags')),
        h('div', { class: 'checks' }, FLAGS.map((k) => field({ name: `flags.${k}`, label: tEnum('flag', k), type: 'checkbox', value: x.flags?.[k] }))),
        h('p', { class: 'field-error', role: 'alert' })),
      field({ name: 'raised_again', label: t('cp.f.raised_again'), type: 'checkbox' }),
      field({ name: 'reason', label: t('cp.f.reason'), type: 'textarea', rows: 2 }),
    ], (v) => {
      const body = {};
      if (v.headcount !== undefined && v.headcount !== x.headcount) body.headcount = v.headcount;
      if ((v.loss_amount || '') !== (x.loss_amount || '') && v.loss_amount !== undefined) body.loss_amount = v.loss_amount;
      const flags = {};
      for (const k of FLAGS) if (Boolean(v[`flags.${k}`]) !== Boolean(x.flags?.[k])) flags[k] = Boolean(v[`flags.${k}`]);
      if (Object.keys(flags).length) body.flags = flags;
      if (v.raised_again) body.raised_again = true;
      if (v.reason) body.reason = v.reason;
      return post(path('/facts'), body);
    }, { wide: true });
  }

  function peopleForm() {
    dialog(t('cp.act.people'), [
      h('p', { class: 'muted' }, t('cp.people_hint')),
      h('div', { class: 'form-row' },
        field({ name: 'name', label: t('cp.f.name') }),
        field({ name: 'role', label: t('cp.f.role'), type: 'select', options: opts('complainant_role', ROLES), value: 'owner' })),
      h('div', { class: 'form-row' },
        field({ name: 'phone', label: t('cp.f.phone'), type: 'tel', attrs: { autocomplete: 'off' } }),
        field({ name: 'email', label: t('cp.f.email'), type: 'email', attrs: { autocomplete: 'off' } })),
      field({ name: 'anonymous', label: t('cp.f.anonymous'), type: 'checkbox' }),
    ], (v) => {
      const p = { anonymous: Boolean(v.anonymous) };
      for (const k of ['name', 'phone', 'email', 'role']) if (v[k]) p[k] = v[k];
      return post(path('/people'), { complainant: p });
    }, { wide: true });
  }

  function compensationForm() {
    dialog(t('cp.act.compensate'), [
      h('p', { class: 'callout small cp-hist-note' }, historySummary(ctx)),
      h('div', { class: 'form-row' },
        field({ name: 'type', label: t('cp.f.comp_type'), type: 'select', options: opts('cp.comp_type', COMP_TYPES), value: 'cash' }),
        field({ name: 'amount', label: t('cp.f.amount'), required: true, attrs: { inputmode: 'decimal' }, hint: t('cp.amount_hint') })),
      reasonField(),
    ], (v) => post(path('/compensations'), { type: v.type, ...(v.amount !== undefined ? { amount: v.amount } : {}), ...(v.reason !== undefined ? { reason: v.reason } : {}) }));
  }

  function agreementForm() {
    const agreeable = (ctx.c.compensations || []).filter((x) => x.status === 'proposed' || x.status === 'approved');
    dialog(t('cp.act.agreement'), [
      field({ name: 'solution', label: t('cp.f.solution'), type: 'textarea', rows: 4, required: true }),
      field({ name: 'confirmation', label: t('cp.f.confirmation'), type: 'select', options: opts('cp.confirmation', CONFIRMATIONS), value: 'signature' }),
      agreeable.length ? h('fieldset', { class: 'field', dataset: { field: 'compensations' } },
        h('legend', null, t('cp.f.agreed_comps')),
        h('div', { class: 'checks' }, agreeable.map((x) => field({ name: `comp.${x.id}`, label: `${tEnum('cp.comp_type', x.type)} ¥${x.amount}`, type: 'checkbox', value: true }))),
        h('p', { class: 'field-error', role: 'alert' })) : null,
    ], (v) => {
      const body = { confirmation: v.confirmation };
      if (v.solution !== undefined) body.solution = v.solution;
      const ids = agreeable.filter((x) => v[`comp.${x.id}`]).map((x) => String(x.id));
      if (ids.length) body.compensations = ids;
      return post(path('/agreement'), body);
    }, { wide: true });
  }

  function decideForm(x) {
    dialog(t('cp.act.decide'), [
      h('p', null, `${tEnum('cp.comp_type', x.type)} ¥${x.amount}`),
      h('p', { class: 'pre small muted' }, x.reason),
      h('p', { class: 'callout small' }, historySummary(ctx)),
      field({ name: 'approve', label: t('cp.f.decision'), type: 'select', options: [['yes', t('cp.approve')], ['no', t('cp.reject')]], value: 'yes' }),
      field({ name: 'reason', label: t('cp.f.decision_reason'), type: 'textarea', rows: 2, hint: t('cp.reject_hint') }),
    ], (v) => post(path(`/compensations/${enc(x.id)}/decision`), { approve: v.approve === 'yes', ...(v.reason ? { reason: v.reason } : {}) }));
  }

  function clockForm(k, pause) {
    dialog(`${pause ? t('cp.pause') : t('cp.resume')} · ${clockLabel(k)}`,
      [pause ? h('p', { class: 'muted' }, t('cp.pause_hint')) : null, reasonField()],
      (v) => post(path(`/clocks/${enc(k.clock)}/${pause ? 'pause' : 'resume'}`), v.reason !== undefined ? { reason: v.reason } : {}));
  }

  function revealForm() {
    dialog(t('cp.reveal'), [
      h('p', { class: 'muted' }, t('cp.reveal_hint')),
      field({ name: 'purpose', label: t('cp.f.purpose'), required: true, attrs: { maxlength: 200 } }),
    ], async (v) => {
      ctx.revealed = await post(path('/contact'), v.purpose !== undefined ? { purpose: v.purpose } : {});
      return { repaint: true };
    }, { done: t('cp.revealed_toast') });
  }

  // ---- pieces the view asks for ----

  const canWrite = () => !['archived'].includes(ctx.c.status);

  function noteForm() {
    if (!has('note') || !can('event.create')) return null;
    const types = ['note', 'reply', 'investigation', 'report'];
    if (ctx.c.status === 'in_progress' && has('negotiate')) types.push('solution');
    const legendId = uid('cp-type');
    const form = h('form', { class: 'cp-note-form', novalidate: true, 'aria-label': t('cp.add_entry') },
      h('fieldset', { class: 'field cp-note-types', dataset: { field: 'type' }, 'aria-labelledby': legendId },
        h('legend', { id: legendId }, t('cp.f.entry_type')),
        h('div', { class: 'checks' }, types.map((ty) => {
          const id = uid('cp-ty');
          return h('span', { class: ['cp-radio', `cp-radio-${ty}`] },
            h('input', { type: 'radio', name: 'type', id, value: ty, checked: ty === 'note' }),
            h('label', { for: id }, tEnum('cp.ev', ty)));
        })),
        h('p', { class: 'field-error', role: 'alert' })),
      field({ name: 'text', label: t('cp.f.text'), type: 'textarea', rows: 3, required: true, hint: t('cp.note_hint') }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary', dataset: { act: 'add-entry' } }, t('cp.add_entry'))));
    const text = form.querySelector('textarea');
    text.dataset.focusKey = 'note-text';
    const hint = form.querySelector('.hint');
    const sync = () => {
      const ty = form.querySelector('input[name=type]:checked')?.value;
      form.dataset.type = ty;
      hint.textContent = ty === 'reply' ? t('cp.reply_hint') : t('cp.note_hint');
    };
    form.addEventListener('change', sync);
    sync();
    onSubmit(form, async (v, f) => {
      const type = f.querySelector('input[name=type]:checked')?.value || 'note';
      const body = { type };
      if (v.text !== undefined) body.text = v.text;
      await post(path('/events'), body);
      await ctx.update(null);
    }, () => t('cp.entry_added'));
    return form;
  }

  function uploadForm() {
    if (!can('attachment.create') || !canWrite()) return null;
    const form = h('form', { class: 'cp-upload', novalidate: true },
      field({ name: 'body', label: t('cp.upload'), type: 'file', hint: t('cp.upload_hint'),
        attrs: { accept: 'image/jpeg,image/png,image/gif,image/webp,image/heic,audio/*,video/mp4,application/pdf', multiple: true } }),
      h('p', { class: 'form-error', role: 'alert' }));
    const input = form.querySelector('input[type=file]');
    input.dataset.focusKey = 'upload';
    input.addEventListener('change', async () => {
      const files = [...input.files];
      if (!files.length) return;
      clearErrors(form);
      input.disabled = true;
      let ok = 0;
      try {
        for (const file of files) {
          await api('POST', path(`/attachments?name=${enc(file.name)}`), file, { raw: true, type: file.type || 'application/octet-stream' });
          ok += 1;
        }
      } catch (err) {
        input.disabled = false;
        if (!ok) { showError(form, err); return; }
        toast(err.message, 'error');
        await ctx.update(null);
        return;
      }
      input.disabled = false;
      toast(t('cp.uploaded', { n: ok }), 'ok');
      await ctx.update(null);
    });
    return form;
  }

  function preview(a) {
    const titleId = uid('cp-prev');
    const dlg = h('dialog', { class: 'cp-preview', 'aria-labelledby': titleId },
      h('div', { class: 'dialog-body' },
        h('div', { class: 'cp-preview-head' },
          h('h2', { id: titleId }, a.name),
          h('button', { type: 'button', class: 'small', onclick: () => dlg.close() }, t('common.close'))),
        h('img', { src: attachmentUrl(ctx, a), alt: a.name, class: 'cp-preview-img' }),
        h('p', null, h('a', { href: attachmentUrl(ctx, a), download: a.name }, t('cp.download')))));
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector('button').focus();
  }

  function revealButton() {
    if (!can('contact.reveal') || ctx.revealed) return null;
    const p = ctx.c.complainant || {};
    if (p.anonymous && !p.phone && !p.email) return null;
    return h('button', { type: 'button', class: 'small', dataset: { act: 'reveal' }, onclick: revealForm }, t('cp.reveal'));
  }

  function gradeButton() {
    if (!has('facts') || !can('complaint.handle')) return null;
    return h('button', { type: 'button', class: 'small', dataset: { act: 'regrade' }, onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const r = await post(path('/grade'), {});
        toast(t('cp.regraded'), 'ok');
        await ctx.update(r);
      } catch (err) {
        ev.target.disabled = false;
        toast(err.message, 'error');
      }
    } }, t('cp.regrade'));
  }

  function clockButton(k) {
    if (!can('complaint.handle') || CLOSED.includes(ctx.c.status)) return null;
    if (OPEN_CLOCK.includes(k.state)) {
      return h('button', { type: 'button', class: 'small', dataset: { act: `pause-${k.clock}` }, onclick: () => clockForm(k, true) }, t('cp.pause'));
    }
    if (k.state === 'paused') {
      return h('button', { type: 'button', class: 'small', dataset: { act: `resume-${k.clock}` }, onclick: () => clockForm(k, false) }, t('cp.resume'));
    }
    return null;
  }

  function negotiateButtons() {
    if (!has('negotiate') || !can('complaint.handle')) return null;
    return h('div', { class: 'cp-card-actions' },
      h('button', { type: 'button', class: 'small', dataset: { act: 'compensate' }, onclick: () => open('compensate') }, t('cp.act.compensate')),
      h('button', { type: 'button', class: 'small', dataset: { act: 'agreement' }, onclick: () => open('agreement') }, t('cp.act.agreement')));
  }

  function decideButton(x) {
    if (x.status !== 'pending_approval' || !has('approve') || !can('compensation.approve')) return null;
    return h('button', { type: 'button', class: 'small primary', dataset: { act: `decide-${x.id}` }, onclick: () => decideForm(x) }, t('cp.act.decide'));
  }

  function followupButton(f) {
    if (f.status !== 'open' || !can('followup') || isHandler()) return null;
    if (f.kind === 'regular' && !has('follow_up')) return null;
    return h('button', { type: 'button', class: 'small', dataset: { act: `followup-${f.id}` }, onclick: () => open('follow_up', { followup: f }) }, t('cp.act.follow_up'));
  }

  return {
    bar, reopenOffer, noteForm, uploadForm, preview, revealButton, gradeButton, clockButton,
    negotiateButtons, decideButton, followupButton, open, allowed,
  };
}
