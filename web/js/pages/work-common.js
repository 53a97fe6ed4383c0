// Pieces shared by the work pages (home, intake, list): reference data
// cached for the session, and the small badges every list shows. Their
// strings ('work.*') are in home.js, which the app registers.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, tEnum, lang } from '../i18n.js';

// Statuses in which a complaint still needs someone's work.
export const OPEN_STATUSES = ['received', 'registered', 'in_progress', 'resolved'];
export const isOpen = (status) => OPEN_STATUSES.includes(status);

// Projects and categories change rarely: fetched once per page load and kept
// here (a failure is not kept, so the next page tries again).
let refPromise = null;
export function refData() {
  if (!refPromise) {
    refPromise = Promise.all([get('/api/projects'), get('/api/categories')])
      .then(([p, c]) => ({ projects: p.items || [], categories: c.items || [] }))
      .catch((err) => { refPromise = null; throw err; });
  }
  return refPromise;
}

// The projects where the signed-in user holds `perm`, from the reference list.
export function projectsWith(projects, session, perm) {
  const allowed = session.projectsFor(perm);
  return allowed === '*' ? projects : projects.filter((p) => allowed.includes(p.code));
}

export const describe = (o) => (o ? (lang() === 'en' ? o.description_en || o.description_zh : o.description_zh || o.description_en) || '' : '');

export function statusBadge(status) {
  return h('span', { class: ['badge', `status-${status}`] }, tEnum('status', status));
}

export function gradeBadge(grade) {
  if (!grade) return null;
  return h('span', { class: ['badge', 'grade', `grade-${grade}`], title: t('work.grade', { g: grade }) }, grade);
}

// A skeleton line of the given width (em) that keeps the space of the text
// that will come, so nothing jumps when it arrives.
export const skel = (em = 8) => h('span', { class: 'skel', style: { width: `${em}em` }, 'aria-hidden': 'true' });
