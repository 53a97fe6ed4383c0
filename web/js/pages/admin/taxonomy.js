// The taxonomy: categories and their subcategories — add, rename, describe,
// retire (never delete) (config.admin).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, post, patch, enc } from '../../api.js';
import {
  areaRoute, listEdit, editForm, forget, badge, code, inLang, changed, NothingChanged, actionButton,
} from './kit.js';

export const strings = {
  zh: {
    'admin.tax.add': '新增分类',
    'admin.tax.add_sub': '添加子类',
    'admin.tax.add_sub_title': '在“{name}”下添加子类',
    'admin.tax.code': '代码',
    'admin.tax.code_hint': '小写字母、数字、_ 或 -，同级唯一，创建后不能修改',
    'admin.tax.name_zh': '中文名称',
    'admin.tax.name_en': '英文名称',
    'admin.tax.desc_zh': '中文说明',
    'admin.tax.desc_en': '英文说明',
    'admin.tax.desc_hint': '接线员选择分类时看到的说明',
    'admin.tax.name': '名称',
    'admin.tax.description': '说明',
    'admin.tax.status': '状态',
    'admin.tax.in_use': '使用中',
    'admin.tax.retired': '已停用',
    'admin.tax.retire': '停用',
    'admin.tax.restore': '恢复使用',
    'admin.tax.retired_done': '已停用：新投诉不能再选择它，已有投诉不受影响',
    'admin.tax.restored_done': '已恢复使用',
    'admin.tax.sub_of': '{parent} 的子类',
    'admin.tax.intro': '分类不会被删除，只能停用：已登记的投诉保留原分类，新投诉和分诊不能再选择已停用的分类。',
    'admin.tax.created': '分类已添加',
  },
  en: {
    'admin.tax.add': 'New category',
    'admin.tax.add_sub': 'Add subcategory',
    'admin.tax.add_sub_title': 'Add a subcategory to "{name}"',
    'admin.tax.code': 'Code',
    'admin.tax.code_hint': 'Lower-case letters, digits, _ or -; unique among its siblings; cannot be changed later',
    'admin.tax.name_zh': 'Chinese name',
    'admin.tax.name_en': 'English name',
    'admin.tax.desc_zh': 'Chinese description',
    'admin.tax.desc_en': 'English description',
    'admin.tax.desc_hint': 'What operators see when they choose a category',
    'admin.tax.name': 'Name',
    'admin.tax.description': 'Description',
    'admin.tax.status': 'Status',
    'admin.tax.in_use': 'In use',
    'admin.tax.retired': 'Retired',
    'admin.tax.retire': 'Retire',
    'admin.tax.restore': 'Bring back',
    'admin.tax.retired_done': 'Retired: new complaints cannot choose it; existing ones keep it',
    'admin.tax.restored_done': 'Back in use',
    'admin.tax.sub_of': 'Subcategory of {parent}',
    'admin.tax.intro': 'Categories are never deleted, only retired: registered complaints keep theirs, and new complaints and triage cannot choose a retired one.',
    'admin.tax.created': 'Category added',
  },
};

const nameFields = (row) => [
  [{ name: 'name_zh', label: t('admin.tax.name_zh'), required: true, value: row?.name_zh, attrs: { maxlength: 50 } },
    { name: 'name_en', label: t('admin.tax.name_en'), required: true, value: row?.name_en, attrs: { maxlength: 100 } }],
  [{ name: 'description_zh', label: t('admin.tax.desc_zh'), type: 'textarea', rows: 2, value: row?.description_zh, hint: t('admin.tax.desc_hint'), attrs: { maxlength: 1000 } },
    { name: 'description_en', label: t('admin.tax.desc_en'), type: 'textarea', rows: 2, value: row?.description_en, attrs: { maxlength: 1000 } }],
];

const pathOf = (r) => (r.parent ? `/api/categories/${enc(r.parent)}/${enc(r.code)}` : `/api/categories/${enc(r.code)}`);
const keyOf = (r) => (r.parent ? `${r.parent}/${r.code}` : r.code);

function createBody(v, parent) {
  const b = { code: (v.code || '').trim(), name_zh: v.name_zh, name_en: v.name_en };
  if (parent) b.parent = parent;
  if (v.description_zh) b.description_zh = v.description_zh;
  if (v.description_en) b.description_en = v.description_en;
  return b;
}

async function fill(body) {
  const ctx = listEdit(body, {
    intro: h('p', { class: 'muted' }, t('admin.tax.intro')),
    load: async () => {
      forget('categories');
      const { items } = await get('/api/categories');
      const rows = [];
      for (const c of items || []) {
        rows.push({ ...c, parent: null });
        for (const s of c.subcategories || []) rows.push({ ...s, parent: c.code, parentName: inLang(c, 'name') });
      }
      return rows;
    },
    key: keyOf,
    label: (r) => inLang(r, 'name'),
    rowClass: (r) => [r.parent ? 'sub-row' : 'top-row', r.retired ? 'retired-row' : null].filter(Boolean).join(' '),
    filter: (r, q) => [r.code, r.name_zh, r.name_en, r.parent].some((x) => (x || '').toLowerCase().includes(q)),
    max: 500,
    columns: [
      { label: t('admin.tax.code'), cell: (r) => (r.parent ? h('span', { class: 'sub-code' }, h('span', { 'aria-hidden': 'true' }, '└ '), code(r.code)) : code(r.code)) },
      { label: t('admin.tax.name'), cell: (r) => [h(r.parent ? 'span' : 'strong', null, inLang(r, 'name')), r.parent ? h('div', { class: 'small muted' }, t('admin.tax.sub_of', { parent: r.parentName })) : null] },
      { label: t('admin.tax.description'), class: 'desc-cell', cell: (r) => h('span', { class: 'small' }, inLang(r, 'description')) },
      { label: t('admin.tax.status'), cell: (r) => (r.retired ? badge(t('admin.tax.retired'), 'warn') : badge(t('admin.tax.in_use'), 'ok')) },
    ],
    add: {
      label: t('admin.tax.add'),
      fields: () => [
        { name: 'code', label: t('admin.tax.code'), required: true, hint: t('admin.tax.code_hint'), attrs: { maxlength: 32, autocomplete: 'off' } },
        ...nameFields(null),
      ],
      save: (v) => post('/api/categories', createBody(v, null)),
      done: t('admin.tax.created'),
    },
    edit: {
      fields: (r) => nameFields(r),
      save: (v, r) => {
        const diff = changed(v, r, ['name_zh', 'name_en', 'description_zh', 'description_en']);
        if (!Object.keys(diff).length) throw new NothingChanged();
        return patch(pathOf(r), diff);
      },
    },
    actions: (r, c) => [
      r.parent || r.retired ? null : h('button', {
        type: 'button', class: 'small', 'aria-label': `${t('admin.tax.add_sub')} ${inLang(r, 'name')}`,
        onclick: (ev) => {
          const btn = ev.currentTarget;
          let close = () => {};
          const form = editForm({
            title: t('admin.tax.add_sub_title', { name: inLang(r, 'name') }),
            fields: [{ name: 'code', label: t('admin.tax.code'), required: true, hint: t('admin.tax.code_hint'), attrs: { maxlength: 32, autocomplete: 'off' } }, ...nameFields(null)],
            submit: t('admin.tax.add_sub'),
            action: (v) => post('/api/categories', createBody(v, r.code)),
            done: t('admin.tax.created'),
            onCancel: () => { close(); btn.focus(); },
            after: async (res) => { await c.refresh(); c.focusRow(`${r.code}/${res.code}`); },
          });
          close = c.openUnder(r, form);
        },
      }, t('admin.tax.add_sub')),
      r.retired
        ? actionButton(t('admin.tax.restore'), async () => {
          await patch(pathOf(r), { retired: false });
          await c.refresh(); c.focusRow(keyOf(r));
          c.notice(h('p', { class: 'callout' }, t('admin.tax.restored_done')));
        }, { 'aria-label': `${t('admin.tax.restore')} ${inLang(r, 'name')}` })
        : actionButton(t('admin.tax.retire'), async () => {
          await patch(pathOf(r), { retired: true });
          await c.refresh(); c.focusRow(keyOf(r));
          c.notice(h('p', { class: 'callout' }, t('admin.tax.retired_done')));
        }, { 'aria-label': `${t('admin.tax.retire')} ${inLang(r, 'name')}` }),
    ],
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/taxonomy', render: areaRoute('taxonomy', fill) }];
