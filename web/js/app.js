// The staff workspace: sign in, then the shell (navigation, language,
// notifications) around the page the hash names.
import { h, mount, $ } from './dom.js';
import { t, register, setLang, lang, onLangChange } from './i18n.js';
import { get, post, del, whenSignedOut } from './api.js';
import { session, loadSession, clearSession } from './session.js';
import { route, match, current, setNotFound } from './router.js';
import { setOffsetFrom } from './fmt.js';
import { field, onSubmit } from './form.js';
import common from './strings/common.js';
import * as home from './pages/home.js';
import * as intake from './pages/intake.js';
import * as list from './pages/list.js';
import * as complaint from './pages/complaint.js';
import * as admin from './pages/admin/index.js';

const modules = [home, intake, list, complaint, admin];
register(common);
for (const m of modules) if (m.strings) register(m.strings);

const nav = [];
for (const m of modules) {
  for (const r of m.routes || []) {
    route(r.path, r.render);
    if (r.nav) nav.push({ path: r.path, ...r.nav });
  }
}
nav.sort((a, b) => (a.order || 0) - (b.order || 0));

setNotFound((main) => mount(main, h('section', { class: 'page' },
  h('h1', null, t('page.not_found')), h('p', null, h('a', { href: '#/' }, t('nav.home'))))));

const root = () => $('#app');
let renderSeq = 0;
let unreadTimer = 0;

// Show the page the hash names inside the shell.
async function renderPage() {
  const main = $('#main');
  if (!main || !session.user) return;
  const seq = ++renderSeq;
  const { path, query } = current();
  const { route: r, params } = match(path);
  markNav(path);
  main.setAttribute('aria-busy', 'true');
  try {
    await r.render(main, params, query, session);
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err?.status === 401) return;
    mount(main, h('section', { class: 'page' },
      h('h1', null, err?.status === 404 ? t('page.not_found') : t('error.page')),
      h('p', { class: 'form-error', role: 'alert' }, err?.message || String(err))));
  } finally {
    if (seq === renderSeq) {
      main.removeAttribute('aria-busy');
      // bench/web.mjs reads this: how long the page took to become usable
      performance.mark('kesu:rendered', { detail: path });
    }
  }
  if (seq === renderSeq && !main.contains(document.activeElement)) {
    const heading = main.querySelector('h1');
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
}

function markNav(path) {
  for (const a of document.querySelectorAll('.nav a')) {
    const target = a.getAttribute('href').slice(1);
    const on = target === '/' ? path === '/' : path === target || path.startsWith(`${target}/`);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function langSwitch() {
  return h('button', {
    type: 'button', class: 'lang-switch', 'data-testid': 'lang-switch',
    'aria-label': t('lang.switch_label'),
    onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh'),
  }, lang() === 'zh' ? 'English' : '中文');
}

async function refreshUnread() {
  const badge = $('#unread');
  if (!badge || !session.user) return;
  try {
    const { unread } = await get('/api/notifications/unread-count');
    badge.textContent = unread > 0 ? String(unread > 99 ? '99+' : unread) : '';
    badge.hidden = unread === 0;
    badge.setAttribute('aria-label', t('nav.unread', { n: unread }));
  } catch { /* shown again on the next poll */ }
}

function shell() {
  const links = nav.filter((n) => !n.perm || [].concat(n.perm).some((p) => session.can(p)));
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '客'), t('app.name')),
    h('nav', { class: 'nav', 'aria-label': t('nav.label') },
      links.map((n) => h('a', { href: `#${n.path}`, 'data-nav': n.path }, t(n.key),
        n.path === '/' ? h('span', { id: 'unread', class: 'badge-count', hidden: true }) : null))),
    h('div', { class: 'topbar-end' },
      langSwitch(),
      h('span', { class: 'who', title: session.user.login }, session.user.name),
      h('button', { type: 'button', class: 'link-button', onclick: signOut }, t('nav.sign_out'))));
  mount(root(), h('a', { class: 'skip', href: '#main' }, t('nav.skip')), header,
    h('main', { id: 'main', tabindex: '-1' }));
  clearInterval(unreadTimer);
  refreshUnread();
  unreadTimer = setInterval(refreshUnread, 30_000);
}

async function signOut() {
  try { await del('/api/session'); } catch { /* signed out anyway */ }
  clearSession();
  clearInterval(unreadTimer);
  showLogin();
}

function showLogin(message) {
  const form = h('form', { class: 'card login-card', novalidate: true, 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('login.title')),
    message ? h('p', { class: 'form-error', role: 'alert' }, message) : null,
    field({ name: 'login', label: t('login.login'), required: true, attrs: { autocomplete: 'username', autofocus: true } }),
    field({ name: 'password', label: t('login.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    h('button', { type: 'submit', class: 'primary wide' }, t('login.submit')));
  onSubmit(form, async (v) => {
    await post('/api/session', { login: v.login || '', password: v.password || '' }, { quiet401: true });
    await loadSession();
    shell();
    renderPage();
  });
  mount(root(), h('div', { class: 'login-page' },
    h('div', { class: 'login-head' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '客'),
      h('span', null, t('app.name')), langSwitch()),
    form,
    h('p', { class: 'muted center' }, h('a', { href: '/portal' }, t('login.portal_link')))));
  form.querySelector('input')?.focus();
}

whenSignedOut(() => {
  if (!session.user) return;
  clearSession();
  showLogin(t('login.expired'));
});

onLangChange(() => {
  if (session.user) { shell(); renderPage(); } else showLogin();
});

window.addEventListener('hashchange', renderPage);

async function start() {
  try { setOffsetFrom((await get('/api/health')).time); } catch { /* keep +08:00 */ }
  try {
    await loadSession();
  } catch (err) {
    if (err?.status === 401) { showLogin(); return; }
    mount(root(), h('p', { class: 'form-error', role: 'alert' }, t('error.offline')));
    return;
  }
  shell();
  renderPage();
}

// Pages dispatch 'kesu:unread' after something that may change the count.
document.addEventListener('kesu:unread', refreshUnread);

start();
