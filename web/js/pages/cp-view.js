// The complaint page's sections: header, facts, grade, clocks, timeline,
// attachments, compensations, follow-ups and the customer's history. Every
// value that came from a person (subject, content, names, notes) goes in as
// text through h(); nothing here builds markup from strings.
import { h } from '../dom.js';
import { t, tEnum, nameOf, lang } from '../i18n.js';
import { dateTime, relative, money, bytes } from '../fmt.js';
import { link } from '../router.js';

export const FLAGS = ['injury', 'media', 'lawsuit', 'threat_media', 'threat_lawsuit', 'vip'];
const CUSTOMER_TYPES = new Set(['reply']);
const INTERNAL_TYPES = new Set(['note', 'investigation', 'solution', 'report']);
const ALERT_TYPES = new Set(['overdue', 'escalated', 'notice_issued', 'notice_overdue', 'reminder']);
// the facts of the grading language shown in the explanation, in this order
const GRADE_FACTS = ['headcount', 'raised', 'loss', 'injury', 'media', 'lawsuit', 'threat_media',
  'threat_lawsuit', 'vip', 'unresolved_days', 'reopenings', 'similar_complainants', 'valid', 'complaint'];

export const badge = (cls, text) => h('span', { class: ['badge', cls] }, text);
export const statusBadge = (s) => badge(`status-${s}`, tEnum('status', s));
export const when = (iso) => (iso ? h('time', { datetime: iso }, dateTime(iso)) : null);

export function levelName(ctx, code) {
  const level = ctx.grade?.levels?.find((l) => l.code === code);
  return level ? nameOf(level) : '';
}

export function gradeBadge(ctx, code = ctx.c.grade) {
  if (!code) return null;
  const name = levelName(ctx, code);
  return h('span', { class: ['badge', 'grade', `grade-${code}`], 'data-testid': 'grade' },
    name ? `${code} · ${name}` : code);
}

// A staff member's name from what the page knows, else the login.
export function who(ctx, login) {
  if (!login) return '';
  if (typeof login === 'object') return login.name || login.login;
  return ctx.names.get(login) || login;
}

export function deptName(ctx, code) {
  if (!code) return '';
  if (typeof code === 'object') return code.name || code.code;
  return ctx.deps.find((d) => d.code === code && (d.project === ctx.c.project.code || d.project === null))?.name
    || ctx.deps.find((d) => d.code === code)?.name || code;
}

function categoryName(ctx, code, parent) {
  if (!code) return '';
  if (parent) {
    const p = ctx.cats.find((c) => c.code === parent);
    const s = p?.subcategories?.find((x) => x.code === code);
    return s ? nameOf(s) : code;
  }
  const c = ctx.cats.find((x) => x.code === code);
  return c ? nameOf(c) : code;
}

// Everyone the complaint names, for showing names instead of logins.
export function collectNames(c) {
  const names = new Map();
  const add = (p) => { if (p && p.login) names.set(p.login, p.name || p.login); };
  add(c.received_by); add(c.handler);
  for (const e of c.timeline || []) add(e.author);
  for (const f of c.followups || []) add(f.assignee);
  return names;
}

// ---- header ----

export function header(ctx) {
  const c = ctx.c;
  return h('header', { class: 'page-head cp-head' },
    h('h1', { id: 'cp-title' },
      h('span', { class: 'cp-number' }, c.number),
      h('span', { class: 'cp-subject' }, c.subject)),
    h('div', { class: 'cp-badges' },
      statusBadge(c.status),
      gradeBadge(ctx),
      badge('cp-kind', tEnum('kind', c.kind)),
      c.nature ? badge(`cp-nature cp-nature-${c.nature}`, tEnum('nature', c.nature)) : null,
      badge('cp-channel', tEnum('channel', c.channel)),
      c.is_case ? badge('badge-info', t('cp.is_case')) : null));
}

// ---- facts ----

function row(label, ...value) {
  const v = value.flat().filter((x) => x !== null && x !== undefined && x !== '');
  if (!v.length) return null;
  return [h('dt', null, label), h('dd', null, v)];
}

export function factsCard(ctx, act) {
  const c = ctx.c;
  const rev = ctx.revealed;
  const person = c.complainant || {};
  const flags = FLAGS.filter((f) => c.flags?.[f]);
  const place = [c.project?.name, rev ? rev.building ?? c.building : c.building, rev ? rev.unit ?? c.unit : c.unit]
    .filter(Boolean).join(' ');
  const phone = rev ? rev.phone : person.phone;
  const email = rev ? rev.email : person.email;
  const name = person.anonymous ? t('cp.anonymous') : (rev?.name ?? person.name);
  const revealBtn = act.revealButton();
  return h('section', { class: 'card cp-facts', 'aria-labelledby': 'cp-facts-h' },
    h('h2', { id: 'cp-facts-h' }, t('cp.facts')),
    h('dl', { class: 'facts' },
      row(t('cp.f.project'), place),
      row(t('cp.f.complainant'),
        h('span', { class: 'cp-person', 'data-testid': 'complainant' }, name || t('common.none'),
          person.role ? ` · ${tEnum('complainant_role', person.role)}` : '')),
      row(t('cp.f.phone'), phone ? h('span', { class: 'nowrap', 'data-testid': 'phone' }, phone) : null),
      row(t('cp.f.email'), email),
      (revealBtn || rev) ? [h('dt', { class: 'cp-reveal-dt' }, ''),
        h('dd', null, rev ? h('span', { class: 'badge badge-warn' }, t('cp.revealed')) : revealBtn)] : null,
      row(t('cp.f.category'), [nameOf(c.category), c.subcategory ? ` / ${nameOf(c.subcategory)}` : ''].join('') || t('cp.none_set')),
      row(t('cp.f.comm_type'), tEnum('comm_type', c.comm_type)),
      row(t('cp.f.headcount'), String(c.headcount ?? 1)),
      row(t('cp.f.flags'), flags.length ? h('span', { class: 'cp-flags' }, flags.map((f) => badge('badge-bad', tEnum('flag', f)))) : null),
      row(t('cp.f.loss'), c.loss_amount ? money(c.loss_amount) : null),
      row(t('cp.f.received'), when(c.received_at), c.received_by ? ` · ${c.received_by.name}` : ''),
      row(t('cp.f.department'), c.department ? deptName(ctx, c.department) : t('cp.not_assigned')),
      row(t('cp.f.handler'), c.handler ? c.handler.name : t('cp.not_assigned')),
      c.raised > 1 ? row(t('cp.f.raised'), String(c.raised)) : null,
      c.reopenings > 0 ? row(t('cp.f.reopenings'), String(c.reopenings)) : null),
    c.people?.length ? peopleList(c.people) : null,
    h('h3', null, t('cp.f.content')),
    h('p', { class: 'pre cp-content', 'data-testid': 'content' }, c.content),
    c.demands ? [h('h3', null, t('cp.f.demands')), h('p', { class: 'pre cp-demands', 'data-testid': 'demands' }, c.demands)] : null,
    c.result ? [h('h3', null, t('cp.f.result')), h('p', { class: 'pre cp-result', 'data-testid': 'result' }, c.result),
      c.close_response ? h('p', { class: 'muted small' }, t('cp.close_response'), ': ', tEnum('cp.response', c.close_response)) : null] : null);
}

function peopleList(people) {
  return [h('h3', null, t('cp.people')),
    h('ul', { class: 'items cp-people' }, people.map((p) => h('li', null,
      p.anonymous ? t('cp.anonymous') : (p.name || t('common.none')),
      p.role ? ` · ${tEnum('complainant_role', p.role)}` : '',
      p.phone ? h('span', { class: 'muted nowrap' }, ` · ${p.phone}`) : null)))];
}

// ---- grade ----

export function gradeCard(ctx, act) {
  const g = ctx.grade;
  const c = ctx.c;
  if (!g) return null;
  const rule = g.rules?.find((r) => r.code === g.rule);
  const describe = (r) => (lang() === 'en' ? r.description_en || r.description_zh : r.description_zh || r.description_en);
  const holding = (g.rules || []).filter((r) => r.holds);
  const person = g.grade !== g.rules_grade;
  return h('section', { class: 'card cp-grade', 'aria-labelledby': 'cp-grade-h' },
    h('div', { class: 'cp-card-head' },
      h('h2', { id: 'cp-grade-h' }, t('cp.grade')),
      act.gradeButton()),
    h('p', { class: 'cp-grade-now' }, gradeBadge(ctx, g.grade)),
    person ? h('p', { class: 'cp-by-person' }, t('cp.grade_by_person', { rules: g.rules_grade ?? '—' })) : null,
    rule
      ? h('p', { class: 'cp-rule', 'data-testid': 'grade-rule' },
        person ? h('span', { class: 'muted' }, t('cp.rules_say'), ' ') : null,
        h('span', { class: 'cp-rule-code' }, rule.code), ' ', describe(rule),
        h('span', { class: 'muted small' }, ` (${rule.condition})`))
      : h('p', { class: 'muted' }, t('cp.grade_no_rule')),
    g.overridden || c.grade_overrides ? h('p', { class: 'small muted' }, t('cp.grade_overridden', { codes: g.overridden || c.grade_overrides })) : null,
    h('details', { class: 'cp-grade-why' },
      h('summary', null, t('cp.grade_facts')),
      h('dl', { class: 'facts small' }, GRADE_FACTS.filter((k) => k in (g.facts || {})).map((k) =>
        [h('dt', null, t(`cp.fact.${k}`)), h('dd', null, String(g.facts[k]))])),
      holding.length ? [h('h3', null, t('cp.rules_holding')),
        h('ul', { class: 'items small' }, holding.map((r) => h('li', null,
          h('span', { class: 'cp-rule-code' }, r.code), ` ${r.grade} · `, describe(r))))] : null));
}

// ---- clocks ----

function limitText(l) {
  if (!l) return '';
  return `${l.amount} ${tEnum('clock_unit', l.unit)}`;
}

export function clockLabel(c) {
  const k = tEnum('clock', c.clock);
  if (k !== c.clock) return k;
  return (lang() === 'en' ? c.label_en || c.label_zh : c.label_zh || c.label_en) || c.clock;
}

export function clocksCard(ctx, act) {
  const clocks = ctx.c.clocks || [];
  return h('section', { class: 'card cp-clocks', 'aria-labelledby': 'cp-clocks-h' },
    h('h2', { id: 'cp-clocks-h' }, t('cp.clocks')),
    clocks.length === 0 ? h('p', { class: 'muted' }, t('cp.no_clocks')) :
      h('ul', { class: 'items cp-clock-list' }, clocks.map((k) => {
        const open = ['running', 'due_soon', 'overdue', 'paused'].includes(k.state);
        return h('li', { class: ['cp-clock', `cp-clock-${k.state}`], dataset: { clock: k.clock } },
          h('div', { class: 'cp-clock-head' },
            h('span', { class: 'cp-clock-label' }, clockLabel(k)),
            k.cycle > 1 ? h('span', { class: 'muted small' }, t('cp.cycle', { n: k.cycle })) : null,
            h('span', { class: ['badge', `clock-${k.state}`] }, tEnum('clock_state', k.state))),
          h('div', { class: 'small cp-clock-due' },
            open
              ? [t('cp.due'), ' ', when(k.due_at), k.state !== 'paused' ? h('span', { class: 'muted' }, `（${relative(k.due_at)}）`) : null]
              : [t('cp.stopped'), ' ', when(k.stopped_at || k.overdue_at || k.due_at)],
            h('span', { class: 'muted' }, ` · ${t('cp.limit')} ${limitText(k.limit)}`)),
          k.state === 'paused' && k.paused_at ? h('div', { class: 'small' }, t('cp.paused_since'), ' ', when(k.paused_at)) : null,
          act.clockButton(k));
      })));
}

// ---- timeline ----

function evClass(e) {
  if (CUSTOMER_TYPES.has(e.type)) return 'ev-customer';
  if (INTERNAL_TYPES.has(e.type)) return 'ev-internal';
  if (ALERT_TYPES.has(e.type)) return 'ev-alert';
  return 'ev-system';
}

function fromTo(kind, d) {
  const f = d.from == null || d.from === '' ? '—' : tEnum(kind, d.from);
  return `${f} → ${tEnum(kind, d.to)}`;
}

// A line saying what an event changed, from its data.
function evDetail(ctx, e) {
  const d = e.data || {};
  switch (e.type) {
    case 'kind_changed': return fromTo('kind', d);
    case 'nature_changed': return fromTo('nature', d);
    case 'comm_type_changed': return fromTo('comm_type', d);
    case 'category_changed': return `${categoryName(ctx, d.from) || '—'} → ${categoryName(ctx, d.to)}`;
    case 'subcategory_changed': {
      const parent = ctx.c.category?.code;
      return `${categoryName(ctx, d.from, parent) || '—'} → ${categoryName(ctx, d.to, parent) || '—'}`;
    }
    case 'project_changed': return `${d.from || '—'} → ${d.to}`;
    case 'department_changed': return `${deptName(ctx, d.from) || '—'} → ${deptName(ctx, d.to)}`;
    case 'grade_changed':
      return [`${d.from || '—'} → ${d.to}`,
        d.by === 'rules' ? (d.rule ? ` · ${t('cp.by_rule', { rule: d.rule })}` : ` · ${t('cp.by_rules')}`) : ` · ${t('cp.by_person')}`].join('');
    case 'assigned': case 'reassigned': case 'returned':
      return [deptName(ctx, d.department), who(ctx, d.handler)].filter(Boolean).join(' / ')
        + (d.by_dispatch_rule ? ` · ${t('cp.by_dispatch_rule')}` : '');
    case 'invalidated': return `${tEnum('status', d.from)} → ${tEnum('status', 'invalid')}`;
    case 'facts_changed': {
      const parts = [];
      for (const k of ['headcount', 'loss_amount', 'raised']) {
        if (d[k]) parts.push(`${t(`cp.fact.${k === 'loss_amount' ? 'loss' : k}`)} ${d[k].from ?? '—'} → ${d[k].to ?? '—'}`);
      }
      if (d.flags?.set?.length) parts.push(`+ ${d.flags.set.map((f) => tEnum('flag', f)).join('、')}`);
      if (d.flags?.cleared?.length) parts.push(`− ${d.flags.cleared.map((f) => tEnum('flag', f)).join('、')}`);
      return parts.join(' · ');
    }
    case 'compensation_proposed':
      return `${tEnum('cp.comp_type', d.type)} ${money(d.amount)}${d.needs_approval ? ` · ${t('cp.needs_approval')}` : ''}`;
    case 'closed': return `${tEnum('cp.response', d.response)}${d.attempts?.length ? ` · ${t('cp.attempts_n', { n: d.attempts.length })}` : ''}`;
    case 'followup_scheduled':
      return [d.assignee ? who(ctx, d.assignee) : t('cp.nobody'), d.due_at ? `${t('cp.due')} ${dateTime(d.due_at)}` : ''].filter(Boolean).join(' · ');
    case 'followed_up':
      return [tEnum('cp.outcome', d.outcome), d.satisfaction ? tEnum('satisfaction', d.satisfaction) : '',
        d.score ? t('cp.score_n', { n: d.score }) : ''].filter(Boolean).join(' · ');
    case 'reopened': return tEnum('cp.source', d.source);
    case 'archived': return tEnum('status', d.from);
    case 'agreement': return d.confirmation ? tEnum('cp.confirmation', d.confirmation) : '';
    case 'clock_paused': case 'clock_resumed': case 'reminder': case 'overdue':
      return [tEnum('clock', d.clock), d.due_at ? `${t('cp.due')} ${dateTime(d.due_at)}` : ''].filter(Boolean).join(' · ');
    case 'attachment': return d.name || '';
    case 'escalated': case 'notice_issued': return d.rule || '';
    case 'person_added': return t('cp.headcount_n', { n: d.headcount });
    default: return '';
  }
}

// System texts written in Chinese by the server are replaced by our own
// words in English for these types.
const DETAIL_ONLY = new Set(['reminder', 'overdue']);

// The event's text; for the scheduler's and the rules' texts, which the
// server writes in Chinese, our own words in the language shown.
function eventText(ctx, e) {
  if (!e.text) return '';
  if (lang() !== 'en') return e.text;
  if (DETAIL_ONLY.has(e.type)) return '';
  if (e.type === 'grade_changed' && e.data?.by === 'rules' && e.data.rule) {
    const r = ctx.grade?.rules?.find((x) => x.code === e.data.rule);
    if (r?.description_en) return r.description_en;
  }
  return e.text;
}

export function timelineCard(ctx, act) {
  const events = [...(ctx.c.timeline || [])].sort((a, b) => b.seq - a.seq); // newest first
  return h('section', { class: 'card cp-timeline', 'aria-labelledby': 'cp-tl-h' },
    h('h2', { id: 'cp-tl-h' }, t('cp.timeline')),
    act.noteForm(),
    h('p', { class: 'muted small' }, t('cp.timeline_order')),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' }, events.map((e) => {
      const cls = evClass(e);
      const detail = evDetail(ctx, e);
      const text = eventText(ctx, e);
      return h('li', { class: cls, dataset: { type: e.type, seq: e.seq } },
        h('div', { class: 'ev-head' },
          cls === 'ev-customer' || cls === 'ev-internal'
            ? h('span', { class: ['cp-tag', cls === 'ev-customer' ? 'cp-tag-customer' : 'cp-tag-internal'] }, tEnum('cp.ev', e.type))
            : h('span', { class: 'cp-ev-type' }, tEnum('cp.ev', e.type)),
          e.author ? h('span', { class: 'cp-ev-author' }, e.author.name || e.author.login) : h('span', { class: 'cp-ev-author' }, t('cp.system')),
          when(e.at),
          e.visibility === 'customer' && cls !== 'ev-customer' ? h('span', { class: 'cp-vis' }, t('cp.customer_visible')) : null,
          cls === 'ev-internal' ? h('span', { class: 'cp-vis' }, t('cp.internal_only')) : null),
        detail ? h('div', { class: 'cp-ev-detail small' }, detail) : null,
        text ? h('div', { class: 'ev-body' }, text) : null);
    })));
}

// ---- attachments ----

// Built here from the number and the id (same origin; the session cookie
// authorises it), never taken as a URL from data.
export const attachmentUrl = (ctx, a) => `/api/complaints/${encodeURIComponent(ctx.c.number)}/attachments/${encodeURIComponent(a.id)}`;

export const isImage = (a) => /^image\/(jpeg|png|gif|webp)$/.test(a.content_type || '');

export function attachmentsCard(ctx, act) {
  const list = ctx.c.attachments || [];
  return h('section', { class: 'card cp-attachments', 'aria-labelledby': 'cp-att-h' },
    h('h2', { id: 'cp-att-h' }, t('cp.attachments'), list.length ? h('span', { class: 'muted small' }, ` (${list.length})`) : null),
    list.length === 0 ? h('p', { class: 'muted' }, t('cp.no_attachments')) :
      h('ul', { class: 'thumbs cp-thumbs' }, list.map((a) => h('li', null,
        isImage(a)
          ? h('button', { type: 'button', class: 'cp-thumb', 'aria-label': t('cp.preview_of', { name: a.name }), onclick: () => act.preview(a) },
            h('img', { src: attachmentUrl(ctx, a), alt: a.name, width: 112, height: 84, loading: 'lazy', decoding: 'async' }))
          : h('a', { class: 'cp-file', href: attachmentUrl(ctx, a), download: a.name }, h('span', { class: 'cp-file-type' }, (a.content_type || '').split('/').pop())),
        h('div', { class: 'file-name', title: a.name }, a.name),
        h('div', { class: 'muted small' }, bytes(a.size))))),
    act.uploadForm());
}

// ---- compensations ----

export function compensationsCard(ctx, act) {
  const list = ctx.c.compensations || [];
  const buttons = act.negotiateButtons();
  if (!list.length && !buttons) return null;
  return h('section', { class: 'card cp-comps', 'aria-labelledby': 'cp-comp-h' },
    h('div', { class: 'cp-card-head' }, h('h2', { id: 'cp-comp-h' }, t('cp.compensations')), buttons),
    list.length === 0 ? h('p', { class: 'muted' }, t('cp.no_compensations')) :
      h('ul', { class: 'items' }, list.map((x) => h('li', { dataset: { compensation: x.id } },
        h('div', { class: 'cp-line' },
          h('span', { class: 'item-title' }, `${tEnum('cp.comp_type', x.type)} ${money(x.amount)}`),
          badge(x.status === 'rejected' ? 'badge-bad' : x.status === 'pending_approval' ? 'badge-warn' : 'badge-ok', tEnum('cp.comp_status', x.status))),
        h('p', { class: 'pre small' }, x.reason),
        h('p', { class: 'muted small' }, t('cp.proposed_by', { who: who(ctx, x.proposed_by) }), ' ', when(x.proposed_at)),
        decision(ctx, x),
        act.decideButton(x)))));
}

// Who approved or rejected it: the decision's event names the manager (the
// compensation's decided_by is not enough once it is agreed).
function decision(ctx, x) {
  const ev = [...(ctx.c.timeline || [])].reverse().find((e) =>
    (e.type === 'compensation_approved' || e.type === 'compensation_rejected') && String(e.data?.compensation) === String(x.id));
  if (ev) {
    return h('p', { class: 'muted small' }, t('cp.decided_by', { who: ev.author?.name || ev.author?.login || '' }), ' ', when(ev.at),
      ev.text ? ` · ${ev.text}` : '');
  }
  if (!x.decided_by || x.status === 'agreed') return null;
  return h('p', { class: 'muted small' }, t('cp.decided_by', { who: who(ctx, x.decided_by) }), ' ', when(x.decided_at),
    x.decision_reason ? ` · ${x.decision_reason}` : '');
}

// ---- follow-ups ----

export function followupsCard(ctx, act) {
  const list = ctx.c.followups || [];
  if (!list.length) return null;
  return h('section', { class: 'card cp-followups', 'aria-labelledby': 'cp-fu-h' },
    h('h2', { id: 'cp-fu-h' }, t('cp.followups')),
    h('ul', { class: 'items' }, list.map((f) => h('li', { dataset: { followup: f.id } },
      h('div', { class: 'cp-line' },
        h('span', { class: 'item-title' }, tEnum('cp.fu_kind', f.kind)),
        badge(f.status === 'done' ? 'badge-ok' : 'badge-warn', tEnum('cp.fu_status', f.status))),
      h('p', { class: 'small' }, t('cp.assignee'), ': ', f.assignee ? f.assignee.name : t('cp.nobody'),
        f.status === 'open' && f.due_at ? [' · ', t('cp.due'), ' ', when(f.due_at)] : null),
      f.status === 'done' ? h('p', { class: 'small' },
        [tEnum('cp.outcome', f.outcome), f.satisfaction ? tEnum('satisfaction', f.satisfaction) : '',
          f.score ? t('cp.score_n', { n: f.score }) : ''].filter(Boolean).join(' · '),
        ' · ', when(f.done_at)) : null,
      f.comment ? h('p', { class: 'pre small' }, f.comment) : null,
      act.followupButton(f)))));
}

// ---- customer history ----

export function historyCard(ctx) {
  const list = ctx.c.history || [];
  return h('section', { class: 'card cp-history', 'aria-labelledby': 'cp-hist-h' },
    h('h2', { id: 'cp-hist-h' }, t('cp.history')),
    list.length === 0 ? h('p', { class: 'muted' }, t('cp.no_history')) :
      h('ul', { class: 'items' }, list.map((x) => h('li', null,
        h('div', { class: 'cp-line' },
          h('a', { href: link(`/complaints/${encodeURIComponent(x.number)}`), class: 'nowrap' }, x.number),
          statusBadge(x.status),
          x.grade ? h('span', { class: ['badge', 'grade', `grade-${x.grade}`] }, x.grade) : null),
        h('div', { class: 'cp-hist-subject' }, x.subject),
        h('div', { class: 'muted small' }, when(x.received_at),
          x.satisfaction ? ` · ${tEnum('satisfaction', x.satisfaction)}` : '',
          x.compensation && Number(x.compensation) > 0 ? ` · ${t('cp.compensated', { amount: money(x.compensation) })}` : '')))));
}

// The sum of compensations agreed with this customer before, for the
// compensation form (DOMAIN §8: the history is shown when proposing).
export function historySummary(ctx) {
  const list = ctx.c.history || [];
  const sum = list.reduce((s, x) => s + (Number(x.compensation) || 0), 0);
  return t('cp.history_summary', { n: list.length, amount: money(sum) });
}
