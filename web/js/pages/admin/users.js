// Staff accounts: list, create with roles and projects, enable/disable,
// reset a password, grant a role (user.admin).
import { h, mount } from '../../dom.js';
import { t, tEnum } from '../../i18n.js';
import { get, post, enc } from '../../api.js';
import { field } from '../../form.js';
import { dateTime } from '../../fmt.js';
import {
  areaRoute, listEdit, ref, badge, confirmButton, secretCallout, editForm,
  deptName, PROJECT_ROLES, COMPANY_ROLES,
} from './kit.js';

export const strings = {
  zh: {
    'admin.users.add': '新建账号',
    'admin.users.login': '登录名',
    'admin.users.login_hint': '小写字母开头，可含小写字母、数字和 . _ -，2–32 个字符',
    'admin.users.name': '姓名',
    'admin.users.phone': '手机号',
    'admin.users.email': '电子邮箱',
    'admin.users.password': '初始密码',
    'admin.users.password_hint': '留空则自动生成，创建后只显示一次。至少 10 个字符，含大小写字母、数字或符号中的三类。',
    'admin.users.roles': '角色',
    'admin.users.role': '角色',
    'admin.users.project': '项目',
    'admin.users.department': '部门',
    'admin.users.no_project': '— 公司级（无项目）—',
    'admin.users.no_department': '— 不限部门 —',
    'admin.users.no_role': '— 不设角色 —',
    'admin.users.add_role_line': '再加一个角色',
    'admin.users.remove_role_line': '移除这一行',
    'admin.users.role_hint': '接线员、处理人、主管、项目经理须选择项目；公司领导、客服中心、审计、管理员为公司级，不选项目。',
    'admin.users.status': '状态',
    'admin.users.active': '启用',
    'admin.users.disabled': '已停用',
    'admin.users.disable': '停用',
    'admin.users.disable_confirm': '确认停用',
    'admin.users.enable': '启用',
    'admin.users.reset': '重置密码',
    'admin.users.reset_title': '重置 {login} 的密码',
    'admin.users.reset_submit': '重置密码',
    'admin.users.new_password': '新密码',
    'admin.users.new_password_hint': '留空则自动生成。重置后该账号所有登录会话立即失效。',
    'admin.users.grant': '授予角色',
    'admin.users.grant_title': '为 {login} 授予角色',
    'admin.users.created': '账号已创建',
    'admin.users.created_password': '账号 {login} 已创建。初始密码：',
    'admin.users.reset_done': '{login} 的密码已重置，{n} 个登录会话已失效。新密码：',
    'admin.users.password_label': '密码',
    'admin.users.granted': '角色已授予',
    'admin.users.enabled_done': '账号已启用',
    'admin.users.disabled_done': '账号已停用，其会话和令牌已失效',
    'admin.users.filter': '按登录名或姓名筛选',
    'admin.users.contact': '联系方式',
    'admin.users.no_password': '未设密码',
    'admin.users.since': '创建于 {at}',
  },
  en: {
    'admin.users.add': 'New account',
    'admin.users.login': 'Login',
    'admin.users.login_hint': 'Starts with a lower-case letter; lower-case letters, digits and . _ -; 2–32 characters',
    'admin.users.name': 'Name',
    'admin.users.phone': 'Mobile',
    'admin.users.email': 'E-mail',
    'admin.users.password': 'Initial password',
    'admin.users.password_hint': 'Leave empty to generate one, shown once. At least 10 characters mixing three of: lower case, upper case, digits, symbols.',
    'admin.users.roles': 'Roles',
    'admin.users.role': 'Role',
    'admin.users.project': 'Project',
    'admin.users.department': 'Department',
    'admin.users.no_project': '— Company-wide (no project) —',
    'admin.users.no_department': '— Any department —',
    'admin.users.no_role': '— No role —',
    'admin.users.add_role_line': 'Add another role',
    'admin.users.remove_role_line': 'Remove this line',
    'admin.users.role_hint': 'Operator, handler, supervisor and project manager need a project; executive, service centre, auditor and administrator are company-wide.',
    'admin.users.status': 'Status',
    'admin.users.active': 'Active',
    'admin.users.disabled': 'Disabled',
    'admin.users.disable': 'Disable',
    'admin.users.disable_confirm': 'Confirm disable',
    'admin.users.enable': 'Enable',
    'admin.users.reset': 'Reset password',
    'admin.users.reset_title': 'Reset the password of {login}',
    'admin.users.reset_submit': 'Reset password',
    'admin.users.new_password': 'New password',
    'admin.users.new_password_hint': 'Leave empty to generate one. Every session of the account ends at once.',
    'admin.users.grant': 'Grant role',
    'admin.users.grant_title': 'Grant a role to {login}',
    'admin.users.created': 'Account created',
    'admin.users.created_password': 'Account {login} created. Initial password:',
    'admin.users.reset_done': 'The password of {login} was reset; {n} sessions ended. New password:',
    'admin.users.password_label': 'Password',
    'admin.users.granted': 'Role granted',
    'admin.users.enabled_done': 'Account enabled',
    'admin.users.disabled_done': 'Account disabled; its sessions and tokens stopped',
    'admin.users.filter': 'Filter by login or name',
    'admin.users.contact': 'Contact',
    'admin.users.no_password': 'No password',
    'admin.users.since': 'Created {at}',
  },
};

const roleOptions = (withNone) => [
  ...(withNone ? [['', t('admin.users.no_role')]] : []),
  ...[...PROJECT_ROLES, ...COMPANY_ROLES].map((r) => [r, tEnum('role', r)]),
];

function roleText(r, projects, depts) {
  const where = [r.project && (projects.find((p) => p.code === r.project)?.name || r.project),
    r.department && deptName(depts, r.department, r.project)].filter(Boolean).join(' · ');
  return badge(where ? `${tEnum('role', r.role)} · ${where}` : tEnum('role', r.role), 'info');
}

// One line of role, project and department, its fields named as the API
// names their errors (roles[0].project, or project alone for a grant).
function roleLine(prefix, projects, depts, { withNone = false, removable = null } = {}) {
  const projectOpts = [['', t('admin.users.no_project')], ...projects.map((p) => [p.code, `${p.name} (${p.code})`])];
  const roleF = field({ name: `${prefix}role`, label: t('admin.users.role'), type: 'select', options: roleOptions(withNone), required: !withNone });
  const projF = field({ name: `${prefix}project`, label: t('admin.users.project'), type: 'select', options: projectOpts });
  const deptF = field({ name: `${prefix}department`, label: t('admin.users.department'), type: 'select', options: [] });
  const deptSel = deptF.querySelector('select');
  const projSel = projF.querySelector('select');
  const fillDepts = () => {
    const p = projSel.value;
    const opts = [['', t('admin.users.no_department')],
      ...depts.filter((d) => d.project === null || (p && d.project === p)).map((d) => [d.code, d.name])];
    mount(deptSel, opts.map(([v, l]) => h('option', { value: v }, l)));
  };
  projSel.addEventListener('change', fillDepts);
  fillDepts();
  return h('div', { class: ['form-row', 'role-line'] }, roleF, projF, deptF,
    removable ? h('div', { class: 'field role-remove' }, h('button', { type: 'button', class: 'small', onclick: removable }, t('admin.users.remove_role_line'))) : null);
}

function rolesFrom(vals, n) {
  const roles = [];
  for (let i = 0; i < n; i++) {
    const role = vals[`roles[${i}].role`];
    if (!role) continue;
    const r = { role };
    if (vals[`roles[${i}].project`]) r.project = vals[`roles[${i}].project`];
    if (vals[`roles[${i}].department`]) r.department = vals[`roles[${i}].department`];
    roles.push(r);
  }
  return roles;
}

async function fill(body) {
  const [projects, depts] = await Promise.all([ref.projects(), ref.departments()]);
  let lines = 0;

  const ctx = listEdit(body, {
    load: async () => (await get('/api/users')).items || [],
    key: (u) => u.login,
    label: (u) => u.login,
    filter: (u, q) => u.login.toLowerCase().includes(q) || (u.name || '').toLowerCase().includes(q),
    filterLabel: t('admin.users.filter'),
    columns: [
      { label: t('admin.users.login'), cell: (u) => h('span', { class: 'nowrap' }, h('strong', null, u.login)) },
      { label: t('admin.users.name'), cell: (u) => [u.name, h('div', { class: 'small muted' }, t('admin.users.since', { at: dateTime(u.created_at) }))] },
      { label: t('admin.users.contact'), cell: (u) => [u.phone, u.email].filter(Boolean).join(' · ') || h('span', { class: 'muted' }, '—') },
      { label: t('admin.users.roles'), cell: (u) => h('div', { class: 'badges' }, (u.roles || []).map((r) => roleText(r, projects, depts))) },
      {
        label: t('admin.users.status'),
        cell: (u) => [u.status === 'active' ? badge(t('admin.users.active'), 'ok') : badge(t('admin.users.disabled'), 'bad'),
          u.has_password ? null : [' ', badge(t('admin.users.no_password'), 'warn')]],
      },
    ],
    add: {
      label: t('admin.users.add'),
      submit: t('admin.users.add'),
      fields: () => {
        lines = 0;
        const box = h('div', { class: 'role-lines' });
        const addLine = () => {
          const i = lines++;
          const line = roleLine(`roles[${i}].`, projects, depts, { withNone: true, removable: i > 0 ? () => line.remove() : null });
          box.append(line);
          return line;
        };
        addLine();
        return [
          [{ name: 'login', label: t('admin.users.login'), required: true, hint: t('admin.users.login_hint'), attrs: { autocomplete: 'off', maxlength: 32 } },
            { name: 'name', label: t('admin.users.name'), required: true, attrs: { maxlength: 50 } }],
          [{ name: 'phone', label: t('admin.users.phone'), type: 'tel', attrs: { autocomplete: 'off' } },
            { name: 'email', label: t('admin.users.email'), type: 'email', attrs: { autocomplete: 'off', maxlength: 254 } }],
          { name: 'password', label: t('admin.users.password'), type: 'password', hint: t('admin.users.password_hint'), attrs: { autocomplete: 'new-password' } },
          h('fieldset', { class: 'roles-set' }, h('legend', null, t('admin.users.roles')),
            h('p', { class: 'hint' }, t('admin.users.role_hint')),
            box,
            h('p', null, h('button', { type: 'button', class: 'small', onclick: () => addLine().querySelector('select')?.focus() }, t('admin.users.add_role_line')))),
        ];
      },
      save: (v) => {
        const body = { login: v.login, name: v.name, roles: rolesFrom(v, lines) };
        for (const k of ['phone', 'email', 'password']) if (v[k]) body[k] = v[k];
        return post('/api/users', body);
      },
      done: t('admin.users.created'),
      after: (u, c) => {
        if (u?.password) c.notice(secretCallout(t('admin.users.created_password', { login: u.login }), u.password, t('admin.users.password_label')));
        c.focusRow(u.login);
      },
    },
    actions: (u, c) => [
      u.status === 'active'
        ? confirmButton(t('admin.users.disable'), t('admin.users.disable_confirm'), async () => {
          await post(`/api/users/${enc(u.login)}/status`, { status: 'disabled' });
          await c.refresh();
          c.focusRow(u.login);
        }, { target: u.login })
        : h('button', {
          type: 'button', class: 'small', 'aria-label': `${t('admin.users.enable')} ${u.login}`,
          onclick: async () => {
            try { await post(`/api/users/${enc(u.login)}/status`, { status: 'active' }); await c.refresh(); c.focusRow(u.login); } catch (err) { c.notice(h('p', { class: 'form-error', role: 'alert' }, err.message)); }
          },
        }, t('admin.users.enable')),
      h('button', {
        type: 'button', class: 'small', 'aria-label': `${t('admin.users.reset')} ${u.login}`,
        onclick: (ev) => {
          const btn = ev.currentTarget;
          let close = () => {};
          const form = editForm({
            title: t('admin.users.reset_title', { login: u.login }),
            fields: [{ name: 'password', label: t('admin.users.new_password'), type: 'password', hint: t('admin.users.new_password_hint'), attrs: { autocomplete: 'new-password' } }],
            submit: t('admin.users.reset_submit'),
            action: (v) => post(`/api/users/${enc(u.login)}/password`, v.password ? { password: v.password } : {}),
            onCancel: () => { close(); btn.focus(); },
            after: (r) => {
              close();
              c.notice(secretCallout(t('admin.users.reset_done', { login: r.login, n: r.sessions_revoked ?? 0 }), r.password, t('admin.users.password_label')));
            },
          });
          close = c.openUnder(u, form);
        },
      }, t('admin.users.reset')),
      h('button', {
        type: 'button', class: 'small', 'aria-label': `${t('admin.users.grant')} ${u.login}`,
        onclick: (ev) => {
          const btn = ev.currentTarget;
          let close = () => {};
          const form = editForm({
            title: t('admin.users.grant_title', { login: u.login }),
            fields: [roleLine('', projects, depts), h('p', { class: 'hint' }, t('admin.users.role_hint'))],
            submit: t('admin.users.grant'),
            action: (v) => {
              const r = { role: v.role };
              if (v.project) r.project = v.project;
              if (v.department) r.department = v.department;
              return post(`/api/users/${enc(u.login)}/roles`, r);
            },
            done: t('admin.users.granted'),
            onCancel: () => { close(); btn.focus(); },
            after: async () => { await c.refresh(); c.focusRow(u.login); },
          });
          close = c.openUnder(u, form);
        },
      }, t('admin.users.grant')),
    ],
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/users', render: areaRoute('users', fill) }];
