// The customer portal (/portal): no login, a phone first, often inside
// WeChat's browser. Two views behind the hash: '#/' files a complaint,
// '#/track' follows one with its number and the phone number.
import { h, mount, $ } from '../dom.js';
import { t, register, setLang, lang, onLangChange } from '../i18n.js';
import { route, match, current, setNotFound } from '../router.js';
import common from '../strings/common.js';
import { strings } from './strings.js';
import * as fileView from './file.js';
import * as trackView from './track.js';

register(common);
register(strings);

const TABS = [
  { path: '/', key: 'portal.tab.file' },
  { path: '/track', key: 'portal.tab.track' },
];

route('/', fileView.render);
route('/track', trackView.render);
setNotFound((view) => mount(view, h('section', { class: 'page' },
  h('h1', null, t('portal.not_found')),
  h('p', null, h('a', { href: '#/' }, t('portal.go_file'))))));

let renderSeq = 0;
let lastPath = null;

function langSwitch() {
  return h('button', {
    type: 'button', class: 'lang-switch', 'data-testid': 'lang-switch',
    'aria-label': t('lang.switch_label'),
    onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh'),
  }, lang() === 'zh' ? 'English' : '中文');
}

function shell() {
  document.title = t('app.portal_name');
  mount($('#app'),
    h('header', { class: 'portal-head' },
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '客'),
        h('span', null, t('app.portal_name'))),
      langSwitch()),
    h('main', { id: 'main' },
      h('nav', { class: 'portal-tabs', 'aria-label': t('portal.tabs_label') },
        TABS.map((tab) => h('a', { href: `#${tab.path}`, 'data-path': tab.path }, t(tab.key)))),
      h('div', { id: 'view' })));
}

async function renderView() {
  const view = $('#view');
  if (!view) return;
  const seq = ++renderSeq;
  const { path, query } = current();
  const moved = lastPath !== null && lastPath !== path;
  lastPath = path;
  for (const a of document.querySelectorAll('.portal-tabs a')) {
    if (a.dataset.path === path) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const { route: r, params } = match(path);
  try {
    await r.render(view, params, query);
  } catch (err) {
    if (seq !== renderSeq) return;
    mount(view, h('section', { class: 'page' }, h('h1', null, t('error.page')),
      h('p', { class: 'form-error', role: 'alert' }, err?.message || String(err))));
  }
  if (seq === renderSeq && moved) {
    window.scrollTo(0, 0);
    const heading = view.querySelector('h1');
    if (heading && !view.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

onLangChange(() => { shell(); renderView(); });
window.addEventListener('hashchange', renderView);

shell();
renderView();
