// Projects and units: the projects with their buildings, a new project, a
// building with its units (config.admin).
import { h, mount } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, post, enc, withQuery } from '../../api.js';
import { areaRoute, listEdit, editForm, forget, code } from './kit.js';

export const strings = {
  zh: {
    'admin.projects.add': '新建项目',
    'admin.projects.code': '项目代码',
    'admin.projects.code_hint': '2–8 个大写字母或数字，如 HY',
    'admin.projects.name': '项目名称',
    'admin.projects.prefix': '投诉编号前缀',
    'admin.projects.prefix_hint': '留空则使用默认前缀',
    'admin.projects.buildings': '楼栋',
    'admin.projects.buildings_n': '{n} 栋',
    'admin.projects.no_buildings': '尚无楼栋',
    'admin.projects.add_units': '添加楼栋和房号',
    'admin.projects.add_units_title': '为 {name} 添加楼栋和房号',
    'admin.projects.building': '楼栋',
    'admin.projects.building_hint': '已有的楼栋也可以，新房号会加入其中，如 13栋',
    'admin.projects.units': '房号',
    'admin.projects.units_hint': '每行一个，或用逗号、空格分隔；数字范围可写成 101-120。最多 500 个。',
    'admin.projects.units_added': '新增 {added} 个房号，{existing} 个已存在',
    'admin.projects.created': '项目已创建',
    'admin.projects.show_units': '查看 {project} {building} 的房号',
    'admin.projects.units_of': '{building} 的房号（{n} 个）',
    'admin.projects.too_many_units': '一次最多 500 个房号',
  },
  en: {
    'admin.projects.add': 'New project',
    'admin.projects.code': 'Project code',
    'admin.projects.code_hint': '2–8 capital letters or digits, e.g. HY',
    'admin.projects.name': 'Project name',
    'admin.projects.prefix': 'Complaint number prefix',
    'admin.projects.prefix_hint': 'Leave empty for the default prefix',
    'admin.projects.buildings': 'Buildings',
    'admin.projects.buildings_n': '{n} buildings',
    'admin.projects.no_buildings': 'No buildings yet',
    'admin.projects.add_units': 'Add building and units',
    'admin.projects.add_units_title': 'Add a building and units to {name}',
    'admin.projects.building': 'Building',
    'admin.projects.building_hint': 'An existing building is fine too: the new units join it, e.g. 13栋',
    'admin.projects.units': 'Units',
    'admin.projects.units_hint': 'One per line, or separated by commas or spaces; a number range can be written 101-120. At most 500.',
    'admin.projects.units_added': '{added} units added, {existing} already there',
    'admin.projects.created': 'Project created',
    'admin.projects.show_units': 'Show the units of {project} {building}',
    'admin.projects.units_of': 'Units of {building} ({n})',
    'admin.projects.too_many_units': 'At most 500 units at a time',
  },
};

// "101-105, 201 202" → ['101', '102', '103', '104', '105', '201', '202']
export function parseUnits(text) {
  const out = [];
  for (const part of String(text || '').split(/[\s,，、;；]+/)) {
    if (!part) continue;
    const m = /^(\d{1,6})-(\d{1,6})$/.exec(part);
    if (m && m[1].length === m[2].length && Number(m[2]) >= Number(m[1]) && Number(m[2]) - Number(m[1]) < 500) {
      for (let n = Number(m[1]); n <= Number(m[2]); n++) out.push(String(n).padStart(m[1].length, '0'));
    } else out.push(part);
  }
  return [...new Set(out)];
}

async function fill(body) {
  const ctx = listEdit(body, {
    load: async () => {
      forget('projects');
      return (await get('/api/projects')).items || [];
    },
    key: (p) => p.code,
    label: (p) => p.name,
    filter: (p, q) => p.code.toLowerCase().includes(q) || p.name.toLowerCase().includes(q),
    columns: [
      { label: t('admin.projects.code'), cell: (p) => h('strong', null, p.code) },
      { label: t('admin.projects.name'), cell: (p) => p.name },
      { label: t('admin.projects.prefix'), cell: (p) => code(p.number_prefix || '') },
      {
        label: t('admin.projects.buildings'),
        cell: (p) => (p.buildings?.length
          ? h('div', { class: 'chips' },
            h('span', { class: 'small muted' }, t('admin.projects.buildings_n', { n: p.buildings.length })),
            p.buildings.map((b) => h('button', {
              type: 'button', class: 'chip', 'aria-label': t('admin.projects.show_units', { project: p.name, building: b }),
              onclick: () => showUnits(p, b),
            }, b)))
          : h('span', { class: 'muted' }, t('admin.projects.no_buildings'))),
      },
    ],
    add: {
      label: t('admin.projects.add'),
      fields: () => [[
        { name: 'code', label: t('admin.projects.code'), required: true, hint: t('admin.projects.code_hint'), attrs: { maxlength: 8, autocapitalize: 'characters', autocomplete: 'off' } },
        { name: 'name', label: t('admin.projects.name'), required: true, attrs: { maxlength: 50 } },
        { name: 'number_prefix', label: t('admin.projects.prefix'), hint: t('admin.projects.prefix_hint'), attrs: { maxlength: 8 } },
      ]],
      save: (v) => {
        const b = { code: (v.code || '').trim().toUpperCase(), name: v.name };
        if (v.number_prefix) b.number_prefix = v.number_prefix;
        return post('/api/projects', b);
      },
      done: t('admin.projects.created'),
    },
    actions: (p, c) => [
      h('button', {
        type: 'button', class: 'small', 'aria-label': `${t('admin.projects.add_units')} ${p.name}`,
        onclick: (ev) => {
          const btn = ev.currentTarget;
          let close = () => {};
          const form = editForm({
            title: t('admin.projects.add_units_title', { name: p.name }),
            fields: [
              { name: 'building', label: t('admin.projects.building'), required: true, hint: t('admin.projects.building_hint'), attrs: { maxlength: 20 } },
              { name: 'units', label: t('admin.projects.units'), type: 'textarea', rows: 4, required: true, hint: t('admin.projects.units_hint') },
            ],
            submit: t('admin.projects.add_units'),
            action: (v) => {
              const units = parseUnits(v.units);
              if (units.length > 500) throw Object.assign(new Error(t('admin.projects.too_many_units')), { field: 'units' });
              return post(`/api/projects/${enc(p.code)}/units`, { building: v.building.trim(), units });
            },
            done: (r) => t('admin.projects.units_added', { added: r.added, existing: r.existing }),
            onCancel: () => { close(); btn.focus(); },
            after: async () => { await c.refresh(); c.focusRow(p.code); },
          });
          close = c.openUnder(p, form);
        },
      }, t('admin.projects.add_units')),
    ],
  });

  async function showUnits(p, building) {
    const box = h('div', { class: 'units-view' }, h('p', { class: 'muted' }, t('common.loading')));
    ctx.openUnder(p, box);
    try {
      const { items } = await get(withQuery(`/api/projects/${enc(p.code)}/units`, { building }));
      mount(box, h('h3', null, t('admin.projects.units_of', { building, n: items.length })),
        items.length ? h('ul', { class: 'unit-list' }, items.map((u) => h('li', null, u))) : h('p', { class: 'muted' }, t('common.empty')));
    } catch (err) {
      mount(box, h('p', { class: 'form-error', role: 'alert' }, err.message));
    }
  }
  await ctx.ready;
}

export const routes = [{ path: '/admin/projects', render: areaRoute('projects', fill) }];
