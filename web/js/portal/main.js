// The customer portal — placeholder until built.
import { h, mount, $ } from '../dom.js';
import { t, register } from '../i18n.js';
import common from '../strings/common.js';

register(common);
mount($('#app'), h('h1', null, t('app.portal_name')));
