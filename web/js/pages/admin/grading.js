// Grading rules: the preset's levels and the rules — condition, grade,
// description, enabled; edit and add (config.admin). The API checks the
// condition and its message shows under the field.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { get, put, enc } from '../../api.js';
import {
  areaRoute, listEdit, forget, code, inLang, changed, NothingChanged, enabledBadge, levelOptions, levelName,
} from './kit.js';

export const strings = {
  zh: {
    'admin.grading.levels': '等级（预设“{preset}”，从高到低，不能修改）',
    'admin.grading.add': '新增规则',
    'admin.grading.code': '规则代码',
    'admin.grading.code_hint': '1–32 个字母、数字、_ 或 -，创建后不能修改',
    'admin.grading.grade': '等级',
    'admin.grading.condition': '条件',
    'admin.grading.condition_hint': '如 headcount >= 10 and valid = 1：事实与整数比较（>=、>、<=、<、=），用 and 连接，最多 4 个比较；没有 or，请分成两条规则。',
    'admin.grading.desc_zh': '中文说明',
    'admin.grading.desc_en': '英文说明',
    'admin.grading.description': '说明',
    'admin.grading.enabled': '启用',
    'admin.grading.enabled_label': '启用这条规则',
    'admin.grading.intro': '条件成立时，投诉至少为该等级。自动分级只升不降；修改后从下一次分级起生效。',
    'admin.grading.facts': '可用的事实',
    'admin.grading.fact': '事实',
    'admin.grading.meaning': '含义',
    'admin.grading.f.headcount': '共同投诉的人数（集体投诉）',
    'admin.grading.f.raised': '客户提出的次数（首次为 1）',
    'admin.grading.f.loss': '经济损失，整元（无则 0）',
    'admin.grading.f.injury': '有人受伤（1 或 0）',
    'admin.grading.f.media': '已被媒体曝光（1 或 0）',
    'admin.grading.f.lawsuit': '已引发诉讼（1 或 0）',
    'admin.grading.f.threat_media': '扬言找媒体（1 或 0）',
    'admin.grading.f.threat_lawsuit': '扬言起诉（1 或 0）',
    'admin.grading.f.vip': '领导交办或重要客户（1 或 0）',
    'admin.grading.f.unresolved_days': '受理后未解决的整天数（解决后为 0）',
    'admin.grading.f.reopenings': '被重新打开的次数',
    'admin.grading.f.similar_complainants': '30 天内同项目同分类同楼栋的不同投诉人数',
    'admin.grading.f.valid': '性质为有效投诉（1 或 0）',
    'admin.grading.f.complaint': '类型为投诉、索赔或报修（1 或 0）',
  },
  en: {
    'admin.grading.levels': 'Levels (preset "{preset}", highest first, fixed)',
    'admin.grading.add': 'New rule',
    'admin.grading.code': 'Rule code',
    'admin.grading.code_hint': '1–32 letters, digits, _ or -; cannot be changed later',
    'admin.grading.grade': 'Grade',
    'admin.grading.condition': 'Condition',
    'admin.grading.condition_hint': 'E.g. headcount >= 10 and valid = 1: facts compared with a whole number (>=, >, <=, <, =), joined by and, at most 4 comparisons; there is no or — make two rules.',
    'admin.grading.desc_zh': 'Chinese description',
    'admin.grading.desc_en': 'English description',
    'admin.grading.description': 'Description',
    'admin.grading.enabled': 'Enabled',
    'admin.grading.enabled_label': 'Rule enabled',
    'admin.grading.intro': 'When the condition holds, the complaint is at least that grade. Automatic grading only raises; a change applies from the next grading.',
    'admin.grading.facts': 'Facts you can use',
    'admin.grading.fact': 'Fact',
    'admin.grading.meaning': 'Meaning',
    'admin.grading.f.headcount': 'People complaining together (collective complaint)',
    'admin.grading.f.raised': 'Times the customer raised it (1 the first time)',
    'admin.grading.f.loss': 'Economic loss in whole yuan (0 when none)',
    'admin.grading.f.injury': 'Someone was hurt (1 or 0)',
    'admin.grading.f.media': 'Exposed by the media (1 or 0)',
    'admin.grading.f.lawsuit': 'A lawsuit was started (1 or 0)',
    'admin.grading.f.threat_media': 'Threatens the media (1 or 0)',
    'admin.grading.f.threat_lawsuit': 'Threatens a lawsuit (1 or 0)',
    'admin.grading.f.vip': 'Referred by leadership or a VIP (1 or 0)',
    'admin.grading.f.unresolved_days': 'Whole days open since received (0 once resolved)',
    'admin.grading.f.reopenings': 'Times it was reopened',
    'admin.grading.f.similar_complainants': 'Distinct complainants of the same project, category and building within 30 days',
    'admin.grading.f.valid': 'The nature is valid (1 or 0)',
    'admin.grading.f.complaint': 'The kind is complaint, claim or repair (1 or 0)',
  },
};

export const FACTS = ['headcount', 'raised', 'loss', 'injury', 'media', 'lawsuit', 'threat_media', 'threat_lawsuit', 'vip',
  'unresolved_days', 'reopenings', 'similar_complainants', 'valid', 'complaint'];

// The facts of the grading language, for the help under a condition.
export function factsHelp(extra = []) {
  return h('details', { class: 'facts-help' },
    h('summary', null, t('admin.grading.facts')),
    h('table', { class: ['table', 'compact'] },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('admin.grading.fact')), h('th', { scope: 'col' }, t('admin.grading.meaning')))),
      h('tbody', null, [...FACTS.map((f) => [f, t(`admin.grading.f.${f}`)]), ...extra].map(([f, m]) =>
        h('tr', null, h('td', null, code(f)), h('td', null, m))))));
}

function ruleFields(row, levels, isNew) {
  return [
    isNew ? { name: 'code', label: t('admin.grading.code'), required: true, hint: t('admin.grading.code_hint'), attrs: { maxlength: 32, autocomplete: 'off' } } : null,
    { name: 'grade', label: t('admin.grading.grade'), type: 'select', required: true, options: levelOptions(levels), value: row?.grade ?? levels[levels.length - 1]?.code },
    { name: 'condition', label: t('admin.grading.condition'), required: true, value: row?.condition, hint: t('admin.grading.condition_hint'), attrs: { maxlength: 200, autocomplete: 'off', spellcheck: 'false', class: 'mono' } },
    factsHelp(),
    [{ name: 'description_zh', label: t('admin.grading.desc_zh'), type: 'textarea', rows: 2, required: isNew, value: row?.description_zh, attrs: { maxlength: 500 } },
      { name: 'description_en', label: t('admin.grading.desc_en'), type: 'textarea', rows: 2, required: isNew, value: row?.description_en, attrs: { maxlength: 500 } }],
    { name: 'enabled', label: t('admin.grading.enabled_label'), type: 'checkbox', value: row ? row.enabled : true },
  ];
}

async function fill(body) {
  let levels = [];
  let preset = '';
  const levelsBox = h('div', { class: 'card levels' });
  const ctx = listEdit(body, {
    intro: [h('p', { class: 'muted' }, t('admin.grading.intro')), levelsBox],
    load: async () => {
      forget('grading');
      const g = await get('/api/grading-rules');
      levels = g.levels || [];
      preset = g.preset || '';
      levelsBox.replaceChildren(
        h('h2', null, t('admin.grading.levels', { preset })),
        h('ol', { class: 'level-list' }, levels.map((l) => h('li', null, h('span', { class: ['badge', 'grade', `grade-${l.code}`] }, l.code), ' ', inLang(l, 'name')))));
      return g.rules || [];
    },
    key: (r) => r.code,
    label: (r) => r.code,
    rowClass: (r) => (r.enabled ? null : 'retired-row'),
    columns: [
      { label: t('admin.grading.code'), cell: (r) => h('strong', { class: 'nowrap' }, r.code) },
      { label: t('admin.grading.grade'), cell: (r) => h('span', { class: ['badge', 'grade', `grade-${r.grade}`], title: levelName(levels, r.grade) }, r.grade) },
      { label: t('admin.grading.condition'), cell: (r) => code(r.condition) },
      { label: t('admin.grading.description'), class: 'desc-cell', cell: (r) => h('span', { class: 'small' }, inLang(r, 'description')) },
      { label: t('admin.grading.enabled'), cell: (r) => enabledBadge(r.enabled) },
    ],
    add: {
      label: t('admin.grading.add'),
      fields: () => ruleFields(null, levels, true),
      save: async (v) => {
        const { code: c, ...rest } = v;
        return put(`/api/grading-rules/${enc((c || '').trim())}`, rest);
      },
    },
    edit: {
      fields: (r) => ruleFields(r, levels, false),
      save: (v, r) => {
        const diff = changed(v, r, ['grade', 'condition', 'description_zh', 'description_en', 'enabled']);
        if (!Object.keys(diff).length) throw new NothingChanged();
        return put(`/api/grading-rules/${enc(r.code)}`, diff);
      },
    },
  });
  await ctx.ready;
}

export const routes = [{ path: '/admin/grading', render: areaRoute('grading', fill) }];
