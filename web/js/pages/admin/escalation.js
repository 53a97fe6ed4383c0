// Escalation rules: when a complaint goes beyond its grade to someone higher
// up, with an optional supervision notice (督办) (config.admin).
import { h } from '../../dom.js';
import { t, tEnum } from '../../i18n.js';
import { get, put, enc } from '../../api.js';
import {
  areaRoute, listEdit, ref, code, inLang, changed, NothingChanged, enabledBadge, deptOptions, deptName, badge,
  PROJECT_ROLES, COMPANY_ROLES,
} from './kit.js';
import { factsHelp } from './grading.js';

export const strings = {
  zh: {
    'admin.esc.intro': '条件成立时，投诉升级一次：通知目标角色（项目角色指该投诉项目中的人），可同时移交部门、发出需限时确认的督办单。',
    'admin.esc.add': '新增规则',
    'admin.esc.code': '规则代码',
    'admin.esc.code_hint': '字母、数字、_ 或 -，创建后不能修改',
    'admin.esc.condition': '条件',
    'admin.esc.condition_hint': '与分级规则的写法相同，另有 repair、overdue、overdue_days、compensation、top。',
    'admin.esc.target': '升级给',
    'admin.esc.target_role': '目标角色',
    'admin.esc.target_department': '移交部门',
    'admin.esc.no_department': '— 不移交 —',
    'admin.esc.notice': '督办',
    'admin.esc.notice_label': '发出督办单（需确认）',
    'admin.esc.ack_hours': '确认时限（小时）',
    'admin.esc.ack_hint': '1–720 小时，逾期未确认则再上报一级',
    'admin.esc.notice_yes': '{h} 小时内确认',
    'admin.esc.desc_zh': '中文说明',
    'admin.esc.desc_en': '英文说明',
    'admin.esc.description': '说明',
    'admin.esc.enabled': '启用',
    'admin.esc.enabled_label': '启用这条规则',
    'admin.esc.f.repair': '类型为报修（1 或 0）',
    'admin.esc.f.overdue': '有超时的时限（1 或 0）',
    'admin.esc.f.overdue_days': '最久的超时天数',
    'admin.esc.f.compensation': '提议或待批的补偿金额（元）',
    'admin.esc.f.top': '等级为最高级（1 或 0）',
  },
  en: {
    'admin.esc.intro': 'When the condition holds, the complaint escalates once: the target role is told (a project role: the people of the complaint\'s project), it may move to a department, and a supervision notice may need acknowledging in time.',
    'admin.esc.add': 'New rule',
    'admin.esc.code': 'Rule code',
    'admin.esc.code_hint': 'Letters, digits, _ or -; cannot be changed later',
    'admin.esc.condition': 'Condition',
    'admin.esc.condition_hint': 'Written as for grading rules, with also repair, overdue, overdue_days, compensation, top.',
    'admin.esc.target': 'Escalates to',
    'admin.esc.target_role': 'Target role',
    'admin.esc.target_department': 'Move to department',
    'admin.esc.no_department': '— No move —',
    'admin.esc.notice': 'Notice',
    'admin.esc.notice_label': 'Issue a supervision notice (to acknowledge)',
    'admin.esc.ack_hours': 'Acknowledge within (hours)',
    'admin.esc.ack_hint': '1–720 hours; unacknowledged, it goes one level up',
    'admin.esc.notice_yes': 'acknowledge in {h} h',
    'admin.esc.desc_zh': 'Chinese description',
    'admin.esc.desc_en': 'English description',
    'admin.esc.description': 'Description',
    'admin.esc.enabled': 'Enabled',
    'admin.esc.enabled_label': 'Rule enabled',
    'admin.esc.f.repair': 'The kind is repair (1 or 0)',
    'admin.esc.f.overdue': 'A clock is past due (1 or 0)',
    'admin.esc.f.overdue_days': 'Days the most overdue clock is late',
    'admin.esc.f.compensation': 'Compensation proposed or awaiting approval (yuan)',
    'admin.esc.f.top': 'The grade is the highest (1 or 0)',
  },
};

async function fill(body) {
  const depts = await ref.departments();
  const extra = () => ['repair', 'overdue', 'overdue_days', 'compensation', 'top'].map((f) => [f, t(`admin.esc.f.${f}`)]);
  const fields = (r, isNew) => [
    isNew ? { name: 'code', label: t('admin.esc.code'), required: true, hint: t('admin.esc.code_hint'), attrs: { maxlength: 32, autocomplete: 'off' } } : null,
    { name: 'condition', label: t('admin.esc.condition'), required: true, value: r?.condition, hint: t('admin.esc.condition_hint'), attrs: { maxlength: 200, spellcheck: 'false', autocomplete: 'off', class: 'mono' } },
    factsHelp(extra()),
    [{ name: 'target_role', label: t('admin.esc.target_role'), type: 'select', required: true, value: r?.target_role || 'centre',
      options: [...PROJECT_ROLES, ...COMPANY_ROLES].map((x) => [x, tEnum('role', x)]) },
    { name: 'target_department', label: t('admin.esc.target_department'), type: 'select', value: r?.target_department || '',
      options: [['', t('admin.esc.no_department')], ...deptOptions(depts, null)] }],
    [{ name: 'notice', label: t('admin.esc.notice_label'), type: 'checkbox', value: r ? r.notice : false },
      { name: 'ack_hours', label: t('admin.esc.ack_hours'), type: 'number', value: r?.ack_hours ?? 24, hint: t('admin.esc.ack_hint'), attrs: { min: 1, max: 720, step: 1 } }],
    [{ name: 'description_zh', label: t('admin.esc.desc_zh'), type: 'textarea', rows: 2, required: isNew, value: r?.description_zh, attrs: { maxlength: 500 } },
      { name: 'description_en', label: t('admin.esc.desc_en'), type: 'textarea', rows: 2, required: isNew, value: r?.description_en, attrs: { maxlength: 500 } }],
    { name: 'enabled', label: t('admin.esc.enabled_label'), type: 'checkbox', value: r ? r.enabled : true },
  ];
  const KEYS = ['condition', 'target_role', 'target_department', 'notice', 'ack_hours', 'description_zh', 'description_en', 'enabled'];

  const ctx = listEdit(body, {
    intro: h('p', { class: 'muted' }, t('admin.esc.intro')),
    load: async () => (await get('/api/escalation-rules')).items || [],
    key: (r) => r.code,
    label: (r) => r.code,
    rowClass: (r) => (r.enabled ? null : 'retired-row'),
    columns: [
      { label: t('admin.esc.code'), cell: (r) => h('strong', { class: 'nowrap' }, r.code) },
      { label: t('admin.esc.condition'), cell: (r) => code(r.condition) },
      { label: t('admin.esc.target'), cell: (r) => [tEnum('role', r.target_role), r.target_department ? h('div', { class: 'small muted' }, deptName(depts, r.target_department)) : null] },
      { label: t('admin.esc.notice'), cell: (r) => (r.notice ? badge(t('admin.esc.notice_yes', { h: r.ack_hours }), 'warn') : h('span', { class: 'muted' }, t('common.no'))) },
      { label: t('admin.esc.description'), class: 'desc-cell', cell: (r) => h('span', { class: 'small' }, inLang(r, 'description')) },
      { label: t('admin.esc.enabled'), cell: (r) => enabledBadge(r.enabled) },
    ],
    add: {
      label: t('admin.esc.add'),
      fields: () => fields(null, true),
      save: (v) => {
        const { code: c, ...rest } = v;
        if (!rest.target_department) delete rest.target_department;
        if (rest.ack_hours === undefined) delete rest.ack_hours;
        return put(`/api/escalation-rules/${enc((c || '').trim())}`, rest);
      },
    },
    edit: {
      fields: (r) => fields(r, false),
      save: (v, r) => {
        const diff = changed(v, r, KEYS);
        if (!Object.keys(diff).length) throw new NothingChanged();
        return put(`/api/escalation-rules/${enc(r.code)}`, diff);
      },
    },
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/escalation', render: areaRoute('escalation', fill) }];
