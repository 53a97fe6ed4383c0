// The home view (工作台): what the signed-in user has to do now, by what
// their roles let them do — the complaints assigned to them and their
// clocks, follow-up calls due, complaints waiting for dispatch or for
// acceptance, unread notifications and open supervision notices. Each part
// loads on its own, in a space kept for it, so nothing waits for the
// slowest and nothing jumps.
import { h, mount, toast } from '../dom.js';
import { t, tEnum, nameOf } from '../i18n.js';
import { get, post, withQuery, enc } from '../api.js';
import { dateTime, relative, toMs } from '../fmt.js';
import { link } from '../router.js';
import { statusBadge, gradeBadge, skel, isOpen, OPEN_STATUSES } from './work-common.js';

export const strings = {
  zh: {
    'work.grade': '{g} 级',
    'home.title': '工作台',
    'home.hello': '{name}，您好',
    'home.new': '登记投诉',
    'home.list': '投诉列表',
    'home.stats': '概览',
    'home.stat_mine': '我的待办',
    'home.stat_overdue': '已超时',
    'home.stat_due_soon': '即将到期',
    'home.stat_followups': '待回访',
    'home.stat_dispatch': '待派单',
    'home.stat_accept': '待受理',
    'home.stat_open': '未办结投诉',
    'home.stat_unread': '未读通知',
    'home.stat_notices': '待确认督办',
    'home.stat_returned': '退单待重派',
    'home.mine': '我的待办投诉',
    'home.mine_none': '目前没有派给您的待办投诉。',
    'home.due': '超时与即将到期',
    'home.due_none': '没有超时或即将到期的投诉。',
    'home.followups': '待回访',
    'home.followups_none': '没有待回访的任务。',
    'home.followup_due': '{time}前回访',
    'home.dispatch': '待派单（含退单）',
    'home.dispatch_none': '没有等待派单的投诉。',
    'home.returned': '退单待重派',
    'home.returned_none': '没有被退回的派单。',
    'home.returned_badge': '退单',
    'home.accept': '待受理（网站、邮件）',
    'home.accept_none': '没有等待受理的投诉。',
    'home.see_all': '查看全部',
    'home.notifications': '未读通知',
    'home.notifications_none': '没有未读通知。',
    'home.mark_read': '标为已读',
    'home.mark_read_named': '将“{title}”标为已读',
    'home.read_all': '全部标为已读',
    'home.read_all_done': '已将 {n} 条通知标为已读',
    'home.notices': '督办通知',
    'home.notices_none': '没有待确认的督办。',
    'home.notice_level': '第 {n} 级',
    'home.notice_due': '请在 {time} 前确认',
    'home.ack_note': '确认说明（可选）',
    'home.ack': '确认收到',
    'home.acked': '已确认督办',
    'home.clock_due': '{clock}：{state}，{time}到期',
    'home.waiting_since': '受理于 {time}',
    'home.sample': '抽样回访',
  },
  en: {
    'work.grade': 'Grade {g}',
    'home.title': 'Home',
    'home.hello': 'Hello, {name}',
    'home.new': 'New complaint',
    'home.list': 'Complaints',
    'home.stats': 'Overview',
    'home.stat_mine': 'Assigned to me',
    'home.stat_overdue': 'Overdue',
    'home.stat_due_soon': 'Due soon',
    'home.stat_followups': 'Follow-up calls',
    'home.stat_dispatch': 'To dispatch',
    'home.stat_accept': 'To accept',
    'home.stat_open': 'Not done',
    'home.stat_unread': 'Unread notifications',
    'home.stat_notices': 'Notices to acknowledge',
    'home.stat_returned': 'Returned, to re-dispatch',
    'home.mine': 'Complaints assigned to me',
    'home.mine_none': 'Nothing is assigned to you right now.',
    'home.due': 'Overdue and due soon',
    'home.due_none': 'Nothing is overdue or due soon.',
    'home.followups': 'Follow-up calls due',
    'home.followups_none': 'No follow-up calls to make.',
    'home.followup_due': 'call by {time}',
    'home.dispatch': 'Waiting for dispatch (incl. returned)',
    'home.dispatch_none': 'Nothing waits for dispatch.',
    'home.returned': 'Returned dispatches',
    'home.returned_none': 'No dispatch has been returned.',
    'home.returned_badge': 'Returned',
    'home.accept': 'To accept (web, e-mail)',
    'home.accept_none': 'Nothing waits to be accepted.',
    'home.see_all': 'See all',
    'home.notifications': 'Unread notifications',
    'home.notifications_none': 'No unread notifications.',
    'home.mark_read': 'Mark read',
    'home.mark_read_named': 'Mark "{title}" read',
    'home.read_all': 'Mark all read',
    'home.read_all_done': '{n} notifications marked read',
    'home.notices': 'Supervision notices',
    'home.notices_none': 'No notices to acknowledge.',
    'home.notice_level': 'level {n}',
    'home.notice_due': 'acknowledge by {time}',
    'home.ack_note': 'Note (optional)',
    'home.ack': 'Acknowledge',
    'home.acked': 'Notice acknowledged',
    'home.clock_due': '{clock}: {state}, due {time}',
    'home.waiting_since': 'received {time}',
    'home.sample': 'Sample call',
  },
};

export const routes = [
  { path: '/', render: renderHome, nav: { key: 'nav.home', order: 10 } },
];

// Notifications that point at a complaint the reader has to act on (only
// for a server without the list's handler and clock filters).
const ACT_KINDS = ['assigned', 'reminder', 'overdue', 'escalated', 'notice'];
const MAX_WATCHED = 12; // complaints shown in "mine" and "due"
const COUNT_LIMIT = 100;
const SHOWN = 6;
// The list filters a server older than this page may not know: it answers
// 400 naming the parameter, and the page falls back to what it had.
const NEW_FILTERS = ['handler', 'clock', 'returned', 'grade'];
const oldServer = (err) => err?.status === 400 && err.reason === 'unknown_parameter' && NEW_FILTERS.includes(err.field);

async function renderHome(main, params, query, session) {
  const me = session.user.login;
  const can = (p) => session.can(p);
  const handles = can('complaint.handle');
  const triages = can('complaint.triage');
  const follows = can('followup');
  const reads = can('complaint.read');
  const accepts = can('complaint.create') && (triages || session.hasRole('operator', 'centre'));
  // Supervisors, managers and the centre watch every clock of their
  // projects; a handler watches the clocks of what is assigned to them.
  const broad = triages || session.hasRole('supervisor', 'manager', 'centre', 'executive');
  const watchesClocks = handles || broad || follows;
  const clockScope = broad || !handles ? {} : { handler: 'me' };
  const mineQuery = { handler: 'me', status: OPEN_STATUSES.join(','), sort: 'received_at' };
  const overdueQuery = { ...clockScope, clock: 'overdue' };
  const soonQuery = { ...clockScope, clock: 'due_soon' };
  const returnedQuery = { returned: '1', sort: 'received_at' };

  // ---- the layout first, with the space each part will need ----
  const stats = h('div', { class: 'grid grid-4 home-stats' });
  const statCards = {};
  const addStat = (key, label, href, target) => {
    const n = h('span', { class: 'n' }, skel(2));
    const attrs = { class: ['card', 'stat', `stat-${key}`], dataset: { stat: key } };
    const card = href
      ? h('a', { ...attrs, href }, n, h('span', { class: 'label' }, label))
      : h('button', { ...attrs, type: 'button', onclick: () => focusSection(target) }, n, h('span', { class: 'label' }, label));
    stats.append(card);
    statCards[key] = { card, n, target };
  };
  // Without the list filters on the server a count cannot link to its list:
  // the card then leads to the part of this page that shows it.
  const unlinkStat = (key, target) => {
    const s = statCards[key];
    if (!s || s.card.tagName !== 'A') return;
    const button = h('button', { type: 'button', class: [...s.card.classList], dataset: { stat: key }, onclick: () => focusSection(target) },
      ...s.card.childNodes);
    s.card.replaceWith(button);
    s.card = button;
  };
  const hideStat = (key) => { if (statCards[key]) statCards[key].card.hidden = true; };
  const setStat = (key, value, warn) => {
    const s = statCards[key];
    if (!s) return;
    s.n.textContent = String(value);
    s.card.classList.toggle('stat-alert', Boolean(warn));
  };

  const sections = {};
  const addSection = (key, title, extra) => {
    const body = h('div', { class: 'section-body' }, placeholder());
    const head = h('h2', { id: `home-${key}-h`, tabindex: '-1' }, title);
    const el = h('section', { class: ['card', 'home-section', `home-${key}`], 'aria-labelledby': `home-${key}-h`, dataset: { section: key } },
      h('div', { class: 'section-head' }, head, extra || null), body);
    sections[key] = { el, body, head };
    return el;
  };

  if (handles) addStat('mine', t('home.stat_mine'), listHref(mineQuery), 'mine');
  if (watchesClocks) {
    addStat('overdue', t('home.stat_overdue'), listHref(overdueQuery), 'due');
    addStat('due_soon', t('home.stat_due_soon'), listHref(soonQuery), 'due');
  }
  if (follows) addStat('followups', t('home.stat_followups'), null, 'followups');
  if (triages) addStat('dispatch', t('home.stat_dispatch'), listHref({ status: 'registered', sort: 'received_at' }));
  if (triages) addStat('returned', t('home.stat_returned'), listHref(returnedQuery), 'returned');
  if (accepts) addStat('accept', t('home.stat_accept'), listHref({ status: 'received', sort: 'received_at' }));
  if (reads) addStat('open', t('home.stat_open'), listHref({ status: OPEN_STATUSES.join(',') }));
  addStat('unread', t('home.stat_unread'), null, 'notifications');
  addStat('notices', t('home.stat_notices'), null, 'notices');

  const readAll = h('button', { type: 'button', class: 'small', hidden: true }, t('home.read_all'));
  const seeAll = (q) => h('a', { class: 'small see-all', href: listHref(q) }, t('home.see_all'));
  const column = [
    handles ? addSection('mine', t('home.mine'), seeAll(mineQuery)) : null,
    watchesClocks ? addSection('due', t('home.due'), seeAll({ ...clockScope, clock: 'overdue,due_soon' })) : null,
    triages ? addSection('returned', t('home.returned'), seeAll(returnedQuery)) : null,
    triages ? addSection('dispatch', t('home.dispatch'),
      h('a', { class: 'small', href: listHref({ status: 'registered', sort: 'received_at' }) }, t('home.see_all'))) : null,
    accepts ? addSection('accept', t('home.accept'),
      h('a', { class: 'small', href: listHref({ status: 'received', sort: 'received_at' }) }, t('home.see_all'))) : null,
    follows ? addSection('followups', t('home.followups')) : null,
    addSection('notifications', t('home.notifications'), readAll),
    addSection('notices', t('home.notices')),
  ].filter(Boolean);

  function focusSection(key) {
    const s = sections[key];
    if (!s) return;
    s.el.scrollIntoView({ block: 'start', behavior: 'smooth' });
    s.head.focus({ preventScroll: true });
  }

  mount(main, h('section', { class: 'page home' },
    h('div', { class: 'page-head' },
      h('h1', null, t('home.title')),
      h('span', { class: 'muted' }, t('home.hello', { name: session.user.name }), ' · ',
        (session.user.roles || []).map((r) => `${tEnum('role', r.role)}${r.project ? ` ${r.project}` : ''}`).join('、')),
      h('div', { class: 'actions' },
        can('complaint.create') ? h('a', { class: 'button primary', href: link('/intake') }, t('home.new')) : null,
        reads ? h('a', { class: 'button', href: link('/complaints') }, t('home.list')) : null)),
    h('h2', { class: 'work-sr' }, t('home.stats')),
    stats,
    h('div', { class: 'grid grid-2 home-sections' }, column)));

  // ---- then every part loads on its own ----
  const jobs = [];
  const guard = (key, p) => jobs.push(p.catch((err) => {
    if (err?.status === 401) return;
    if (sections[key]) mount(sections[key].body, h('p', { class: 'form-error', role: 'alert' }, err?.message || t('error.generic')));
  }));

  // notifications: the unread ones to show, and the complaints they name
  const inbox = get(withQuery('/api/notifications', { limit: 100 }));
  guard('notifications', inbox.then((box) => showNotifications(box)));

  // what is assigned to me, what is overdue or due soon, what came back:
  // each a filtered list; a server without those filters gets the old way
  const list = (q) => get(withQuery('/api/complaints', { limit: COUNT_LIMIT, ...q }));
  const fallback = () => {
    for (const key of ['mine', 'overdue', 'due_soon']) unlinkStat(key, key === 'mine' ? 'mine' : 'due');
    hideStat('returned');
    if (sections.returned) sections.returned.el.hidden = true;
    for (const a of document.querySelectorAll('.home-mine .see-all, .home-due .see-all')) a.hidden = true;
  };
  const clockLists = watchesClocks ? Promise.all([list(overdueQuery), list(soonQuery)]) : Promise.resolve(null);
  const mineList = handles ? list(mineQuery) : Promise.resolve(null);
  const filtered = Promise.all([mineList, clockLists]).then(([mine, clocks]) => ({ mine, clocks }), (err) => {
    if (oldServer(err)) return null;
    throw err;
  });
  if (handles || watchesClocks) {
    const part = handles ? 'mine' : 'due';
    guard(part, filtered.then(async (got) => {
      if (got) { showFiltered(got); return; }
      fallback();
      const box = await inbox;
      const numbers = [...new Set(box.items.filter((n) => n.complaint && ACT_KINDS.includes(n.kind)).map((n) => n.complaint))]
        .slice(0, MAX_WATCHED);
      const loaded = (await Promise.all(numbers.map((n) => get(`/api/complaints/${enc(n)}`).catch(() => null)))).filter(Boolean);
      showWatched(loaded);
    }).catch((err) => {
      if (handles && watchesClocks && sections.due) mount(sections.due.body, h('p', { class: 'form-error', role: 'alert' }, err?.message || t('error.generic')));
      throw err;
    }));
  }
  const returned = triages
    ? list(returnedQuery).catch((err) => { if (oldServer(err)) return null; throw err; })
    : Promise.resolve(null);
  if (triages) {
    guard('returned', returned.then((page) => {
      if (!page) return;
      setStat('returned', countText(page), page.items.length > 0);
      showWaiting('returned', page.items, 'home.returned_none');
    }));
  }
  if (follows) {
    guard('followups', get(withQuery('/api/followups', { status: 'open', assignee: 'me', limit: COUNT_LIMIT }))
      .then(({ items }) => showFollowups(items || [])));
  }
  if (triages) {
    guard('dispatch', Promise.all([list({ status: 'registered', sort: 'received_at' }), returned.catch(() => null)])
      .then(([page, back]) => {
        const wasReturned = new Set((back?.items || []).map((c) => c.number));
        setStat('dispatch', countText(page));
        showWaiting('dispatch', page.items, 'home.dispatch_none', wasReturned);
      }));
  }
  if (accepts) {
    guard('accept', get(withQuery('/api/complaints', { status: 'received', sort: 'received_at', limit: COUNT_LIMIT }))
      .then((page) => { setStat('accept', countText(page)); showWaiting('accept', page.items, 'home.accept_none'); }));
  }
  if (reads) {
    jobs.push(get(withQuery('/api/complaints', { status: OPEN_STATUSES.join(','), limit: COUNT_LIMIT }))
      .then((page) => setStat('open', countText(page))).catch(() => setStat('open', '–')));
  }
  guard('notices', get(withQuery('/api/notices', { open: 1, limit: 50 })).then(({ items }) => showNotices(items || [])));

  await Promise.all(jobs);

  // ---- the parts ----
  // From the filtered lists: a summary has no clocks, so the badge says in
  // which list a complaint is (overdue wins).
  function showFiltered({ mine, clocks }) {
    const state = new Map();
    if (clocks) {
      for (const c of clocks[1].items) state.set(c.number, 'due_soon');
      for (const c of clocks[0].items) state.set(c.number, 'overdue');
    }
    const item = (c) => complaintItem(c, state.get(c.number));
    if (mine) {
      setStat('mine', countText(mine));
      // the late ones first, then the oldest
      const rank = (c) => ({ overdue: 0, due_soon: 1 }[state.get(c.number)] ?? 2);
      fill('mine', [...mine.items].sort((a, b) => rank(a) - rank(b)), item, 'home.mine_none');
    }
    if (clocks) {
      const [overdue, soon] = clocks;
      setStat('overdue', countText(overdue), overdue.items.length > 0);
      setStat('due_soon', countText(soon), false);
      const seen = new Set(overdue.items.map((c) => c.number));
      fill('due', [...overdue.items, ...soon.items.filter((c) => !seen.has(c.number))], item, 'home.due_none');
    }
  }

  function showWatched(list) {
    const open = list.filter((c) => isOpen(c.status) || c.status === 'closed');
    if (handles) {
      const mine = open.filter((c) => c.handler?.login === me && isOpen(c.status));
      mine.sort((a, b) => nextDue(a) - nextDue(b));
      setStat('mine', mine.length);
      fill('mine', mine, complaintItem, 'home.mine_none');
    }
    const overdue = open.filter((c) => clocksIn(c, 'overdue').length);
    const soon = open.filter((c) => !overdue.includes(c) && clocksIn(c, 'due_soon').length);
    setStat('overdue', overdue.length, overdue.length > 0);
    setStat('due_soon', soon.length, false);
    fill('due', [...overdue, ...soon.sort((a, b) => nextDue(a) - nextDue(b))], complaintItem, 'home.due_none');
  }

  function showFollowups(items) {
    setStat('followups', items.length >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : items.length, items.some(late));
    fill('followups', items, (f) => h('li', null,
      h('div', { class: 'item-head' },
        h('a', { href: link(`/complaints/${f.number}`) }, f.number),
        f.kind === 'sample' ? h('span', { class: 'badge' }, t('home.sample')) : null,
        h('span', { class: ['badge', late(f) ? 'badge-bad' : 'badge-info'] },
          t('home.followup_due', { time: relative(f.due_at) }))),
      h('div', { class: 'item-title' }, f.subject || ''),
      h('div', { class: 'muted small' }, [f.project, dateTime(f.due_at)].filter(Boolean).join(' · '))), 'home.followups_none');
  }

  function showWaiting(key, items, none, wasReturned) {
    fill(key, items, (c) => h('li', null,
      h('div', { class: 'item-head' },
        h('a', { href: link(`/complaints/${c.number}`) }, c.number), statusBadge(c.status), gradeBadge(c.grade),
        key === 'returned' || wasReturned?.has(c.number) ? h('span', { class: 'badge badge-warn' }, t('home.returned_badge')) : null),
      h('div', { class: 'item-title' }, c.subject),
      h('div', { class: 'muted small' }, [c.project?.name, c.category ? nameOf(c.category) : null,
        t('home.waiting_since', { time: relative(c.received_at) })].filter(Boolean).join(' · '))), none);
  }

  function showNotifications(box) {
    const unread = box.items.filter((n) => !n.read);
    setStat('unread', box.unread ?? unread.length, false);
    readAll.hidden = unread.length === 0;
    readAll.onclick = async () => {
      readAll.disabled = true;
      try {
        const r = await post('/api/notifications/read-all');
        toast(t('home.read_all_done', { n: r.marked }), 'ok');
        setStat('unread', 0);
        readAll.hidden = true;
        mount(sections.notifications.body, h('p', { class: 'muted' }, t('home.notifications_none')));
        document.dispatchEvent(new Event('kesu:unread'));
      } catch (err) {
        toast(err.message, 'error');
      } finally { readAll.disabled = false; }
    };
    const list = h('ul', { class: 'items notifications' });
    const markRead = async (n, li) => {
      try {
        await post(`/api/notifications/${enc(n.id)}/read`);
        li.remove();
        const left = list.children.length;
        setStat('unread', Math.max(0, Number(statCards.unread.n.textContent) - 1));
        if (!left) { mount(sections.notifications.body, h('p', { class: 'muted' }, t('home.notifications_none'))); readAll.hidden = true; }
        document.dispatchEvent(new Event('kesu:unread'));
      } catch (err) { toast(err.message, 'error'); }
    };
    for (const n of unread.slice(0, SHOWN)) {
      const li = h('li', { class: `note-${n.kind}`, dataset: { id: n.id } });
      const markButton = h('button', { type: 'button', class: 'small', 'aria-label': t('home.mark_read_named', { title: n.title }),
        onclick: () => { markButton.disabled = true; markRead(n, li); } }, t('home.mark_read'));
      mount(li,
        h('div', { class: 'item-head' },
          n.complaint
            ? h('a', { class: 'item-title', href: link(`/complaints/${n.complaint}`), onclick: () => { post(`/api/notifications/${enc(n.id)}/read`).then(() => document.dispatchEvent(new Event('kesu:unread'))).catch(() => {}); } }, n.title)
            : h('span', { class: 'item-title' }, n.title),
          markButton),
        n.body ? h('div', { class: 'pre small' }, n.body) : null,
        h('div', { class: 'muted small' }, h('time', { datetime: n.created_at, title: dateTime(n.created_at) }, relative(n.created_at))));
      list.append(li);
    }
    mount(sections.notifications.body, unread.length ? list : h('p', { class: 'muted' }, t('home.notifications_none')));
  }

  function showNotices(items) {
    setStat('notices', items.length, items.length > 0);
    fill('notices', items, (n) => {
      const li = h('li', { class: 'notice', dataset: { id: n.id } });
      const note = h('input', { type: 'text', name: 'note', maxlength: 2000, 'aria-label': t('home.ack_note'), placeholder: t('home.ack_note') });
      const form = h('form', { class: 'ack-form', novalidate: true },
        note, h('button', { type: 'submit', class: 'small primary' }, t('home.ack')));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const button = form.querySelector('button');
        button.disabled = true;
        try {
          await post(`/api/notices/${enc(n.id)}/ack`, note.value.trim() ? { note: note.value.trim() } : {});
          li.remove();
          toast(t('home.acked'), 'ok');
          setStat('notices', Math.max(0, Number(statCards.notices.n.textContent) - 1));
          if (!sections.notices.body.querySelector('li')) mount(sections.notices.body, h('p', { class: 'muted' }, t('home.notices_none')));
          document.dispatchEvent(new Event('kesu:unread'));
        } catch (err) {
          toast(err.message, 'error');
          button.disabled = false;
        }
      });
      return mount(li,
        h('div', { class: 'item-head' },
          n.number ? h('a', { href: link(`/complaints/${n.number}`) }, n.number) : null,
          n.level ? h('span', { class: 'badge badge-warn' }, t('home.notice_level', { n: n.level })) : null,
          n.ack_due_at ? h('span', { class: ['badge', toMs(n.ack_due_at) < Date.now() ? 'badge-bad' : 'badge-info'] },
            t('home.notice_due', { time: relative(n.ack_due_at) })) : null),
        h('div', { class: 'pre' }, n.text || ''),
        h('div', { class: 'muted small' }, [n.project, dateTime(n.issued_at)].filter(Boolean).join(' · ')),
        form);
    }, 'home.notices_none');
  }

  function fill(key, items, render, none) {
    const s = sections[key];
    if (!s) return;
    mount(s.body, items.length ? h('ul', { class: 'items' }, items.slice(0, { notices: 50, mine: MAX_WATCHED, due: MAX_WATCHED }[key] || SHOWN).map(render))
      : h('p', { class: 'muted' }, t(none)));
  }
}

// A complaint in "mine" or "due": a full view names its most urgent clock;
// a list summary has no clocks, so `state` says which clock list it is in.
function complaintItem(c, state) {
  const urgent = [...clocksIn(c, 'overdue'), ...clocksIn(c, 'due_soon'), ...clocksIn(c, 'running')]
    .sort((a, b) => toMs(a.due_at) - toMs(b.due_at))[0];
  return h('li', { dataset: urgent?.state || state ? { number: c.number, clock: urgent?.state || state } : { number: c.number } },
    h('div', { class: 'item-head' },
      h('a', { href: link(`/complaints/${c.number}`) }, c.number), statusBadge(c.status), gradeBadge(c.grade),
      urgent ? h('span', { class: ['badge', `clock-${urgent.state}`] },
        t('home.clock_due', { clock: tEnum('clock', urgent.clock), state: tEnum('clock_state', urgent.state), time: relative(urgent.due_at) }))
        : state ? h('span', { class: ['badge', `clock-${state}`] }, tEnum('clock_state', state)) : null),
    h('div', { class: 'item-title' }, c.subject),
    h('div', { class: 'muted small' }, [c.project?.name, c.building, c.category ? nameOf(c.category) : null,
      c.handler ? c.handler.name : null].filter(Boolean).join(' · ')));
}

const clocksIn = (c, state) => (c.clocks || []).filter((k) => k.state === state && k.due_at);
const nextDue = (c) => Math.min(...(c.clocks || []).filter((k) => ['running', 'due_soon', 'overdue'].includes(k.state) && k.due_at)
  .map((k) => toMs(k.due_at)), Infinity);
const late = (f) => f.due_at && toMs(f.due_at) < Date.now();
const countText = (page) => (page.next_cursor ? `${COUNT_LIMIT}+` : String(page.items.length));
const listHref = (q) => link(`/complaints?${new URLSearchParams(q).toString()}`);

// A few grey lines where a list will come.
const placeholder = () => h('ul', { class: 'items placeholder', 'aria-hidden': 'true' },
  [14, 10, 12].map((w) => h('li', null, skel(w), h('br'), skel(w * 0.6))));
