// Administration: an index of the areas this user may manage, and one page
// per area (users, tokens, projects, taxonomy, grading, dispatch, calendar,
// time limits, escalation, webhooks, deliveries, message templates). Every
// area is built from the same list + edit form pattern (kit.js).
import { h, mount } from '../../dom.js';
import { t, register } from '../../i18n.js';
import { get, withQuery } from '../../api.js';
import { toLocalInput } from '../../fmt.js';
import { AREAS, areasAllowed, may, noAccess, badge } from './kit.js';
import * as users from './users.js';
import * as tokens from './tokens.js';
import * as projects from './projects.js';
import * as taxonomy from './taxonomy.js';
import * as grading from './grading.js';
import * as dispatch from './dispatch.js';
import * as calendar from './calendar.js';
import * as clocks from './clocks.js';
import * as escalation from './escalation.js';
import * as webhooks from './webhooks.js';
import * as templates from './templates.js';

const areas = [users, tokens, projects, taxonomy, grading, dispatch, calendar, clocks, escalation, webhooks, templates];
for (const m of areas) register(m.strings);

export const strings = {
  zh: {
    'admin.nav': '系统管理',
    'admin.title': '系统管理',
    'admin.intro': '账号、基础数据和系统规则。每项修改都记入审计日志。',
    'admin.areas_label': '管理分区',
    'admin.no_access': '没有权限',
    'admin.no_access_text': '您的账号没有系统管理权限。如需使用，请联系系统管理员。',
    'admin.actions': '操作',
    'admin.enabled': '启用',
    'admin.disabled': '停用',
    'admin.nothing_changed': '没有改动',
    'admin.item_n': '第 {n} 项：',
    'admin.shown_of': '显示前 {n} 条，共 {total} 条；请用筛选缩小范围。',
    'admin.copy': '复制',
    'admin.copied': '已复制',
    'admin.copy_by_hand': '已选中，请手动复制',
    'admin.secret_once': '只显示这一次，离开本页后无法再查看。请立即复制并妥善保存。',
    'admin.all_grades': '所有等级',
    'admin.attention': '需要处理',
    'admin.att_calendar': '{year} 年的工作日历尚未核对',
    'admin.att_dead': '有投递失败的消息（死信）',
    'admin.area.users': '员工账号',
    'admin.area.users_hint': '新建账号、授予角色、停用、重置密码',
    'admin.area.tokens': 'API 令牌',
    'admin.area.tokens_hint': '集成系统调用接口用的令牌',
    'admin.area.projects': '项目与房号',
    'admin.area.projects_hint': '项目、楼栋和房号',
    'admin.area.taxonomy': '投诉分类',
    'admin.area.taxonomy_hint': '分类和子类的名称、说明、停用',
    'admin.area.grading': '分级规则',
    'admin.area.grading_hint': '投诉等级的判定条件',
    'admin.area.dispatch': '派单目录',
    'admin.area.dispatch_hint': '各分类由哪个部门处理',
    'admin.area.calendar': '工作日历',
    'admin.area.calendar_hint': '节假日、调休、工作时间',
    'admin.area.clocks': '时限标准',
    'admin.area.clocks_hint': '各等级的受理、答复、办结时限',
    'admin.area.escalation': '升级规则',
    'admin.area.escalation_hint': '超出等级的升级与督办',
    'admin.area.webhooks': 'Webhook',
    'admin.area.webhooks_hint': '向其他系统推送事件',
    'admin.area.deliveries': '投递记录',
    'admin.area.deliveries_hint': '失败的投递与重新投递',
    'admin.area.templates': '客户消息模板',
    'admin.area.templates_hint': '发给客户的中英文消息',
  },
  en: {
    'admin.nav': 'Administration',
    'admin.title': 'Administration',
    'admin.intro': 'Accounts, reference data and the rules of the system. Every change is written to the audit log.',
    'admin.areas_label': 'Administration areas',
    'admin.no_access': 'No access',
    'admin.no_access_text': 'Your account may not administer the system. Ask an administrator if you need to.',
    'admin.actions': 'Actions',
    'admin.enabled': 'On',
    'admin.disabled': 'Off',
    'admin.nothing_changed': 'Nothing changed',
    'admin.item_n': 'Item {n}: ',
    'admin.shown_of': 'Showing the first {n} of {total}; filter to narrow it down.',
    'admin.copy': 'Copy',
    'admin.copied': 'Copied',
    'admin.copy_by_hand': 'Selected — copy it by hand',
    'admin.secret_once': 'Shown this once only: it cannot be seen again after you leave. Copy it now and keep it safe.',
    'admin.all_grades': 'All grades',
    'admin.attention': 'Needs attention',
    'admin.att_calendar': 'The working calendar of {year} is not confirmed yet',
    'admin.att_dead': 'Some deliveries failed (dead letters)',
    'admin.area.users': 'Staff accounts',
    'admin.area.users_hint': 'New accounts, roles, disable, reset passwords',
    'admin.area.tokens': 'API tokens',
    'admin.area.tokens_hint': 'Tokens for integrations',
    'admin.area.projects': 'Projects and units',
    'admin.area.projects_hint': 'Projects, buildings and units',
    'admin.area.taxonomy': 'Categories',
    'admin.area.taxonomy_hint': 'Names, descriptions, retiring',
    'admin.area.grading': 'Grading rules',
    'admin.area.grading_hint': 'What decides a complaint\'s grade',
    'admin.area.dispatch': 'Dispatch catalogue',
    'admin.area.dispatch_hint': 'Which department handles which category',
    'admin.area.calendar': 'Working calendar',
    'admin.area.calendar_hint': 'Holidays, make-up days, working hours',
    'admin.area.clocks': 'Time limits',
    'admin.area.clocks_hint': 'Limits per grade to accept, answer, resolve',
    'admin.area.escalation': 'Escalation rules',
    'admin.area.escalation_hint': 'Escalation beyond grades, supervision notices',
    'admin.area.webhooks': 'Webhooks',
    'admin.area.webhooks_hint': 'Push events to other systems',
    'admin.area.deliveries': 'Deliveries',
    'admin.area.deliveries_hint': 'Failed deliveries, sending again',
    'admin.area.templates': 'Customer messages',
    'admin.area.templates_hint': 'Messages to customers in Chinese and English',
  },
};

async function renderIndex(main) {
  if (!AREAS.some((a) => may(a.perm))) { noAccess(main); return; }
  const attention = h('div', { class: 'admin-attention', 'aria-live': 'polite' });
  mount(main, h('section', { class: ['page', 'admin'] },
    h('div', { class: 'page-head' }, h('h1', null, t('admin.title'))),
    h('p', { class: 'muted' }, t('admin.intro')),
    h('ul', { class: 'admin-areas' }, areasAllowed().map((a) => h('li', null,
      h('a', { class: 'card area-card', href: `#${a.path}` },
        h('span', { class: 'area-title' }, a.title()),
        h('span', { class: 'area-hint muted small' }, a.hint()))))),
    attention));
  if (!may('config.admin')) return;
  const year = Number(toLocalInput().slice(0, 4));
  const [cal, dead] = await Promise.all([
    get(withQuery('/api/calendar', { year })).catch(() => null),
    get(withQuery('/api/deliveries', { status: 'dead', limit: 1 })).catch(() => null),
  ]);
  const items = [];
  if (cal && !cal.checked) items.push(h('li', null, badge('!', 'warn'), ' ', h('a', { href: '#/admin/calendar' }, t('admin.att_calendar', { year }))));
  if (dead?.items?.length) items.push(h('li', null, badge('!', 'bad'), ' ', h('a', { href: '#/admin/deliveries?status=dead' }, t('admin.att_dead'))));
  if (items.length) mount(attention, h('div', { class: 'callout callout-warn' }, h('h2', null, t('admin.attention')), h('ul', { class: 'items' }, items)));
}

export const routes = [
  { path: '/admin', render: renderIndex, nav: { key: 'admin.nav', order: 90, perm: ['config.admin', 'user.admin'] } },
  ...areas.flatMap((m) => m.routes),
];
