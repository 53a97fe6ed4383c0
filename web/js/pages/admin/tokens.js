// API tokens for integrations: list, create (the secret shown once), revoke
// (token.admin).
import { h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, post, del, enc } from '../../api.js';
import { dateTime } from '../../fmt.js';
import { areaRoute, listEdit, ref, badge, code, confirmButton, secretCallout, projectName } from './kit.js';

export const strings = {
  zh: {
    'admin.tok.intro': '集成系统（如呼叫中心）用令牌调用接口。令牌代表一个员工账号，权限不超过该账号，可再限定范围和项目。令牌只在创建时显示一次。',
    'admin.tok.add': '新建令牌',
    'admin.tok.name': '名称',
    'admin.tok.login': '代表的账号',
    'admin.tok.login_hint': '为集成单独建一个员工账号，授予它需要的角色',
    'admin.tok.scopes': '权限范围',
    'admin.tok.all_scopes': '该账号的全部权限（*）',
    'admin.tok.scopes_hint': '至少选一项',
    'admin.tok.project': '限定项目',
    'admin.tok.any_project': '— 不限项目 —',
    'admin.tok.created': '创建',
    'admin.tok.last_used': '最后使用',
    'admin.tok.never': '从未使用',
    'admin.tok.status': '状态',
    'admin.tok.live': '有效',
    'admin.tok.revoked': '已吊销 {at}',
    'admin.tok.revoke': '吊销',
    'admin.tok.revoke_confirm': '确认吊销',
    'admin.tok.secret_new': '令牌“{name}”已创建：',
    'admin.tok.secret_label': 'API 令牌',
  },
  en: {
    'admin.tok.intro': 'Integrations (a call centre, say) call the API with a token. A token acts as a staff account, with no more than its permissions, optionally narrowed to scopes and a project. A token is shown once, when it is made.',
    'admin.tok.add': 'New token',
    'admin.tok.name': 'Name',
    'admin.tok.login': 'Acts as account',
    'admin.tok.login_hint': 'Make a staff account for the integration and grant it the roles it needs',
    'admin.tok.scopes': 'Scopes',
    'admin.tok.all_scopes': 'All of the account\'s permissions (*)',
    'admin.tok.scopes_hint': 'Choose at least one',
    'admin.tok.project': 'Only project',
    'admin.tok.any_project': '— Any project —',
    'admin.tok.created': 'Created',
    'admin.tok.last_used': 'Last used',
    'admin.tok.never': 'Never',
    'admin.tok.status': 'Status',
    'admin.tok.live': 'Live',
    'admin.tok.revoked': 'Revoked {at}',
    'admin.tok.revoke': 'Revoke',
    'admin.tok.revoke_confirm': 'Confirm revoke',
    'admin.tok.secret_new': 'Token "{name}" created:',
    'admin.tok.secret_label': 'API token',
  },
};

const PERMS = ['complaint.read', 'complaint.create', 'event.create', 'attachment.read', 'attachment.create', 'contact.reveal',
  'export', 'audit.read', 'user.admin', 'token.admin', 'complaint.triage', 'complaint.handle', 'compensation.approve',
  'followup', 'complaint.reopen', 'case.write', 'config.admin'];

function scopesField() {
  const id = uid('scopes');
  const all = h('input', { type: 'checkbox', name: 'scope:*', id: `${id}-all` });
  const boxes = PERMS.map((p) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: `scope:${p}` }), ' ', code(p)));
  all.addEventListener('change', () => { for (const l of boxes) l.querySelector('input').disabled = all.checked; });
  return h('fieldset', { class: 'field', dataset: { field: 'scopes' }, 'aria-describedby': `${id}-hint ${id}-err` },
    h('legend', null, t('admin.tok.scopes'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'hint', id: `${id}-hint` }, t('admin.tok.scopes_hint')),
    h('label', { class: 'check' }, all, ' ', t('admin.tok.all_scopes')),
    h('div', { class: 'checks scopes' }, boxes),
    h('p', { class: 'field-error', id: `${id}-err`, role: 'alert' }));
}

async function fill(body) {
  const [projects, users] = await Promise.all([ref.projects(), get('/api/users').then((r) => r.items || []).catch(() => [])]);
  const ctx = listEdit(body, {
    intro: h('p', { class: 'muted' }, t('admin.tok.intro')),
    load: async () => ((await get('/api/tokens')).items || []).sort((a, b) => (a.revoked_at ? 1 : 0) - (b.revoked_at ? 1 : 0) || b.id - a.id),
    key: (k) => k.id,
    label: (k) => k.name,
    rowClass: (k) => (k.revoked_at ? 'retired-row' : null),
    columns: [
      { label: t('admin.tok.name'), cell: (k) => h('strong', null, k.name) },
      { label: t('admin.tok.login'), cell: (k) => k.login },
      { label: t('admin.tok.scopes'), cell: (k) => h('div', { class: 'badges' }, (k.scopes || []).map((s) => badge(s))) },
      { label: t('admin.tok.project'), cell: (k) => (k.project ? projectName(projects, k.project) : '—') },
      { label: t('admin.tok.created'), cell: (k) => h('span', { class: 'small' }, dateTime(k.created_at), k.created_by ? ` · ${k.created_by}` : '') },
      { label: t('admin.tok.last_used'), cell: (k) => h('span', { class: 'small' }, k.last_used_at ? dateTime(k.last_used_at) : t('admin.tok.never')) },
      { label: t('admin.tok.status'), cell: (k) => (k.revoked_at ? badge(t('admin.tok.revoked', { at: dateTime(k.revoked_at) }), 'warn') : badge(t('admin.tok.live'), 'ok')) },
    ],
    add: {
      label: t('admin.tok.add'),
      fields: () => [
        [{ name: 'name', label: t('admin.tok.name'), required: true, attrs: { maxlength: 64, autocomplete: 'off' } },
          { name: 'login', label: t('admin.tok.login'), type: 'select', required: true, hint: t('admin.tok.login_hint'),
            options: users.filter((u) => u.status === 'active').map((u) => [u.login, `${u.name} (${u.login})`]) },
          { name: 'project', label: t('admin.tok.project'), type: 'select', options: [['', t('admin.tok.any_project')], ...projects.map((p) => [p.code, `${p.name} (${p.code})`])] }],
        scopesField(),
      ],
      save: (v) => {
        const scopes = v['scope:*'] ? ['*'] : PERMS.filter((p) => v[`scope:${p}`]);
        const b = { name: v.name, login: v.login, scopes };
        if (v.project) b.project = v.project;
        return post('/api/tokens', b);
      },
      after: (k, c) => {
        c.notice(secretCallout(t('admin.tok.secret_new', { name: k.name }), k.token, t('admin.tok.secret_label')));
        c.focusRow(k.id);
      },
    },
    actions: (k, c) => [
      k.revoked_at ? null : confirmButton(t('admin.tok.revoke'), t('admin.tok.revoke_confirm'), async () => {
        await del(`/api/tokens/${enc(k.id)}`);
        await c.refresh();
      }, { target: k.name }),
    ],
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/tokens', render: areaRoute('tokens', fill) }];
