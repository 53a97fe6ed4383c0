// The dispatch catalogue (派单目录): which department gets a category's
// complaints, for every project or one project; set and remove (config.admin).
import { h, mount, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, put } from '../../api.js';
import { areaRoute, listEdit, ref, inLang, deptName, deptOptions, projectName, confirmButton } from './kit.js';

export const strings = {
  zh: {
    'admin.dispatch.intro': '派单时未指定部门，就按这里的规则：先找项目自己的规则，再找“全部项目”的规则。',
    'admin.dispatch.add': '设置规则',
    'admin.dispatch.category': '投诉分类',
    'admin.dispatch.project': '适用项目',
    'admin.dispatch.all_projects': '全部项目',
    'admin.dispatch.department': '负责部门',
    'admin.dispatch.department_hint': '部门须在适用的项目（或公司）中存在。已有规则的分类和项目会被替换。',
    'admin.dispatch.remove': '移除',
    'admin.dispatch.remove_confirm': '确认移除',
    'admin.dispatch.removed': '规则已移除',
    'admin.dispatch.filter': '按分类、项目或部门筛选',
  },
  en: {
    'admin.dispatch.intro': 'When a dispatch names no department, these rules decide: the project\'s own rule first, then the rule for all projects.',
    'admin.dispatch.add': 'Set a rule',
    'admin.dispatch.category': 'Category',
    'admin.dispatch.project': 'Project',
    'admin.dispatch.all_projects': 'All projects',
    'admin.dispatch.department': 'Department',
    'admin.dispatch.department_hint': 'The department must exist in that project (or the company). A rule already set for the category and project is replaced.',
    'admin.dispatch.remove': 'Remove',
    'admin.dispatch.remove_confirm': 'Confirm remove',
    'admin.dispatch.removed': 'Rule removed',
    'admin.dispatch.filter': 'Filter by category, project or department',
  },
};

async function fill(body) {
  const [categories, projects, depts] = await Promise.all([ref.categories(), ref.projects(), ref.departments()]);
  const catName = (c) => inLang(categories.find((x) => x.code === c), 'name') || c;
  const projOptions = [['', t('admin.dispatch.all_projects')], ...projects.map((p) => [p.code, `${p.name} (${p.code})`])];

  // The department select follows the project chosen.
  function deptField(project, value) {
    const id = uid('dispatch-dept');
    const wrap = h('div', { class: 'field', dataset: { field: 'department' } },
      h('label', { for: id }, t('admin.dispatch.department'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      h('select', { id, name: 'department', required: true, 'aria-describedby': `${id}-hint ${id}-err` }),
      h('p', { class: 'hint', id: `${id}-hint` }, t('admin.dispatch.department_hint')),
      h('p', { class: 'field-error', id: `${id}-err`, role: 'alert' }));
    const sel = wrap.querySelector('select');
    wrap.update = (p) => {
      mount(sel, deptOptions(depts, p || null).map(([v, l]) => h('option', { value: v, selected: v === value }, l)));
    };
    wrap.update(project);
    return wrap;
  }

  const ctx = listEdit(body, {
    intro: h('p', { class: 'muted' }, t('admin.dispatch.intro')),
    load: async () => (await get('/api/dispatch-rules')).items || [],
    key: (r) => `${r.category}:${r.project || '*'}`,
    label: (r) => `${catName(r.category)} · ${r.project ? projectName(projects, r.project) : t('admin.dispatch.all_projects')}`,
    filter: (r, q) => [r.category, catName(r.category), r.project, r.project ? projectName(projects, r.project) : t('admin.dispatch.all_projects'),
      r.department, deptName(depts, r.department, r.project)].some((x) => (x || '').toLowerCase().includes(q)),
    filterLabel: t('admin.dispatch.filter'),
    columns: [
      { label: t('admin.dispatch.category'), cell: (r) => catName(r.category) },
      { label: t('admin.dispatch.project'), cell: (r) => (r.project ? projectName(projects, r.project) : h('span', { class: 'muted' }, t('admin.dispatch.all_projects'))) },
      { label: t('admin.dispatch.department'), cell: (r) => deptName(depts, r.department, r.project) },
    ],
    add: {
      label: t('admin.dispatch.add'),
      fields: () => {
        const dept = deptField('', null);
        const cat = { name: 'category', label: t('admin.dispatch.category'), type: 'select', required: true,
          options: categories.filter((c) => !c.retired).map((c) => [c.code, inLang(c, 'name')]) };
        const proj = { name: 'project', label: t('admin.dispatch.project'), type: 'select', options: projOptions,
          attrs: { onchange: (ev) => dept.update(ev.target.value) } };
        return [[cat, proj], dept];
      },
      save: (v) => put('/api/dispatch-rules', { category: v.category, project: v.project || null, department: v.department || null }),
    },
    edit: {
      title: (r) => `${t('common.edit')} ${catName(r.category)} · ${r.project ? projectName(projects, r.project) : t('admin.dispatch.all_projects')}`,
      fields: (r) => [deptField(r.project, r.department)],
      save: (v, r) => put('/api/dispatch-rules', { category: r.category, project: r.project, department: v.department || null }),
    },
    actions: (r, c) => [
      confirmButton(t('admin.dispatch.remove'), t('admin.dispatch.remove_confirm'), async () => {
        await put('/api/dispatch-rules', { category: r.category, project: r.project, department: null });
        await c.refresh();
        c.notice(h('p', { class: 'callout' }, t('admin.dispatch.removed')));
      }, { target: `${catName(r.category)} ${r.project || ''}`.trim() }),
    ],
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/dispatch', render: areaRoute('dispatch', fill) }];
