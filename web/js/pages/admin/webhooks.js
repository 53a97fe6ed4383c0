// Webhooks (receivers of events, with a signing secret shown once) and the
// deliveries: the outbox with its dead letters, which can be sent again
// (config.admin).
import { h, mount } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, post, patch, enc, withQuery } from '../../api.js';
import { field } from '../../form.js';
import { dateTime } from '../../fmt.js';
import {
  areaRoute, listEdit, badge, code, changed, NothingChanged, confirmButton, actionButton, secretCallout, table, loading,
} from './kit.js';

export const strings = {
  zh: {
    'admin.wh.intro': 'Webhook 把事件推送给其他系统（如短信网关）。每个请求带签名，接收方用签名密钥核验。Webhook 只能停用，不能删除。',
    'admin.wh.add': '新增 Webhook',
    'admin.wh.name': '名称',
    'admin.wh.url': '接收地址（URL）',
    'admin.wh.url_hint': 'http:// 或 https:// 开头的完整地址',
    'admin.wh.events': '事件',
    'admin.wh.events_hint': '用逗号分隔，如 customer.message, complaint.*；留空则为全部（*）。',
    'admin.wh.status': '状态',
    'admin.wh.active': '启用',
    'admin.wh.inactive': '已停用',
    'admin.wh.created_at': '创建时间',
    'admin.wh.rotate': '更换密钥',
    'admin.wh.rotate_confirm': '确认更换（旧密钥立即失效）',
    'admin.wh.deactivate': '停用',
    'admin.wh.deactivate_confirm': '确认停用',
    'admin.wh.activate': '启用',
    'admin.wh.secret_new': 'Webhook“{name}”已添加。签名密钥：',
    'admin.wh.secret_rotated': 'Webhook“{name}”的新签名密钥（旧密钥已失效）：',
    'admin.wh.secret_label': '签名密钥',
    'admin.wh.deactivated': '已停用：不再向它发送，待发送的事件等它重新启用',
    'admin.wh.activated': '已启用',
    'admin.wh.deliveries_link': '查看投递记录和失败的投递',
    'admin.dl.intro': '发送给 Webhook 和电子邮件的每一次投递。多次失败后进入“失败”（死信），可在修复接收方后重新投递。',
    'admin.dl.status': '状态',
    'admin.dl.channel': '渠道',
    'admin.dl.s.pending': '待发送',
    'admin.dl.s.delivered': '已送达',
    'admin.dl.s.dead': '失败（死信）',
    'admin.dl.c.webhook': 'Webhook',
    'admin.dl.c.email': '电子邮件',
    'admin.dl.id': '编号',
    'admin.dl.event': '事件',
    'admin.dl.to': '接收方',
    'admin.dl.complaint': '投诉',
    'admin.dl.attempts': '尝试',
    'admin.dl.attempts_n': '{n} 次',
    'admin.dl.replays_n': '重投 {n} 次',
    'admin.dl.last_error': '最后的错误',
    'admin.dl.created_at': '时间',
    'admin.dl.replay': '重新投递',
    'admin.dl.replayed': '已重新排队投递',
    'admin.dl.details': '详情',
    'admin.dl.details_title': '投递 {id}',
    'admin.dl.payload': '内容',
    'admin.dl.personal': '含客户联系方式，内容不显示。',
    'admin.dl.attempt_log': '尝试记录',
    'admin.dl.at': '时间',
    'admin.dl.duration': '耗时',
    'admin.dl.result': '结果',
    'admin.dl.ok': '成功',
    'admin.dl.failed': '失败',
    'admin.dl.next_at': '下次尝试：{at}',
    'admin.dl.filter': '筛选',
  },
  en: {
    'admin.wh.intro': 'Webhooks push events to other systems (an SMS gateway, say). Every request is signed; the receiver checks it with the signing secret. Webhooks are switched off, never deleted.',
    'admin.wh.add': 'New webhook',
    'admin.wh.name': 'Name',
    'admin.wh.url': 'Receiver URL',
    'admin.wh.url_hint': 'A full address starting with http:// or https://',
    'admin.wh.events': 'Events',
    'admin.wh.events_hint': 'Separated by commas, e.g. customer.message, complaint.*; empty for everything (*).',
    'admin.wh.status': 'Status',
    'admin.wh.active': 'Active',
    'admin.wh.inactive': 'Switched off',
    'admin.wh.created_at': 'Created',
    'admin.wh.rotate': 'New secret',
    'admin.wh.rotate_confirm': 'Confirm (the old secret stops at once)',
    'admin.wh.deactivate': 'Switch off',
    'admin.wh.deactivate_confirm': 'Confirm switch off',
    'admin.wh.activate': 'Switch on',
    'admin.wh.secret_new': 'Webhook "{name}" added. Signing secret:',
    'admin.wh.secret_rotated': 'New signing secret of webhook "{name}" (the old one stopped):',
    'admin.wh.secret_label': 'Signing secret',
    'admin.wh.deactivated': 'Switched off: nothing is sent to it; pending events wait until it is on again',
    'admin.wh.activated': 'Switched on',
    'admin.wh.deliveries_link': 'See deliveries and failed deliveries',
    'admin.dl.intro': 'Every delivery to webhooks and by e-mail. After repeated failures one is "dead" (a dead letter); once the receiver is fixed it can be sent again.',
    'admin.dl.status': 'Status',
    'admin.dl.channel': 'Channel',
    'admin.dl.s.pending': 'Pending',
    'admin.dl.s.delivered': 'Delivered',
    'admin.dl.s.dead': 'Dead',
    'admin.dl.c.webhook': 'Webhook',
    'admin.dl.c.email': 'E-mail',
    'admin.dl.id': 'No.',
    'admin.dl.event': 'Event',
    'admin.dl.to': 'To',
    'admin.dl.complaint': 'Complaint',
    'admin.dl.attempts': 'Tries',
    'admin.dl.attempts_n': '{n}',
    'admin.dl.replays_n': 'replayed {n}×',
    'admin.dl.last_error': 'Last error',
    'admin.dl.created_at': 'Time',
    'admin.dl.replay': 'Send again',
    'admin.dl.replayed': 'Queued to be sent again',
    'admin.dl.details': 'Details',
    'admin.dl.details_title': 'Delivery {id}',
    'admin.dl.payload': 'Payload',
    'admin.dl.personal': 'Carries a customer\'s contact details; the payload is not shown.',
    'admin.dl.attempt_log': 'Tries',
    'admin.dl.at': 'At',
    'admin.dl.duration': 'Took',
    'admin.dl.result': 'Result',
    'admin.dl.ok': 'OK',
    'admin.dl.failed': 'Failed',
    'admin.dl.next_at': 'Next try: {at}',
    'admin.dl.filter': 'Filter',
  },
};

const parseEvents = (s) => String(s || '').split(/[\s,，]+/).filter(Boolean);

async function fillWebhooks(body) {
  const ctx = listEdit(body, {
    intro: [h('p', { class: 'muted' }, t('admin.wh.intro')),
      h('p', null, h('a', { href: '#/admin/deliveries' }, t('admin.wh.deliveries_link')))],
    load: async () => (await get('/api/webhooks')).items || [],
    key: (w) => w.id,
    label: (w) => w.name,
    rowClass: (w) => (w.active ? null : 'retired-row'),
    columns: [
      { label: t('admin.wh.name'), cell: (w) => h('strong', null, w.name) },
      { label: t('admin.wh.url'), class: 'url-cell', cell: (w) => code(w.url) },
      { label: t('admin.wh.events'), cell: (w) => h('div', { class: 'badges' }, (w.events || []).map((e) => badge(e))) },
      { label: t('admin.wh.status'), cell: (w) => (w.active ? badge(t('admin.wh.active'), 'ok') : badge(t('admin.wh.inactive'), 'warn')) },
      { label: t('admin.wh.created_at'), cell: (w) => h('span', { class: 'nowrap small' }, dateTime(w.created_at)) },
    ],
    add: {
      label: t('admin.wh.add'),
      fields: () => [
        { name: 'name', label: t('admin.wh.name'), required: true, attrs: { maxlength: 64, autocomplete: 'off' } },
        { name: 'url', label: t('admin.wh.url'), type: 'url', required: true, hint: t('admin.wh.url_hint'), attrs: { maxlength: 2000, autocomplete: 'off', spellcheck: 'false' } },
        { name: 'events', label: t('admin.wh.events'), hint: t('admin.wh.events_hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } },
      ],
      save: (v) => {
        const b = { name: v.name, url: v.url };
        const ev = parseEvents(v.events);
        if (ev.length) b.events = ev;
        return post('/api/webhooks', b);
      },
      after: (w, c) => {
        c.notice(secretCallout(t('admin.wh.secret_new', { name: w.name }), w.secret, t('admin.wh.secret_label')));
        c.focusRow(w.id);
      },
    },
    edit: {
      fields: (w) => [
        { name: 'url', label: t('admin.wh.url'), type: 'url', required: true, value: w.url, hint: t('admin.wh.url_hint'), attrs: { maxlength: 2000, spellcheck: 'false' } },
        { name: 'events', label: t('admin.wh.events'), value: (w.events || []).join(', '), hint: t('admin.wh.events_hint'), attrs: { spellcheck: 'false' } },
      ],
      save: (v, w) => {
        const now = { url: v.url, events: parseEvents(v.events).length ? parseEvents(v.events) : ['*'] };
        const diff = changed(now, w, ['url', 'events']);
        if (!Object.keys(diff).length) throw new NothingChanged();
        return patch(`/api/webhooks/${enc(w.id)}`, diff);
      },
    },
    actions: (w, c) => [
      confirmButton(t('admin.wh.rotate'), t('admin.wh.rotate_confirm'), async () => {
        const r = await patch(`/api/webhooks/${enc(w.id)}`, { rotate_secret: true });
        await c.refresh();
        c.notice(secretCallout(t('admin.wh.secret_rotated', { name: r.name }), r.secret, t('admin.wh.secret_label')));
      }, { target: w.name }),
      w.active
        ? confirmButton(t('admin.wh.deactivate'), t('admin.wh.deactivate_confirm'), async () => {
          await patch(`/api/webhooks/${enc(w.id)}`, { active: false });
          await c.refresh(); c.focusRow(w.id);
          c.notice(h('p', { class: 'callout' }, t('admin.wh.deactivated')));
        }, { target: w.name })
        : actionButton(t('admin.wh.activate'), async () => {
          await patch(`/api/webhooks/${enc(w.id)}`, { active: true });
          await c.refresh(); c.focusRow(w.id);
          c.notice(h('p', { class: 'callout' }, t('admin.wh.activated')));
        }, { 'aria-label': `${t('admin.wh.activate')} ${w.name}` }),
    ],
  });
  await ctx.ready;
}

const LIMIT = 50;

async function fillDeliveries(body, { query }) {
  const qs = query.get('status');
  const status = qs === 'all' ? '' : ['pending', 'delivered', 'dead'].includes(qs) ? qs : 'dead';
  const channel = ['webhook', 'email'].includes(query.get('channel')) ? query.get('channel') : '';
  let items = [];
  let nextBefore = null;
  const filters = h('form', { class: 'toolbar', 'aria-label': t('admin.dl.filter') },
    field({ name: 'status', label: t('admin.dl.status'), type: 'select', value: status,
      options: [['', t('common.all')], ['dead', t('admin.dl.s.dead')], ['pending', t('admin.dl.s.pending')], ['delivered', t('admin.dl.s.delivered')]] }),
    field({ name: 'channel', label: t('admin.dl.channel'), type: 'select', value: channel,
      options: [['', t('common.all')], ['webhook', t('admin.dl.c.webhook')], ['email', t('admin.dl.c.email')]] }));
  const listBox = h('div', { class: 'admin-list' }, loading());
  const more = h('div', { class: 'pager' });
  const notice = h('div', { 'aria-live': 'polite' });
  mount(body, h('p', { class: 'muted' }, t('admin.dl.intro')), filters, notice, listBox, more);
  filters.addEventListener('change', () => {
    const s = filters.elements.status.value; const c = filters.elements.channel.value;
    history.replaceState(null, '', `#${withQuery('/admin/deliveries', { status: s || 'all', channel: c })}`);
    load(true);
  });
  const params = () => ({ status: filters.elements.status.value, channel: filters.elements.channel.value, limit: LIMIT });

  const statusBadge = (d) => badge(t(`admin.dl.s.${d.status}`), { dead: 'bad', delivered: 'ok', pending: 'info' }[d.status]);

  function draw() {
    mount(listBox, table([
      { label: t('admin.dl.id'), cell: (d) => h('span', { class: 'nowrap' }, `#${d.id}`) },
      { label: t('admin.dl.status'), cell: statusBadge },
      { label: t('admin.dl.event'), cell: (d) => [code(d.event || ''), h('div', { class: 'small muted' }, t(`admin.dl.c.${d.channel}`))] },
      { label: t('admin.dl.to'), cell: (d) => d.webhook?.name || d.recipient || '' },
      { label: t('admin.dl.complaint'), cell: (d) => h('span', { class: 'nowrap' }, d.complaint || '') },
      { label: t('admin.dl.attempts'), cell: (d) => [t('admin.dl.attempts_n', { n: d.attempts }), d.replays ? h('div', { class: 'small muted' }, t('admin.dl.replays_n', { n: d.replays })) : null] },
      { label: t('admin.dl.last_error'), class: 'desc-cell', cell: (d) => h('span', { class: 'small' }, d.last_error || '') },
      { label: t('admin.dl.created_at'), cell: (d) => h('span', { class: 'small nowrap' }, dateTime(d.created_at)) },
      {
        label: t('admin.actions'), class: 'actions-cell',
        cell: (d) => h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'small', 'aria-label': `${t('admin.dl.details')} #${d.id}`, onclick: (ev) => details(ev.currentTarget, d) }, t('admin.dl.details')),
          d.status === 'dead' ? actionButton(t('admin.dl.replay'), async () => {
            const r = await post(`/api/deliveries/${enc(d.id)}/replay`, {});
            Object.assign(d, r);
            draw();
            listBox.querySelector(`tr[data-key="${d.id}"] button`)?.focus();
            mount(notice, h('p', { class: 'callout' }, t('admin.dl.replayed')));
          }, { 'aria-label': `${t('admin.dl.replay')} #${d.id}` }) : null),
      },
    ], items, { key: (d) => d.id }));
    mount(more, nextBefore ? h('button', { type: 'button', onclick: () => load(false) }, t('common.more')) : null);
  }

  async function details(button, d) {
    const box = h('div', { class: 'delivery-details' }, h('p', { class: 'muted' }, t('common.loading')));
    const tr = button.closest('tr');
    for (const r of listBox.querySelectorAll('tr.edit-row')) r.remove();
    const row = h('tr', { class: 'edit-row' }, h('td', { colspan: tr.children.length, class: 'edit-cell' }, box));
    tr.after(row);
    try {
      const full = await get(`/api/deliveries/${enc(d.id)}`);
      mount(box,
        h('h3', null, t('admin.dl.details_title', { id: full.id })),
        full.next_attempt_at ? h('p', { class: 'small' }, t('admin.dl.next_at', { at: dateTime(full.next_attempt_at) })) : null,
        h('h4', null, t('admin.dl.payload')),
        full.personal || full.payload == null ? h('p', { class: 'muted' }, t('admin.dl.personal'))
          : h('pre', { class: 'payload' }, JSON.stringify(full.payload, null, 2)),
        h('h4', null, t('admin.dl.attempt_log')),
        table([
          { label: t('admin.dl.at'), cell: (a) => h('span', { class: 'nowrap small' }, dateTime(a.at)) },
          { label: t('admin.dl.duration'), cell: (a) => (a.duration_ms != null ? `${a.duration_ms} ms` : '') },
          { label: t('admin.dl.result'), cell: (a) => [a.ok ? badge(t('admin.dl.ok'), 'ok') : badge(t('admin.dl.failed'), 'bad'), a.status ? ` ${a.status}` : ''] },
          { label: t('admin.dl.last_error'), cell: (a) => h('span', { class: 'small' }, a.error || '') },
        ], full.attempt_log || []),
        h('p', null, h('button', { type: 'button', class: 'small', onclick: () => { row.remove(); button.focus(); } }, t('common.close'))));
    } catch (err) {
      mount(box, h('p', { class: 'form-error', role: 'alert' }, err.message));
    }
  }

  async function load(reset) {
    if (reset) { items = []; nextBefore = null; mount(more); mount(notice); }
    try {
      const r = await get(withQuery('/api/deliveries', { ...params(), before: reset ? undefined : nextBefore }));
      items = reset ? r.items || [] : [...items, ...(r.items || [])];
      nextBefore = r.next_before ?? null;
      draw();
    } catch (err) {
      if (err?.status === 401) return;
      mount(listBox, h('p', { class: 'form-error', role: 'alert' }, err.message));
    }
  }
  await load(true);
}

export const routes = [
  { path: '/admin/webhooks', render: areaRoute('webhooks', fillWebhooks) },
  { path: '/admin/deliveries', render: areaRoute('deliveries', fillDeliveries) },
];
