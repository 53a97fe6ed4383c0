// The time-limit policy (时限标准): a table of clocks × grades — amount,
// unit, reminder point, enabled — edited in place (config.admin). A grade's
// own row wins over the "all grades" row of the same clock.
import { h, mount } from '../../dom.js';
import { t, tEnum } from '../../i18n.js';
import { get, put, enc } from '../../api.js';
import { areaRoute, ref, editForm, openUnder, changed, NothingChanged, levelName, badge } from './kit.js';

export const strings = {
  zh: {
    'admin.clocks.intro': '每个时限按投诉等级取值：某等级有自己的设置就用它，否则用“所有等级”的设置。修改对之后开始的计时生效，进行中的计时在其等级变化时采用新设置。',
    'admin.clocks.clock': '时限',
    'admin.clocks.inherits': '同“所有等级”',
    'admin.clocks.own': '单独设置',
    'admin.clocks.amount': '时长',
    'admin.clocks.unit': '单位',
    'admin.clocks.remind': '提醒点（%）',
    'admin.clocks.remind_hint': '用去多少比例的时间时提醒，0–99',
    'admin.clocks.enabled': '启用这个时限',
    'admin.clocks.off': '不计时',
    'admin.clocks.remind_at': '{p}% 时提醒',
    'admin.clocks.edit_cell': '编辑 {grade} · {clock}',
    'admin.clocks.edit_title': '{clock} · {grade}',
    'admin.clocks.new_own': '该等级目前沿用“所有等级”的设置；保存后它将有自己的设置。',
  },
  en: {
    'admin.clocks.intro': 'Each limit depends on the grade: a grade\'s own setting wins, otherwise the "all grades" one applies. A change applies to clocks that start afterwards, and to running ones when their complaint\'s grade changes.',
    'admin.clocks.clock': 'Clock',
    'admin.clocks.inherits': 'As "all grades"',
    'admin.clocks.own': 'Own setting',
    'admin.clocks.amount': 'Amount',
    'admin.clocks.unit': 'Unit',
    'admin.clocks.remind': 'Reminder (%)',
    'admin.clocks.remind_hint': 'Remind when this share of the time is used, 0–99',
    'admin.clocks.enabled': 'This clock runs',
    'admin.clocks.off': 'Off',
    'admin.clocks.remind_at': 'reminder at {p}%',
    'admin.clocks.edit_cell': 'Edit {grade} · {clock}',
    'admin.clocks.edit_title': '{clock} · {grade}',
    'admin.clocks.new_own': 'This grade follows "all grades" now; saving gives it its own setting.',
  },
};

const CLOCK_ORDER = ['accept', 'first_response', 'urgent_report', 'urgent_reply', 'centre_report', 'centre_answer', 'resolve', 'progress', 'followup'];
const UNITS = ['hours', 'days', 'working_days', 'working_hours'];

async function fill(body) {
  const grading = await ref.grading();
  const levels = grading.levels || [];
  const grades = ['*', ...levels.map((l) => l.code)];
  const box = h('div', { class: 'clock-matrix' }, h('p', { class: 'muted' }, t('common.loading')));
  mount(body, h('p', { class: 'muted' }, t('admin.clocks.intro')), box);
  let items = [];

  const clockLabel = (c) => tEnum('clock', c);
  const limitText = (r) => `${r.amount} ${tEnum('clock_unit', r.unit)}`;

  async function load(focus) {
    items = (await get('/api/clock-policy')).items || [];
    draw(focus);
  }

  function draw(focus) {
    const clocks = [...new Set(items.map((r) => r.clock))].sort((a, b) => {
      const ia = CLOCK_ORDER.indexOf(a); const ib = CLOCK_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    const find = (g, c) => items.find((r) => r.grade === g && r.clock === c);
    const rows = clocks.map((c) => h('tr', { dataset: { key: c } },
      h('th', { scope: 'row', 'data-label': t('admin.clocks.clock') }, clockLabel(c)),
      grades.map((g) => {
        const own = find(g, c);
        const eff = own || find('*', c);
        const label = t('admin.clocks.edit_cell', { grade: levelName(levels, g), clock: clockLabel(c) });
        return h('td', { 'data-label': levelName(levels, g), class: ['cell', own ? 'own' : 'inherited', g === '*' ? 'base' : null] },
          h('button', {
            type: 'button', class: 'cell-button', 'aria-label': label, title: label, dataset: { cell: `${g}|${c}` },
            onclick: (ev) => edit(ev.currentTarget, g, c, own, eff),
          },
          eff ? [
            h('span', { class: ['limit', eff.enabled ? null : 'off'] }, eff.enabled ? limitText(eff) : t('admin.clocks.off')),
            h('span', { class: 'small muted' }, eff.enabled ? t('admin.clocks.remind_at', { p: eff.remind_percent }) : limitText(eff)),
            g === '*' ? null : h('span', { class: 'small' }, own ? badge(t('admin.clocks.own'), 'info') : h('span', { class: 'muted' }, t('admin.clocks.inherits'))),
          ] : '—'));
      })));
    mount(box, h('div', { class: 'table-wrap' },
      h('table', { class: ['table', 'stack', 'admin-table', 'matrix'] },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('admin.clocks.clock')),
          grades.map((g) => h('th', { scope: 'col' }, levelName(levels, g))))),
        h('tbody', null, rows))));
    if (focus) box.querySelector(`[data-cell="${CSS.escape(focus)}"]`)?.focus();
  }

  function edit(button, g, c, own, eff) {
    let close = () => {};
    const base = own || eff || { amount: 1, unit: 'days', remind_percent: 80, enabled: true };
    const form = editForm({
      title: t('admin.clocks.edit_title', { clock: clockLabel(c), grade: levelName(levels, g) }),
      intro: own || g === '*' ? null : h('p', { class: 'hint' }, t('admin.clocks.new_own')),
      fields: [
        [{ name: 'amount', label: t('admin.clocks.amount'), type: 'number', required: true, value: base.amount, attrs: { min: 1, max: 1000, step: 1 } },
          { name: 'unit', label: t('admin.clocks.unit'), type: 'select', value: base.unit, options: UNITS.map((u) => [u, tEnum('clock_unit', u)]) },
          { name: 'remind_percent', label: t('admin.clocks.remind'), type: 'number', value: base.remind_percent, hint: t('admin.clocks.remind_hint'), attrs: { min: 0, max: 99, step: 1 } }],
        { name: 'enabled', label: t('admin.clocks.enabled'), type: 'checkbox', value: base.enabled },
      ],
      action: (v) => {
        const diff = own ? changed(v, own, ['amount', 'unit', 'remind_percent', 'enabled']) : { ...v };
        for (const k of Object.keys(diff)) if (diff[k] === undefined) delete diff[k];
        if (!Object.keys(diff).length) throw new NothingChanged();
        return put(`/api/clock-policy/${enc(g)}/${enc(c)}`, diff);
      },
      onCancel: () => { close(); button.focus(); },
      after: () => load(`${g}|${c}`),
    });
    close = openUnder(button.closest('tr'), form);
  }

  await load();
}

export const routes = [{ path: '/admin/clock-policy', render: areaRoute('clocks', fill) }];
