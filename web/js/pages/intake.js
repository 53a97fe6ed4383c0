// Intake (登记投诉): a hotline operator registers a complaint while the
// caller is on the line. Keyboard first: the phone number has the focus,
// typing it brings up the caller's earlier complaints beside the form,
// Enter moves to the next field and Ctrl+Enter (⌘+Enter) registers from
// anywhere in the form. The number is then shown large, to be read back.
import { h, mount, uid, debounce } from '../dom.js';
import { t, tEnum, nameOf } from '../i18n.js';
import { api, post, get, enc, ApiError } from '../api.js';
import { field, onSubmit } from '../form.js';
import { dateTime, date, relative, toLocalInput, fromLocalInput, money, bytes } from '../fmt.js';
import { link } from '../router.js';
import { refData, projectsWith, describe, statusBadge, gradeBadge, isOpen } from './work-common.js';

export const strings = {
  zh: {
    'nav.intake': '登记投诉',
    'intake.title': '登记投诉',
    'intake.shortcut': '在表单任意位置按 {keys} 即可登记',
    'intake.caller': '来电人',
    'intake.phone': '联系电话',
    'intake.phone_hint': '输入号码即自动查询来电人的投诉记录',
    'intake.name': '姓名',
    'intake.role': '身份',
    'intake.email': '电子邮件',
    'intake.anonymous': '匿名（不留联系方式）',
    'intake.place': '位置',
    'intake.project': '项目',
    'intake.choose': '请选择',
    'intake.building': '楼栋',
    'intake.unit': '房号',
    'intake.unit_hint': '可直接输入，或按 ↓ 键从列表选择',
    'intake.what': '投诉内容',
    'intake.subject': '主题',
    'intake.subject_hint': '一句话概括，例如“3栋电梯困人”',
    'intake.content': '详细情况',
    'intake.demands': '客户诉求',
    'intake.category': '分类',
    'intake.subcategory': '子分类',
    'intake.cat_all': '各分类说明',
    'intake.more': '其他信息',
    'intake.channel': '来源渠道',
    'intake.kind': '类型',
    'intake.comm_type': '来电性质',
    'intake.received_at': '来电时间',
    'intake.headcount': '投诉人数',
    'intake.flags': '特殊情况',
    'intake.files': '附件',
    'intake.files_label': '添加照片或文件',
    'intake.files_hint': '登记成功后自动上传；图片、录音、视频或 PDF',
    'intake.remove_file': '移除 {name}',
    'intake.submit': '登记',
    'intake.submitting': '正在登记…',
    'intake.done_title': '登记成功',
    'intake.number_label': '投诉编号',
    'intake.read_back': '请向来电人复述编号',
    'intake.answer_by': '请告知来电人：我们将在 {time} 前答复',
    'intake.promises': '承诺时限',
    'intake.open_complaint': '查看投诉',
    'intake.new': '登记新投诉',
    'intake.uploading': '正在上传…',
    'intake.uploaded': '已上传',
    'intake.upload_failed': '上传失败：{reason}',
    'intake.history': '来电人记录',
    'intake.history_idle': '输入电话号码后，这里显示该来电人以往的投诉。',
    'intake.history_loading': '正在查询…',
    'intake.history_none': '这个号码没有投诉记录。',
    'intake.history_open': '未结投诉（{n}）',
    'intake.history_past': '以往投诉（{n}）',
    'intake.history_summary': '该来电人有 {n} 条投诉记录，其中 {open} 条未结',
    'intake.history_summary_none': '新来电人：没有投诉记录',
    'intake.satisfaction': '回访：{s}',
    'intake.compensation': '补偿 {amount}',
    'intake.no_projects': '您没有可以登记投诉的项目。',
  },
  en: {
    'nav.intake': 'New complaint',
    'intake.title': 'Register a complaint',
    'intake.shortcut': 'Press {keys} anywhere in the form to register',
    'intake.caller': 'Caller',
    'intake.phone': 'Phone',
    'intake.phone_hint': 'The caller\'s earlier complaints show as you type',
    'intake.name': 'Name',
    'intake.role': 'Relation',
    'intake.email': 'E-mail',
    'intake.anonymous': 'Anonymous (no contact details)',
    'intake.place': 'Where',
    'intake.project': 'Project',
    'intake.choose': 'Choose…',
    'intake.building': 'Building',
    'intake.unit': 'Unit',
    'intake.unit_hint': 'Type it, or press ↓ to pick from the list',
    'intake.what': 'The complaint',
    'intake.subject': 'Subject',
    'intake.subject_hint': 'In a few words, e.g. "Lift stuck in building 3"',
    'intake.content': 'Details',
    'intake.demands': 'What the customer asks for',
    'intake.category': 'Category',
    'intake.subcategory': 'Subcategory',
    'intake.cat_all': 'What each category covers',
    'intake.more': 'More details',
    'intake.channel': 'Channel',
    'intake.kind': 'Kind',
    'intake.comm_type': 'Caller\'s intent',
    'intake.received_at': 'Received at',
    'intake.headcount': 'Number of people',
    'intake.flags': 'Special circumstances',
    'intake.files': 'Attachments',
    'intake.files_label': 'Add photos or files',
    'intake.files_hint': 'Uploaded once the complaint is registered; images, audio, video or PDF',
    'intake.remove_file': 'Remove {name}',
    'intake.submit': 'Register',
    'intake.submitting': 'Registering…',
    'intake.done_title': 'Registered',
    'intake.number_label': 'Complaint number',
    'intake.read_back': 'Read the number back to the caller',
    'intake.answer_by': 'Tell the caller: we will answer by {time}',
    'intake.promises': 'Promised times',
    'intake.open_complaint': 'Open the complaint',
    'intake.new': 'New complaint',
    'intake.uploading': 'Uploading…',
    'intake.uploaded': 'Uploaded',
    'intake.upload_failed': 'Upload failed: {reason}',
    'intake.history': 'Caller\'s record',
    'intake.history_idle': 'Type the phone number to see the caller\'s earlier complaints here.',
    'intake.history_loading': 'Looking up…',
    'intake.history_none': 'No complaints from this number.',
    'intake.history_open': 'Open complaints ({n})',
    'intake.history_past': 'Earlier complaints ({n})',
    'intake.history_summary': 'This caller has {n} complaints on record, {open} still open',
    'intake.history_summary_none': 'New caller: no complaints on record',
    'intake.satisfaction': 'Follow-up: {s}',
    'intake.compensation': 'Compensation {amount}',
    'intake.no_projects': 'You may not register complaints in any project.',
  },
};

const CHANNELS = ['phone', 'visit', 'letter', 'email', 'web', 'wechat', 'media', 'government', 'internal'];
const KINDS = ['complaint', 'inquiry', 'suggestion', 'repair', 'claim'];
const COMM_TYPES = ['help', 'inquiry', 'venting'];
const ROLES = ['owner', 'tenant', 'prospect', 'other'];
const FLAGS = ['injury', 'media', 'lawsuit', 'threat_media', 'threat_lawsuit', 'vip'];
// The clocks that promise the caller an answer, in the order to prefer.
const ANSWER_CLOCKS = ['urgent_reply', 'first_response', 'accept'];

const unitCache = new Map(); // "HY|3栋" → ["1单元101", …]

export const routes = [
  { path: '/intake', render: renderIntake, nav: { key: 'nav.intake', order: 20, perm: 'complaint.create' } },
];

const keysHint = () => [h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Enter')];

// A sentence from the catalog with {keys} replaced by the <kbd> shortcut.
function withKeys(key) {
  const [before, after] = t(key, {}).split('{keys}');
  return [before, keysHint(), after ?? ''];
}

async function renderIntake(main, params, query, session) {
  const { projects, categories } = await refData();
  const mine = projectsWith(projects, session, 'complaint.create');
  const cats = categories.filter((c) => !c.retired);
  const pending = []; // files chosen, uploaded after registering: { file, url }
  let idemKey = newKey();

  // ---- caller ----
  const phone = field({
    name: 'complainant.phone', label: t('intake.phone'), type: 'tel', hint: t('intake.phone_hint'),
    attrs: { autocomplete: 'off', inputmode: 'tel', 'data-testid': 'intake-phone' },
  });
  const phoneInput = phone.querySelector('input');
  const callerSummary = h('p', { class: 'caller-summary', 'aria-live': 'polite' });
  phone.append(callerSummary);

  // ---- where ----
  const projectOptions = (mine.length === 1 ? [] : [['', t('intake.choose')]])
    .concat(mine.map((p) => [p.code, p.name]));
  const project = field({ name: 'project', label: t('intake.project'), type: 'select', required: true,
    options: projectOptions, value: mine.length === 1 ? mine[0].code : '' });
  const projectSel = project.querySelector('select');
  const building = field({ name: 'building', label: t('intake.building'), type: 'select', options: [['', '—']] });
  const buildingSel = building.querySelector('select');
  const unitListId = uid('units');
  const unit = field({ name: 'unit', label: t('intake.unit'), hint: t('intake.unit_hint'),
    attrs: { list: unitListId, autocomplete: 'off' } });
  const unitInput = unit.querySelector('input');
  const unitList = h('datalist', { id: unitListId });
  unit.append(unitList);

  function fillBuildings() {
    const p = projects.find((x) => x.code === projectSel.value);
    mount(buildingSel, h('option', { value: '' }, '—'),
      (p?.buildings || []).map((b) => h('option', { value: b }, b)));
    unitInput.value = '';
    mount(unitList);
  }
  async function fillUnits() {
    const key = `${projectSel.value}|${buildingSel.value}`;
    mount(unitList);
    if (!projectSel.value || !buildingSel.value) return;
    let items = unitCache.get(key);
    if (!items) {
      try {
        items = (await get(`/api/projects/${enc(projectSel.value)}/units?building=${enc(buildingSel.value)}`)).items || [];
        unitCache.set(key, items);
      } catch { items = []; }
    }
    if (`${projectSel.value}|${buildingSel.value}` !== key) return; // changed meanwhile
    mount(unitList, items.map((u) => h('option', { value: u })));
  }
  projectSel.addEventListener('change', fillBuildings);
  buildingSel.addEventListener('change', () => { unitInput.value = ''; fillUnits(); });
  fillBuildings();

  // ---- category, with what each one covers ----
  const category = field({ name: 'category', label: t('intake.category'), type: 'select',
    options: [['', '—'], ...cats.map((c) => [c.code, nameOf(c)])] });
  const categorySel = category.querySelector('select');
  for (const o of categorySel.options) {
    const c = cats.find((x) => x.code === o.value);
    if (c) o.title = describe(c);
  }
  const subcategory = field({ name: 'subcategory', label: t('intake.subcategory'), type: 'select', options: [['', '—']] });
  const subSel = subcategory.querySelector('select');
  const catDesc = h('p', { class: 'cat-desc', id: uid('catdesc'), 'aria-live': 'polite' });
  categorySel.setAttribute('aria-describedby', `${categorySel.getAttribute('aria-describedby')} ${catDesc.id}`);
  subSel.setAttribute('aria-describedby', `${subSel.getAttribute('aria-describedby')} ${catDesc.id}`);
  function showCategory() {
    const c = cats.find((x) => x.code === categorySel.value);
    const s = c?.subcategories?.find((x) => x.code === subSel.value);
    if (!c) { mount(catDesc); return; }
    mount(catDesc, h('strong', null, nameOf(c)), '：', describe(c),
      s ? [h('br'), h('strong', null, nameOf(s)), '：', describe(s)] : null);
  }
  categorySel.addEventListener('change', () => {
    const c = cats.find((x) => x.code === categorySel.value);
    mount(subSel, h('option', { value: '' }, '—'),
      (c?.subcategories || []).filter((s) => !s.retired).map((s) => h('option', { value: s.code, title: describe(s) }, nameOf(s))));
    showCategory();
  });
  subSel.addEventListener('change', showCategory);
  const catGuide = h('details', { class: 'cat-guide' },
    h('summary', null, t('intake.cat_all')),
    h('dl', { class: 'facts small' }, cats.map((c) => [
      h('dt', null, nameOf(c)),
      h('dd', null, describe(c),
        c.subcategories?.length ? h('span', { class: 'muted' }, ' （',
          c.subcategories.filter((s) => !s.retired).map((s) => nameOf(s)).join('、'), '）') : null),
    ])));

  // ---- attachments, shown before they are uploaded ----
  const fileField = field({ name: 'files', label: t('intake.files_label'), type: 'file', hint: t('intake.files_hint'),
    attrs: { multiple: true, accept: 'image/*,audio/*,video/mp4,application/pdf', 'data-testid': 'intake-files' } });
  const fileInput = fileField.querySelector('input');
  const thumbs = h('ul', { class: 'thumbs intake-thumbs' });
  function showThumbs() {
    mount(thumbs, pending.map((p, i) => h('li', null,
      p.url ? h('img', { src: p.url, alt: p.file.name }) : h('span', { class: 'file-icon', 'aria-hidden': 'true' }, fileBadge(p.file)),
      h('div', { class: 'file-name', title: p.file.name }, p.file.name),
      h('div', { class: 'muted small' }, bytes(p.file.size)),
      h('button', { type: 'button', class: 'link-button small', 'aria-label': t('intake.remove_file', { name: p.file.name }),
        onclick: () => { const [gone] = pending.splice(i, 1); if (gone.url) URL.revokeObjectURL(gone.url); showThumbs(); fileInput.focus(); } },
      '✕'))));
  }
  fileInput.addEventListener('change', () => {
    for (const file of fileInput.files) {
      pending.push({ file, url: file.type.startsWith('image/') ? URL.createObjectURL(file) : null });
    }
    fileInput.value = '';
    showThumbs();
  });

  // ---- the form ----
  const submit = h('button', { type: 'submit', class: 'primary intake-submit' }, t('intake.submit'),
    h('span', { class: 'kbd-hint', 'aria-hidden': 'true' }, keysHint()));
  const form = h('form', { class: 'card intake-form', novalidate: true, 'aria-labelledby': 'intake-h1' },
    h('fieldset', null, h('legend', null, t('intake.caller')),
      h('div', { class: 'form-row' },
        phone,
        field({ name: 'complainant.name', label: t('intake.name'), attrs: { autocomplete: 'off' } }),
        field({ name: 'complainant.role', label: t('intake.role'), type: 'select',
          options: [['', '—'], ...ROLES.map((r) => [r, tEnum('complainant_role', r)])] })),
      h('div', { class: 'form-row' },
        field({ name: 'complainant.email', label: t('intake.email'), type: 'email', attrs: { autocomplete: 'off' } }),
        field({ name: 'complainant.anonymous', label: t('intake.anonymous'), type: 'checkbox' }))),
    h('fieldset', null, h('legend', null, t('intake.place')),
      h('div', { class: 'form-row' }, project, building, unit)),
    h('fieldset', null, h('legend', null, t('intake.what')),
      field({ name: 'subject', label: t('intake.subject'), required: true, hint: t('intake.subject_hint'), attrs: { maxlength: 100 } }),
      field({ name: 'content', label: t('intake.content'), type: 'textarea', required: true, rows: 5 }),
      field({ name: 'demands', label: t('intake.demands'), type: 'textarea', rows: 2 }),
      h('div', { class: 'form-row' }, category, subcategory),
      catDesc, catGuide),
    h('fieldset', null, h('legend', null, t('intake.more')),
      h('div', { class: 'form-row' },
        field({ name: 'channel', label: t('intake.channel'), type: 'select', required: true, value: 'phone',
          options: CHANNELS.map((c) => [c, tEnum('channel', c)]) }),
        field({ name: 'kind', label: t('intake.kind'), type: 'select', value: 'complaint',
          options: KINDS.map((k) => [k, tEnum('kind', k)]) }),
        field({ name: 'comm_type', label: t('intake.comm_type'), type: 'select',
          options: [['', '—'], ...COMM_TYPES.map((c) => [c, tEnum('comm_type', c)])] })),
      h('div', { class: 'form-row' },
        field({ name: 'received_at', label: t('intake.received_at'), type: 'datetime-local', value: toLocalInput() }),
        field({ name: 'headcount', label: t('intake.headcount'), type: 'number', value: 1, attrs: { min: 1, max: 100000, step: 1 } })),
      h('fieldset', { class: 'flags' }, h('legend', null, t('intake.flags')),
        h('div', { class: 'checks' }, FLAGS.map((f) => field({ name: `flags.${f}`, label: tEnum('flag', f), type: 'checkbox' }))))),
    h('fieldset', null, h('legend', null, t('intake.files')), fileField, thumbs),
    h('div', { class: 'form-actions' }, submit,
      h('span', { class: 'muted small' }, withKeys('intake.shortcut'))));

  // Ctrl+Enter (⌘+Enter) registers from anywhere; a plain Enter in a
  // one-line field moves on instead of sending a half-filled form.
  form.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.isComposing) return;
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      form.requestSubmit();
      return;
    }
    const el = ev.target;
    if (el.tagName === 'INPUT' && !['file', 'submit', 'button'].includes(el.type)) {
      ev.preventDefault();
      if (!el.hasAttribute('list')) focusNext(form, el);
    }
  });

  let busy = false;
  onSubmit(form, async (v) => {
    if (busy) return;
    busy = true;
    submit.firstChild.textContent = t('intake.submitting');
    try {
      const created = await post('/api/complaints', complaintBody(v), { headers: { 'Idempotency-Key': idemKey } });
      idemKey = newKey();
      showDone(created);
    } finally {
      busy = false;
      submit.firstChild.textContent = t('intake.submit');
    }
  });

  // ---- the caller's record, beside the form ----
  const history = h('div', { class: 'caller-history', 'data-testid': 'caller-history' });
  const aside = h('aside', { class: 'card intake-side', 'aria-labelledby': 'intake-history-h' },
    h('h2', { id: 'intake-history-h' }, t('intake.history')), history);
  let lookupSeq = 0;
  const idle = () => { lookupSeq += 1; mount(callerSummary); mount(history, h('p', { class: 'muted' }, t('intake.history_idle'))); };
  const lookup = debounce(async (number) => {
    const mySeq = ++lookupSeq;
    history.setAttribute('aria-busy', 'true');
    mount(callerSummary, h('span', { class: 'muted' }, t('intake.history_loading')));
    try {
      const { items } = await post('/api/customers/history', { phone: number });
      if (mySeq !== lookupSeq) return;
      showHistory(items || []);
    } catch (err) {
      if (mySeq !== lookupSeq) return;
      if (err instanceof ApiError && err.status === 400) { idle(); return; } // not a whole number yet
      mount(callerSummary);
      mount(history, h('p', { class: 'form-error', role: 'alert' }, err.message));
    } finally {
      if (mySeq === lookupSeq) history.removeAttribute('aria-busy');
    }
  }, 350);
  phoneInput.addEventListener('input', () => {
    const digits = phoneInput.value.replace(/\D/g, '');
    if (digits.length < 7) idle(); else lookup(phoneInput.value.trim());
  });

  function showHistory(items) {
    const open = items.filter((i) => isOpen(i.status));
    const past = items.filter((i) => !isOpen(i.status));
    mount(callerSummary, items.length
      ? h('span', { class: open.length ? 'badge badge-warn' : 'badge badge-info' },
        t('intake.history_summary', { n: items.length, open: open.length }))
      : h('span', { class: 'badge' }, t('intake.history_summary_none')));
    if (!items.length) { mount(history, h('p', { class: 'muted' }, t('intake.history_none'))); return; }
    mount(history,
      open.length ? [h('h3', null, t('intake.history_open', { n: open.length })), historyList(open)] : null,
      past.length ? [h('h3', null, t('intake.history_past', { n: past.length })), historyList(past)] : null);
  }

  // ---- after registering: the number to read back ----
  const column = h('div', { class: 'intake-main' }, form);
  function showDone(c) {
    const running = (c.clocks || []).filter((k) => ['running', 'due_soon', 'paused'].includes(k.state) && k.due_at);
    const answer = ANSWER_CLOCKS.map((n) => running.find((k) => k.clock === n)).find(Boolean);
    const uploads = h('ul', { class: 'items uploads' });
    const again = h('button', { type: 'button', class: 'primary', 'data-testid': 'intake-new',
      onclick: () => { for (const p of pending) if (p.url) URL.revokeObjectURL(p.url); renderIntake(main, params, query, session); } },
    t('intake.new'));
    const done = h('div', { class: 'callout intake-done', role: 'status', 'data-testid': 'intake-done' },
      h('h2', null, t('intake.done_title')),
      h('p', { class: 'muted small' }, t('intake.number_label')),
      h('p', { class: 'big-number', 'data-testid': 'intake-number' }, c.number),
      h('p', { class: 'read-back' }, t('intake.read_back')),
      answer ? h('p', { class: 'answer-by' }, t('intake.answer_by', { time: dateTime(answer.due_at) })) : null,
      running.length ? [h('h3', null, t('intake.promises')),
        h('dl', { class: 'facts' }, running.map((k) => [
          h('dt', null, tEnum('clock', k.clock)),
          h('dd', null, dateTime(k.due_at), ' ', h('span', { class: 'muted small' }, relative(k.due_at))),
        ]))] : null,
      h('p', null, statusBadge(c.status), ' ', gradeBadge(c.grade), ' ', h('span', { class: 'muted' }, c.subject)),
      pending.length ? uploads : null,
      h('div', { class: 'form-actions' }, again,
        h('a', { class: 'button', href: link(`/complaints/${c.number}`) }, t('intake.open_complaint'))));
    mount(column, done);
    again.focus();
    uploadAll(c.number, uploads);
  }

  async function uploadAll(number, list) {
    for (const p of pending) {
      const state = h('span', { class: 'muted' }, t('intake.uploading'));
      list.append(h('li', { class: 'upload' }, h('span', { class: 'file-name' }, p.file.name), ' ', state));
      try {
        await api('POST', `/api/complaints/${enc(number)}/attachments?name=${enc(p.file.name)}`, p.file,
          { raw: true, type: p.file.type || 'application/octet-stream' });
        mount(state, h('span', { class: 'badge badge-ok' }, t('intake.uploaded')));
      } catch (err) {
        mount(state, h('span', { class: 'badge badge-bad' }, t('intake.upload_failed', { reason: err.message })));
      }
    }
  }

  mount(main, h('section', { class: 'page intake' },
    h('div', { class: 'page-head' }, h('h1', { id: 'intake-h1' }, t('intake.title'))),
    mine.length === 0 ? h('p', { class: 'form-error', role: 'alert' }, t('intake.no_projects')) : null,
    h('div', { class: 'grid grid-side' }, column, aside)));
  idle();
  if (query?.get('phone')) { phoneInput.value = query.get('phone'); phoneInput.dispatchEvent(new Event('input')); }
  phoneInput.focus();
}

function historyList(items) {
  return h('ul', { class: 'items' }, items.map((i) => h('li', null,
    h('div', { class: 'hist-head' },
      h('a', { href: link(`/complaints/${i.number}`), target: '_blank', rel: 'noopener' }, i.number),
      statusBadge(i.status), gradeBadge(i.grade)),
    h('div', { class: 'item-title' }, i.subject),
    h('div', { class: 'muted small' },
      [date(i.received_at), i.project,
        i.satisfaction ? t('intake.satisfaction', { s: tEnum('satisfaction', i.satisfaction) }) : null,
        Number(i.compensation) > 0 ? t('intake.compensation', { amount: money(i.compensation) }) : null,
      ].filter(Boolean).join(' · ')))));
}

// The flat form values, nested the way POST /api/complaints takes them.
function complaintBody(v) {
  const complainant = { anonymous: Boolean(v['complainant.anonymous']) };
  for (const k of ['name', 'phone', 'email', 'role']) {
    if (v[`complainant.${k}`] !== undefined) complainant[k] = v[`complainant.${k}`];
  }
  const body = { channel: v.channel, kind: v.kind, project: v.project, complainant,
    subject: v.subject, content: v.content, flags: {} };
  for (const k of ['comm_type', 'building', 'unit', 'demands', 'category', 'subcategory']) {
    if (v[k] !== undefined) body[k] = v[k];
  }
  if (v.received_at) body.received_at = fromLocalInput(v.received_at);
  if (v.headcount !== undefined) body.headcount = v.headcount;
  for (const f of FLAGS) body.flags[f] = Boolean(v[`flags.${f}`]);
  return body;
}

function focusNext(form, el) {
  const all = [...form.elements].filter((x) => !x.disabled && x.type !== 'hidden' && x.tagName !== 'FIELDSET' && x.offsetParent !== null);
  const next = all[all.indexOf(el) + 1];
  if (next) next.focus();
}

function fileBadge(file) {
  const ext = (file.name.split('.').pop() || '').slice(0, 4).toUpperCase();
  return ext || '📄';
}

function newKey() {
  if (crypto.randomUUID) return `intake-${crypto.randomUUID()}`;
  return `intake-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
