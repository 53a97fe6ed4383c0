// complaint page — placeholder until built.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';

export const strings = { zh: {}, en: {} };

export const routes = [
  { path: '/complaints/', render: (main) => mount(main, h('section', { class: 'page' }, h('h1', null, t('nav.home')))) },
];
