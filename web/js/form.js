// Forms: every field has a visible label tied to it, an optional hint and a
// place for the error the API names for it ("complainant.phone" → the field
// named so), announced to screen readers.
import { h, uid, $$, toast } from './dom.js';
import { t } from './i18n.js';

// field({ name, label, type, required, options: [[value, label]…], hint, value, attrs })
// type: text (default), textarea, select, number, tel, email, date,
// datetime-local, checkbox, password, file.
export function field(spec) {
  const id = spec.id || uid(spec.name?.replace(/\W/g, '-') || 'f');
  const errId = `${id}-err`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const described = [hintId, errId].filter(Boolean).join(' ');
  const common = {
    id, name: spec.name, required: spec.required, 'aria-describedby': described,
    ...(spec.attrs || {}),
  };
  let input;
  if (spec.type === 'textarea') {
    input = h('textarea', { rows: spec.rows || 4, ...common }, spec.value ?? '');
  } else if (spec.type === 'select') {
    input = h('select', common, (spec.options || []).map(([v, label]) =>
      h('option', { value: v, selected: String(spec.value ?? '') === String(v) }, label)));
  } else if (spec.type === 'checkbox') {
    input = h('input', { type: 'checkbox', checked: Boolean(spec.value), ...common });
    return h('div', { class: ['field', 'field-check'], dataset: { field: spec.name } },
      input, h('label', { for: id }, spec.label),
      spec.hint && h('p', { class: 'hint', id: hintId }, spec.hint),
      h('p', { class: 'field-error', id: errId, role: 'alert' }));
  } else {
    input = h('input', { type: spec.type || 'text', value: spec.value ?? '', ...common });
  }
  return h('div', { class: 'field', dataset: { field: spec.name } },
    h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    spec.hint && h('p', { class: 'hint', id: hintId }, spec.hint),
    h('p', { class: 'field-error', id: errId, role: 'alert' }));
}

// Clear every error shown in a form.
export function clearErrors(form) {
  for (const p of $$('.field-error', form)) p.textContent = '';
  for (const el of $$('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
  const banner = form.querySelector('.form-error');
  if (banner) banner.textContent = '';
}

// Show an ApiError next to the field it names (trying "a.b", then "b"),
// otherwise in the form's banner. Focuses the field.
export function showError(form, err) {
  clearErrors(form);
  const message = err?.message || t('error.generic');
  const names = err?.field ? [err.field, err.field.split('.').pop()] : [];
  for (const name of names) {
    const box = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
    if (!box) continue;
    const p = box.querySelector('.field-error');
    p.textContent = message;
    const input = box.querySelector('input, select, textarea');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    return;
  }
  let banner = form.querySelector('.form-error');
  if (!banner) {
    banner = h('p', { class: 'form-error', role: 'alert' });
    const heading = form.querySelector('h1, h2, h3');
    if (heading) heading.after(banner); else form.prepend(banner);
  }
  banner.textContent = err?.field ? `${err.field}: ${message}` : message;
}

// The values of a form's named fields: checkboxes as booleans, number inputs
// as numbers, empty text left out.
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') { if (el.checked) out[el.name] = el.value; }
    else if (el.type === 'number') { if (el.value !== '') out[el.name] = Number(el.value); }
    else if (el.type === 'file') continue;
    else if (el.value !== '') out[el.name] = el.value;
  }
  return out;
}

// Run `action` on submit with the button disabled (no double submits), show
// the API's error where it belongs, or toast `done` on success.
export function onSubmit(form, action, done) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = $$('button[type=submit]', form);
    buttons.forEach((b) => { b.disabled = true; });
    clearErrors(form);
    try {
      const result = await action(values(form), form);
      if (done) toast(typeof done === 'function' ? done(result) : done, 'ok');
    } catch (err) {
      showError(form, err);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return form;
}
