// Messages to customers: subject and body of each message in Chinese and
// English, with the placeholders they may use (config.admin).
import { h, mount } from '../../dom.js';
import { t, tEnum, has } from '../../i18n.js';
import { get, put, enc } from '../../api.js';
import { dateTime } from '../../fmt.js';
import { areaRoute, editForm, code, changed, NothingChanged } from './kit.js';

export const strings = {
  zh: {
    'admin.tpl.intro': '客户在这些时刻收到消息（有邮箱时发邮件，并通过 customer.message 事件交给短信或微信网关）。部署的语言决定用中文还是英文。',
    'admin.tpl.placeholders': '可用的占位符',
    'admin.tpl.placeholders_hint': '写成 {{名称}}，发送时换成实际内容；只能用下列名称。',
    'admin.tpl.p.number': '投诉编号',
    'admin.tpl.p.name': '投诉人姓名（无则为“客户”）',
    'admin.tpl.p.subject': '投诉主题',
    'admin.tpl.p.project': '项目名称',
    'admin.tpl.p.status': '当前状态',
    'admin.tpl.p.due': '承诺答复时间（无则为“尽快”）',
    'admin.tpl.p.result': '处理结果',
    'admin.tpl.c.acknowledged': '受理通知',
    'admin.tpl.c.progress': '进展通报',
    'admin.tpl.c.resolved': '处理结果通知',
    'admin.tpl.c.followup': '回访通知',
    'admin.tpl.l.zh': '中文',
    'admin.tpl.l.en': '英文',
    'admin.tpl.subject': '主题',
    'admin.tpl.subject_hint': '一行，最多 200 字',
    'admin.tpl.body': '正文',
    'admin.tpl.body_hint': '最多 4000 字',
    'admin.tpl.updated': '最后修改：{who}，{at}',
    'admin.tpl.built_in': '系统内置，未修改',
    'admin.tpl.form_label': '{code} · {lang}',
  },
  en: {
    'admin.tpl.intro': 'Customers get these messages at these moments (by e-mail when they gave an address, and through the customer.message event to an SMS or WeChat gateway). The deployment\'s language picks Chinese or English.',
    'admin.tpl.placeholders': 'Placeholders',
    'admin.tpl.placeholders_hint': 'Write {{name}}; it is replaced when the message is sent. Only these names.',
    'admin.tpl.p.number': 'Complaint number',
    'admin.tpl.p.name': 'Complainant\'s name (or "customer")',
    'admin.tpl.p.subject': 'Complaint subject',
    'admin.tpl.p.project': 'Project name',
    'admin.tpl.p.status': 'Current status',
    'admin.tpl.p.due': 'Promised reply time (or "as soon as possible")',
    'admin.tpl.p.result': 'What was done',
    'admin.tpl.c.acknowledged': 'Acknowledgement',
    'admin.tpl.c.progress': 'Progress report',
    'admin.tpl.c.resolved': 'Resolution',
    'admin.tpl.c.followup': 'Follow-up',
    'admin.tpl.l.zh': 'Chinese',
    'admin.tpl.l.en': 'English',
    'admin.tpl.subject': 'Subject',
    'admin.tpl.subject_hint': 'One line, at most 200 characters',
    'admin.tpl.body': 'Body',
    'admin.tpl.body_hint': 'At most 4000 characters',
    'admin.tpl.updated': 'Last changed by {who}, {at}',
    'admin.tpl.built_in': 'Built in, not changed',
    'admin.tpl.form_label': '{code} · {lang}',
  },
};

const ORDER = ['acknowledged', 'progress', 'resolved', 'followup'];
const codeName = (c) => tEnum('admin.tpl.c', c);

async function fill(body) {
  const { items = [], placeholders = [] } = await get('/api/message-templates');
  const codes = [...new Set(items.map((i) => i.code))].sort((a, b) => {
    const ia = ORDER.indexOf(a); const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });

  const help = h('div', { class: 'card placeholders' },
    h('h2', null, t('admin.tpl.placeholders')),
    h('p', { class: 'hint' }, t('admin.tpl.placeholders_hint')),
    h('dl', { class: 'facts' }, placeholders.map((p) => [
      h('dt', null, code(`{{${p}}}`)),
      h('dd', null, has(`admin.tpl.p.${p}`) ? t(`admin.tpl.p.${p}`) : p)])));

  function tplForm(tpl) {
    const meta = h('p', { class: 'small muted' });
    const showMeta = (x) => mount(meta, x.updated_by ? t('admin.tpl.updated', { who: x.updated_by, at: dateTime(x.updated_at) }) : t('admin.tpl.built_in'));
    showMeta(tpl);
    const langName = tEnum('admin.tpl.l', tpl.lang);
    return h('div', { class: 'tpl-lang' }, editForm({
      title: langName,
      label: t('admin.tpl.form_label', { code: codeName(tpl.code), lang: langName }),
      fields: [
        { name: 'subject', label: t('admin.tpl.subject'), value: tpl.subject, hint: t('admin.tpl.subject_hint'), attrs: { maxlength: 200, lang: tpl.lang === 'zh' ? 'zh-CN' : 'en' } },
        { name: 'body', label: t('admin.tpl.body'), type: 'textarea', rows: 9, value: tpl.body, hint: t('admin.tpl.body_hint'), attrs: { maxlength: 4000, lang: tpl.lang === 'zh' ? 'zh-CN' : 'en' } },
        meta,
      ],
      action: (v) => {
        const diff = changed(v, tpl, ['subject', 'body']);
        if (!Object.keys(diff).length) throw new NothingChanged();
        return put(`/api/message-templates/${enc(tpl.code)}/${enc(tpl.lang)}`, diff);
      },
      after: (r) => { Object.assign(tpl, r); showMeta(tpl); },
    }));
  }

  mount(body,
    h('p', { class: 'muted' }, t('admin.tpl.intro')),
    help,
    codes.map((c) => h('section', { class: 'card tpl-card' },
      h('h2', null, codeName(c), ' ', code(c)),
      h('div', { class: 'grid grid-2' },
        ['zh', 'en'].map((l) => items.find((i) => i.code === c && i.lang === l)).filter(Boolean).map(tplForm)))));
}

export const routes = [{ path: '/admin/templates', render: areaRoute('templates', fill) }];
