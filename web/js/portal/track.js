// '#/track': a customer follows a complaint with its number and the phone
// number they gave — where it stands, our answers, the result — confirms
// the result and rates the handling. Only what POST /api/portal/track
// returns is shown; nothing internal exists here to show.
import { h, mount, $, toast } from '../dom.js';
import { t, tEnum } from '../i18n.js';
import { post, enc } from '../api.js';
import { field, values, showError } from '../form.js';
import { dateTime } from '../fmt.js';
import {
  remember, recall, TRACK_KEY, cleanNumber, errorText, formError, checkRequired, busy, zoneReady,
} from './util.js';

// The number and phone being followed ({number, phone}), mirrored in
// sessionStorage so a reload keeps the view; never in the URL.
let creds = null;
let last = null; // the last view shown for `creds`

// Called by the filing screen's "follow it" button.
export function prefill(number, phone) {
  creds = { number, phone };
  last = null;
}

function forget() {
  creds = null;
  last = null;
  remember(TRACK_KEY, null);
}

export async function render(view) {
  if (!creds) creds = recall(TRACK_KEY);
  if (!creds?.number || !creds?.phone) { creds = null; renderForm(view); return; }
  if (last && last.number === creds.number) showView(view, last);
  else mount(view, page(h('div', { class: 'card portal-loading', role: 'status' }, t('portal.track.loading'))));
  try {
    const [v] = await Promise.all([post('/api/portal/track', { number: creds.number, phone: creds.phone }), zoneReady]);
    if (!view.isConnected) return;
    last = v;
    showView(view, v);
  } catch (err) {
    if (!view.isConnected) return;
    const known = creds;
    if (err?.status === 404) forget();
    const form = renderForm(view, known);
    showError(form, { message: err?.status === 404 ? t('portal.track.not_found') : errorText(err) });
  }
}

function page(...children) {
  return h('section', { class: 'page portal-track' },
    h('h1', { id: 'track-title' }, t('portal.track.title')), children);
}

// Number and phone; the answer replaces the form.
function renderForm(view, fill = null) {
  const form = h('form', { class: 'card portal-form', novalidate: true, 'aria-labelledby': 'track-title' },
    h('p', { class: 'muted' }, t('portal.track.intro')),
    field({
      name: 'number', label: t('portal.track.number'), required: true, value: fill?.number || '',
      hint: t('portal.track.number_hint'),
      attrs: { autocapitalize: 'characters', autocomplete: 'off', spellcheck: 'false', maxlength: 40, enterkeyhint: 'next' },
    }),
    field({
      name: 'phone', label: t('portal.track.phone'), type: 'tel', required: true, value: fill?.phone || '',
      attrs: { inputmode: 'numeric', autocomplete: 'tel', maxlength: 30, enterkeyhint: 'search' },
    }),
    h('button', { type: 'submit', class: 'primary wide' }, t('portal.track.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!checkRequired(form, ['number', 'phone'])) return;
    const v = values(form);
    const ask = { number: cleanNumber(v.number), phone: v.phone };
    await busy(form, async () => {
      let res;
      try {
        [res] = await Promise.all([post('/api/portal/track', ask), zoneReady]);
      } catch (err) {
        if (err?.status !== 404) throw err;
        showError(form, { message: t('portal.track.not_found') });
        return;
      }
      creds = ask;
      last = res;
      remember(TRACK_KEY, creds);
      showView(view, res);
      focusHeading(view);
    });
  });
  mount(view, page(form));
  return form;
}

function focusHeading(view) {
  const hd = $('.portal-status h2', view);
  if (hd) { hd.tabIndex = -1; hd.focus(); }
}

// received/registered → 已受理, in_progress → 处理中, resolved → 已解决,
// closed and later (and invalid) → 已关闭.
const STEP = { received: 0, registered: 0, in_progress: 1, resolved: 2, closed: 3, followed_up: 3, archived: 3, invalid: 3 };
const stepLabels = () => [t('portal.step.accepted'), t('portal.step.handling'), t('portal.step.resolved'), t('portal.step.closed')];
const stateText = (status) => ({
  received: t('portal.state.received'),
  registered: t('portal.state.registered'),
  in_progress: t('portal.state.in_progress'),
  resolved: t('portal.state.resolved'),
  invalid: t('portal.state.invalid'),
}[status] || t('portal.state.closed'));

function steps(status) {
  const at = STEP[status] ?? 0;
  const labels = stepLabels();
  return h('ol', { class: 'portal-steps', 'aria-label': t('portal.track.steps') },
    labels.map((label, i) => h('li', {
      class: i < at ? 'done' : i === at ? 'current' : 'todo',
      'aria-current': i === at ? 'step' : null,
    }, h('span', { class: 'portal-step-dot', 'aria-hidden': 'true' }, i < at ? '✓' : String(i + 1)),
    h('span', { class: 'portal-step-label' }, label))));
}

function showView(view, v) {
  const at = STEP[v.status] ?? 0;
  const statusCard = h('section', { class: 'card portal-status' },
    h('h2', { class: 'portal-number' }, v.number),
    steps(v.status),
    h('p', { class: 'portal-state' },
      h('strong', null, t('portal.track.now', { state: stepLabels()[at] })), ' ', stateText(v.status)),
    v.next_answer_by ? h('p', { class: 'portal-next' }, t('portal.track.next_answer', { time: dateTime(v.next_answer_by) })) : null);

  const resolution = v.resolution ? [
    h('p', { class: 'pre' }, v.resolution.text),
    h('p', { class: 'muted small' }, dateTime(v.resolution.at)),
  ] : null;

  const bar = h('div', { class: 'portal-lookup' },
    h('button', {
      type: 'button', class: 'link-button',
      onclick: () => { forget(); renderForm(view); $('input', view)?.focus(); },
    }, t('portal.track.other')));

  mount(view, page(
    bar,
    statusCard,
    v.can_confirm ? confirmCard(view, v, resolution) : null,
    !v.can_confirm && resolution ? h('section', { class: 'card portal-resolution' },
      h('h2', null, t('portal.track.resolution')), resolution) : null,
    v.rating ? ratingShown(v.rating) : v.can_rate ? rateCard(view, v) : null,
    h('section', { class: 'card portal-replies' },
      h('h2', null, t('portal.track.replies')),
      v.replies?.length
        ? h('ol', { class: 'timeline' }, v.replies.map((r) => h('li', { class: 'ev-customer' },
          h('div', { class: 'ev-head' }, dateTime(r.at)),
          h('div', { class: 'ev-body' }, r.text))))
        : h('p', { class: 'muted' }, t('portal.track.no_replies'))),
    details(v)));
}

function details(v) {
  const place = [v.building, v.unit].filter(Boolean).join(' ');
  const row = (label, value, cls) => (value === null || value === undefined || value === '' ? null
    : [h('dt', null, label), h('dd', { class: cls }, value)]);
  return h('section', { class: 'card portal-details' },
    h('h2', null, t('portal.track.details')),
    h('dl', { class: 'facts' },
      row(t('portal.track.number_label'), v.number),
      row(t('portal.track.received_at'), dateTime(v.received_at)),
      row(t('portal.track.project'), v.project?.name),
      row(t('portal.track.place'), place),
      row(t('portal.track.phone_label'), v.phone),
      row(t('portal.track.photos'), v.photos ? t('portal.track.photos_n', { n: v.photos }) : null),
      row(t('portal.track.subject'), v.subject),
      row(t('portal.track.content'), v.content, 'pre'),
      row(t('portal.track.demands'), v.demands, 'pre')));
}

// After a confirmation or a rating: the new view, a thank-you, focus on top.
function updated(view, v, message) {
  last = v;
  showView(view, v);
  toast(message, 'ok');
  focusHeading(view);
}

async function act(view, form, path, body, message) {
  await busy(form, async () => {
    let v;
    try {
      v = await post(`/api/portal/complaints/${enc(creds.number)}/${path}`, { phone: creds.phone, ...body });
    } catch (err) {
      if (err?.status === 404) { forget(); showError(form, { message: t('portal.track.not_found') }); return; }
      throw err;
    }
    updated(view, v, message);
  });
}

// Resolved: "确认已解决", or "还没解决" with what is still wrong.
function confirmCard(view, v, resolution) {
  const form = h('form', { class: 'portal-form', novalidate: true });
  const choose = () => mount(form,
    h('div', { class: 'portal-actions' },
      h('button', {
        type: 'button', class: 'primary wide',
        onclick: () => act(view, form, 'confirm', { accept: true }, t('portal.confirm.thanks')),
      }, t('portal.confirm.yes')),
      h('button', {
        type: 'button', class: 'wide',
        onclick: () => { explain(); form.querySelector('textarea').focus(); },
      }, t('portal.confirm.no'))));
  const explain = () => mount(form,
    field({ name: 'comment', label: t('portal.confirm.comment'), type: 'textarea', rows: 3, required: true, attrs: { maxlength: 2000 } }),
    h('div', { class: 'portal-actions' },
      h('button', { type: 'submit', class: 'primary wide' }, t('portal.confirm.send')),
      h('button', { type: 'button', class: 'wide', onclick: () => { choose(); form.querySelector('button').focus(); } }, t('common.cancel'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!checkRequired(form, ['comment'])) return;
    act(view, form, 'confirm', { accept: false, comment: values(form).comment }, t('portal.confirm.reopened'));
  });
  choose();
  return h('section', { class: 'card portal-confirm' },
    h('h2', null, t('portal.confirm.title')),
    resolution,
    h('p', { class: 'portal-ask' }, t('portal.confirm.ask')),
    form);
}

const SATISFACTION = ['satisfied', 'fair', 'dissatisfied'];

// Closed and not yet rated: 满意 / 基本满意 / 不满意 and a comment.
function rateCard(view) {
  const errId = 'satisfaction-err';
  const form = h('form', { class: 'portal-form', novalidate: true },
    h('fieldset', { class: 'field portal-choices', dataset: { field: 'satisfaction' }, 'aria-describedby': errId },
      h('legend', null, t('portal.rate.question'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      h('div', { class: 'portal-choice-list' }, SATISFACTION.map((s) => h('label', { class: 'portal-choice' },
        h('input', { type: 'radio', name: 'satisfaction', value: s, required: true }),
        h('span', null, tEnum('satisfaction', s))))),
      h('p', { class: 'field-error', id: errId, role: 'alert' })),
    field({ name: 'comment', label: t('portal.rate.comment'), type: 'textarea', rows: 3, hint: t('portal.rate.comment_hint'), attrs: { maxlength: 500 } }),
    h('button', { type: 'submit', class: 'primary wide' }, t('portal.rate.submit')));
  form.addEventListener('change', (ev) => {
    if (ev.target.name === 'satisfaction') { form.querySelector(`#${errId}`).textContent = ''; }
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const chosen = form.querySelector('input[name="satisfaction"]:checked');
    if (!chosen) {
      formError(form, { field: 'satisfaction', message: t('portal.required_choice') });
      return;
    }
    const comment = form.querySelector('textarea[name="comment"]').value.trim();
    act(view, form, 'rating', { satisfaction: chosen.value, ...(comment ? { comment } : {}) }, t('portal.rate.thanks'));
  });
  return h('section', { class: 'card portal-rate' }, h('h2', null, t('portal.rate.title')), form);
}

function ratingShown(r) {
  return h('section', { class: 'card portal-rating' },
    h('h2', null, t('portal.rate.yours')),
    h('p', { class: 'portal-rating-value' }, h('strong', null, tEnum('satisfaction', r.satisfaction))),
    r.comment ? h('p', { class: 'pre' }, r.comment) : null,
    r.at ? h('p', { class: 'muted small' }, t('portal.rate.at', { time: dateTime(r.at) })) : null);
}
