// What the portal's two views share: the form's reference data (loaded
// once per page), the number and phone kept for this tab only, and errors
// worded for a customer.
import { h, $$ } from '../dom.js';
import { t } from '../i18n.js';
import { get, enc } from '../api.js';
import { showError, clearErrors } from '../form.js';
import { setOffsetFrom } from '../fmt.js';

// The deployment's time zone, for the dates shown: views await this with
// their own data (it stays +08:00 if the server cannot be asked).
export const zoneReady = get('/api/health').then((d) => setOffsetFrom(d?.time)).catch(() => {});

let formData = null;
let formLoading = null;
const unitCache = new Map();

// GET /api/portal/form, once.
export function loadForm() {
  if (formData) return Promise.resolve(formData);
  if (!formLoading) {
    formLoading = get('/api/portal/form')
      .then((d) => { formData = d; return d; })
      .catch((err) => { formLoading = null; throw err; });
  }
  return formLoading;
}

// The units of a building, once per building.
export function loadUnits(project, building) {
  const key = `${project}\u0000${building}`;
  if (!unitCache.has(key)) {
    const p = get(`/api/portal/projects/${enc(project)}/units?building=${enc(building)}`)
      .then((d) => d?.items || [])
      .catch((err) => { unitCache.delete(key); throw err; });
    unitCache.set(key, p);
  }
  return unitCache.get(key);
}

// sessionStorage only: gone when the tab is closed, never in the URL.
// Some in-app browsers turn storage off; the portal works without it.
export function remember(key, value) {
  try {
    if (value === null || value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch { /* storage off */ }
}

export function recall(key) {
  try {
    const s = sessionStorage.getItem(key);
    return s ? JSON.parse(s) : null;
  } catch { return null; }
}

export const TRACK_KEY = 'kesu.portal.track';
export const FILED_KEY = 'kesu.portal.filed';

// Full-width digits and letters (typed on Chinese keyboards) as ASCII.
export function halfWidth(s) {
  return String(s || '').replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(/\u3000/g, ' ');
}

// A phone number as it can travel in a header (printable ASCII only).
export const phoneHeader = (phone) => halfWidth(phone).replace(/[^\x20-\x7E]/g, '').trim();

// "KS-2026-000123", however it was typed.
export const cleanNumber = (s) => halfWidth(s).replace(/\s+/g, '').toUpperCase();

// An error in a customer's words: too many tries, no network, or what the
// server said.
export function errorText(err) {
  if (err?.status === 429) {
    const wait = Number(err.retryAfter);
    if (wait > 0) {
      const w = wait < 60 ? t('portal.wait_seconds', { n: Math.ceil(wait) }) : t('portal.wait_minutes', { n: Math.ceil(wait / 60) });
      return t('portal.rate_limited_wait', { wait: w });
    }
    return t('portal.rate_limited');
  }
  if (err?.status === 0) return t('error.network');
  return err?.message || t('error.generic');
}

// Show an error in a form: next to the field the API names, else on top.
export function formError(form, err) {
  if (err?.status === 429 || err?.status === 0 || !err?.field) {
    showError(form, { message: errorText(err) });
  } else {
    showError(form, err);
  }
}

// Mark required fields left empty; true when all are there.
export function checkRequired(form, names) {
  clearErrors(form);
  let first = null;
  for (const name of names) {
    const box = form.querySelector(`.field[data-field="${name}"]`);
    const input = box?.querySelector('input, select, textarea');
    if (!input || input.value.trim() !== '') continue;
    box.querySelector('.field-error').textContent = input.tagName === 'SELECT' ? t('portal.required_choice') : t('portal.required');
    input.setAttribute('aria-invalid', 'true');
    first = first || input;
  }
  if (first) first.focus();
  return !first;
}

// Run an async action from a form: buttons disabled meanwhile, errors shown.
export async function busy(form, action) {
  const buttons = $$('button', form);
  buttons.forEach((b) => { b.disabled = true; });
  try {
    return await action();
  } catch (err) {
    formError(form, err);
    return undefined;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// A full-width block saying the view could not load, with a retry.
export function loadFailed(err, retry) {
  return h('div', { class: 'card portal-failed', role: 'alert' },
    h('p', null, err?.status === 429 ? errorText(err) : t('portal.load_failed')),
    h('button', { type: 'button', onclick: retry }, t('portal.retry')));
}
