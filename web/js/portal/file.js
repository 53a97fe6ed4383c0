// '#/': a customer files a complaint from a phone — where, what, photos,
// how to reach them — then gets the number to follow it with.
import { h, mount, $, $$ } from '../dom.js';
import { t, lang, nameOf } from '../i18n.js';
import { api, post, enc } from '../api.js';
import { field, values } from '../form.js';
import { dateTime, bytes } from '../fmt.js';
import { go } from '../router.js';
import {
  loadForm, loadUnits, remember, recall, FILED_KEY, TRACK_KEY, phoneHeader,
  errorText, formError, checkRequired, loadFailed, zoneReady,
} from './util.js';
import { prefill } from './track.js';

// What the customer typed so far: kept while the page lives, so a
// language switch (which renders the view again) loses nothing.
const draft = { values: {}, photos: [] }; // photos: [{ file, type, url }]
let sending = false;
let progressText = '';
// The complaint just filed ({number, answer_by, phone, uploaded, failed,
// reason}); kept for this tab so a reload still shows the number.
let filed = recall(FILED_KEY);
let failedPhotos = []; // photos to upload again (this page's life only)
let viewEl = null;
// How many photos, how big (from GET /api/portal/form).
let formLimits = { photos_max: 6, attachment_max: 20 * 1024 * 1024 };

const FIELDS = ['project', 'building', 'unit', 'name', 'phone', 'subject', 'content', 'demands', 'category'];
const REQUIRED = ['project', 'phone', 'subject', 'content'];

export async function render(view) {
  viewEl = view;
  if (filed && !sending) { renderDone(view); return; }
  await renderForm(view);
}

async function rerender() {
  if (viewEl?.isConnected && (location.hash.replace(/^#/, '') || '/') === '/') await render(viewEl);
}

// <select> options from [[value, label]…], keeping `value` if offered.
function setOptions(select, options, value, enabled = true) {
  select.replaceChildren(...options.map(([v, label]) => h('option', { value: v }, label)));
  select.value = options.some(([v]) => v === value) ? value : options[0]?.[0] ?? '';
  select.disabled = !enabled;
}

async function renderForm(view) {
  const fld = (spec) => field({ ...spec, value: draft.values[spec.name] ?? '' });
  const loading = [['', t('common.loading')]];
  const project = field({ name: 'project', label: t('portal.file.project'), type: 'select', required: true, options: loading });
  const building = field({ name: 'building', label: t('portal.file.building'), type: 'select', options: loading });
  const unit = field({ name: 'unit', label: t('portal.file.unit'), type: 'select', options: loading });
  const category = field({ name: 'category', label: t('portal.file.category'), type: 'select', options: loading, hint: ' ' });
  const sel = (f) => f.querySelector('select');
  [project, building, unit, category].forEach((f) => { sel(f).disabled = true; });

  const photoError = h('p', { class: 'field-error', id: 'photos-err', role: 'alert' });
  const photoCount = h('p', { class: 'hint', id: 'photos-count' });
  const thumbs = h('ul', { class: 'thumbs portal-thumbs', 'aria-describedby': 'photos-count' });
  const photoHint = h('p', { class: 'hint' });
  const pick = (key, capture) => h('label', { class: 'button portal-pick' },
    h('input', {
      type: 'file', accept: 'image/*', multiple: !capture, capture: capture ? 'environment' : null,
      class: 'portal-file-input', 'aria-describedby': 'photos-err photos-count',
      onchange: (ev) => addPhotos(ev.target),
    }),
    h('span', null, t(key)));

  const progress = h('p', { class: 'portal-progress', role: 'status', 'aria-live': 'polite' }, progressText);
  const submit = h('button', { type: 'submit', class: 'primary wide', disabled: sending }, t('portal.file.submit'));

  const form = h('form', { class: 'portal-form', novalidate: true, 'aria-labelledby': 'file-title' },
    h('p', { class: 'small muted' }, t('portal.required_note')),
    h('fieldset', null, h('legend', null, t('portal.file.where')), project, building, unit),
    h('fieldset', null, h('legend', null, t('portal.file.what')),
      category,
      fld({ name: 'subject', label: t('portal.file.subject'), required: true, hint: t('portal.file.subject_hint'), attrs: { maxlength: 100, enterkeyhint: 'next' } }),
      fld({ name: 'content', label: t('portal.file.content'), type: 'textarea', rows: 5, required: true, hint: t('portal.file.content_hint'), attrs: { maxlength: 20000 } }),
      fld({ name: 'demands', label: t('portal.file.demands'), type: 'textarea', rows: 3, hint: t('portal.file.demands_hint'), attrs: { maxlength: 2000 } })),
    h('fieldset', { class: 'portal-photos', dataset: { field: 'photos' } },
      h('legend', null, t('portal.photos.legend')),
      photoHint,
      h('div', { class: 'portal-picks' }, pick('portal.photos.camera', true), pick('portal.photos.gallery', false)),
      thumbs, photoCount, photoError),
    h('fieldset', null, h('legend', null, t('portal.file.contact')),
      fld({ name: 'name', label: t('portal.file.name'), hint: t('portal.file.name_hint'), attrs: { maxlength: 50, autocomplete: 'name' } }),
      fld({ name: 'phone', label: t('portal.file.phone'), type: 'tel', required: true, hint: t('portal.file.phone_hint'), attrs: { inputmode: 'numeric', autocomplete: 'tel', maxlength: 30 } })),
    h('div', { class: 'portal-submit' }, submit, progress));

  mount(view, h('section', { class: 'page portal-file' },
    h('h1', { id: 'file-title' }, t('portal.file.title')),
    h('p', { class: 'muted' }, t('portal.file.intro')),
    form));

  let data = null;
  let unitSeq = 0;

  const fillUnits = async () => {
    const b = draft.values.building;
    const s = sel(unit);
    if (!b) { setOptions(s, [['', t('portal.file.building_first')]], '', false); return; }
    setOptions(s, loading, '', false);
    const seq = ++unitSeq;
    let items;
    try {
      items = await loadUnits(draft.values.project, b);
    } catch (err) {
      if (seq === unitSeq) setOptions(s, [['', errorText(err)]], '', false);
      return;
    }
    if (seq !== unitSeq) return;
    if (!items.length) setOptions(s, [['', t('portal.none_option')]], '', false);
    else setOptions(s, [['', t('portal.select')], ...items.map((u) => [u, u])], draft.values.unit);
    draft.values.unit = s.value;
  };

  const fillBuildings = () => {
    const p = data.projects.find((x) => x.code === draft.values.project);
    const s = sel(building);
    if (!p) setOptions(s, [['', t('portal.file.project_first')]], '', false);
    else if (!p.buildings?.length) setOptions(s, [['', t('portal.none_option')]], '', false);
    else setOptions(s, [['', t('portal.select')], ...p.buildings.map((b) => [b, b])], draft.values.building);
    draft.values.building = s.value;
    fillUnits();
  };

  const describe = () => {
    const c = data?.categories.find((x) => x.code === draft.values.category);
    const hint = category.querySelector('.hint');
    hint.textContent = c ? (lang() === 'en' ? c.description_en || c.description_zh : c.description_zh || c.description_en) || '' : '';
  };

  form.addEventListener('input', (ev) => {
    const el = ev.target;
    if (el.name && el.type !== 'file' && el.tagName !== 'SELECT') draft.values[el.name] = el.value;
  });
  form.addEventListener('change', (ev) => {
    const el = ev.target;
    if (!el.name || el.type === 'file') return;
    draft.values[el.name] = el.value;
    if (el.name === 'project') { draft.values.building = ''; draft.values.unit = ''; fillBuildings(); }
    else if (el.name === 'building') { draft.values.unit = ''; fillUnits(); }
    else if (el.name === 'category') describe();
  });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(form); });

  try {
    data = await loadForm();
  } catch (err) {
    if (form.isConnected) view.append(loadFailed(err, () => render(view)));
    return;
  }
  if (!form.isConnected) return;
  formLimits = data;
  if (data.projects.length === 1 && !draft.values.project) draft.values.project = data.projects[0].code;
  setOptions(sel(project), [['', t('portal.select')], ...data.projects.map((p) => [p.code, p.name])], draft.values.project);
  draft.values.project = sel(project).value;
  setOptions(sel(category), [['', t('portal.file.category_none')],
    ...data.categories.map((c) => [c.code, nameOf(c)])], draft.values.category);
  draft.values.category = sel(category).value;
  describe();
  fillBuildings();
  photoHint.textContent = t('portal.photos.hint', { max: data.photos_max, size: bytes(data.attachment_max) });
  showPhotos();
  if (sending) $$('button, input, select, textarea', form).forEach((el) => { el.disabled = true; });
}

// The photos chosen, as thumbnails with a remove button each.
function showPhotos() {
  const list = $('.portal-thumbs', viewEl);
  if (!list) return;
  const max = formLimits.photos_max;
  list.replaceChildren(...draft.photos.map((p, i) => h('li', null,
    h('img', { src: p.url, alt: t('portal.photos.alt', { n: i + 1 }) }),
    h('div', { class: 'file-name' }, bytes(p.file.size)),
    h('button', {
      type: 'button', class: 'small wide', 'aria-label': t('portal.photos.remove_label', { n: i + 1 }),
      disabled: sending,
      onclick: () => {
        URL.revokeObjectURL(p.url);
        draft.photos.splice(draft.photos.indexOf(p), 1);
        showPhotos();
        $('#photos-err', viewEl).textContent = '';
        $$('.portal-file-input', viewEl)[1]?.focus();
      },
    }, t('portal.photos.remove')))));
  $('#photos-count', viewEl).textContent = draft.photos.length ? t('portal.photos.count', { n: draft.photos.length, max }) : '';
  for (const input of $$('.portal-file-input', viewEl)) input.disabled = sending || draft.photos.length >= max;
}


// What a file really is, from its first bytes (the browser's type may be
// empty or wrong in in-app browsers); null when not a photo we can send.
async function sniff(file) {
  const b = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const ascii = (from, to) => String.fromCharCode(...b.slice(from, to));
  if (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) return 'image/jpeg';
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

async function addPhotos(input) {
  const files = [...input.files];
  input.value = '';
  const { photos_max: max, attachment_max: limit } = formLimits;
  const problems = [];
  for (const file of files) {
    if (draft.photos.length >= max) { problems.push(t('portal.photos.too_many', { max })); break; }
    if (file.size > limit) {
      problems.push(t('portal.photos.too_big', { name: file.name, size: bytes(file.size), max: bytes(limit) }));
      continue;
    }
    let type = null;
    try { type = await sniff(file); } catch { type = null; }
    if (!type) { problems.push(t('portal.photos.bad_type', { name: file.name })); continue; }
    draft.photos.push({ file, type, url: URL.createObjectURL(file) });
  }
  showPhotos();
  const err = $('#photos-err', viewEl);
  if (err) err.textContent = problems.join(' ');
}

function setProgress(text) {
  progressText = text;
  const p = $('.portal-progress', viewEl);
  if (p) p.textContent = text;
}

// A name the server takes: no slashes or control characters, ≤ 200 chars.
function photoName(p, i) {
  const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' }[p.type];
  const name = (p.file.name || '').replace(/[/\\\u0000-\u001F\u007F]/g, '_').trim().slice(-200);
  return name || `photo-${i + 1}.${ext}`;
}

// Upload photos one after the other, saying which one is on its way.
async function upload(number, phone, photos, say) {
  const failed = [];
  let reason = '';
  let done = 0;
  for (const [i, p] of photos.entries()) {
    say(t('portal.file.uploading', { i: i + 1, n: photos.length }));
    try {
      await api('POST', `/api/portal/complaints/${enc(number)}/attachments?name=${enc(photoName(p, i))}`, p.file,
        { raw: true, type: p.type, headers: { 'X-Kesu-Phone': phoneHeader(phone) } });
      done += 1;
    } catch (err) {
      failed.push(p);
      reason = errorText(err);
    }
  }
  return { done, failed, reason };
}

async function send(form) {
  if (sending) return;
  if (!checkRequired(form, REQUIRED)) return;
  const v = values(form);
  const body = { lang: lang() };
  for (const k of FIELDS) if (v[k] !== undefined) body[k] = v[k];
  sending = true;
  const controls = $$('button, input, select, textarea', form).filter((el) => !el.disabled);
  controls.forEach((el) => { el.disabled = true; });
  setProgress(t('portal.file.sending'));
  let res;
  try {
    res = await post('/api/portal/complaints', body);
  } catch (err) {
    sending = false;
    setProgress('');
    controls.forEach((el) => { el.disabled = false; });
    if (form.isConnected) formError(form, err);
    else { await rerender(); const f = $('form', viewEl); if (f) formError(f, err); }
    return;
  }
  filed = { number: res.number, answer_by: res.answer_by || null, phone: v.phone, uploaded: 0, failed: 0, reason: '' };
  remember(FILED_KEY, filed);
  const photos = draft.photos.slice();
  const r = await upload(res.number, v.phone, photos, setProgress);
  Object.assign(filed, { uploaded: r.done, failed: r.failed.length, reason: r.reason });
  remember(FILED_KEY, filed);
  failedPhotos = r.failed;
  for (const p of photos) if (!r.failed.includes(p)) URL.revokeObjectURL(p.url);
  draft.values = {};
  draft.photos = [];
  sending = false;
  setProgress('');
  await zoneReady;
  rerender();
  if (viewEl?.isConnected) {
    const heading = $('h1', viewEl);
    if (heading) { heading.tabIndex = -1; heading.focus(); }
    window.scrollTo(0, 0);
  }
}

// The number, big, to note down; when we will answer; where to follow it.
function renderDone(view) {
  const status = h('p', { class: 'portal-progress', role: 'status', 'aria-live': 'polite' });
  const retry = async (ev) => {
    ev.target.disabled = true;
    const r = await upload(filed.number, filed.phone, failedPhotos, (s) => { status.textContent = s; });
    failedPhotos.filter((p) => !r.failed.includes(p)).forEach((p) => URL.revokeObjectURL(p.url));
    failedPhotos = r.failed;
    Object.assign(filed, { uploaded: filed.uploaded + r.done, failed: r.failed.length, reason: r.reason });
    remember(FILED_KEY, filed);
    renderDone(view);
  };
  mount(view, h('section', { class: 'page portal-done' },
    h('h1', null, t('portal.done.title')),
    h('div', { class: 'callout' },
      h('p', null, t('portal.done.number_label')),
      h('p', { class: 'big-number', 'data-testid': 'complaint-number' }, filed.number),
      h('p', null, t('portal.done.keep')),
      h('p', { class: 'portal-answer' }, filed.answer_by
        ? t('portal.done.answer_by', { time: dateTime(filed.answer_by) }) : t('portal.done.answer_soon'))),
    filed.uploaded ? h('p', null, t('portal.done.photos_ok', { n: filed.uploaded })) : null,
    filed.failed ? h('div', { class: 'form-error', role: 'alert' },
      h('p', null, t('portal.done.photos_failed', { n: filed.failed, reason: filed.reason })),
      failedPhotos.length ? h('button', { type: 'button', onclick: retry }, t('portal.done.retry_photos')) : null) : null,
    status,
    h('div', { class: 'portal-actions' },
      h('button', {
        type: 'button', class: 'primary wide',
        onclick: () => {
          prefill(filed.number, filed.phone);
          remember(TRACK_KEY, { number: filed.number, phone: filed.phone });
          go('/track');
        },
      }, t('portal.done.track')),
      h('button', {
        type: 'button', class: 'wide',
        onclick: () => {
          filed = null;
          failedPhotos.forEach((p) => URL.revokeObjectURL(p.url));
          failedPhotos = [];
          remember(FILED_KEY, null);
          render(view).then(() => $('select, input', view)?.focus());
        },
      }, t('portal.done.again')))));
}
