// The string catalog. Chinese (Simplified) is the default; English is one
// click away and remembered in this browser. Every string the front end
// shows comes from a catalog module under js/strings/, registered here; a
// test (tests/web/catalog.test.mjs) checks that every key used has both
// languages.

const catalog = { zh: Object.create(null), en: Object.create(null) };
const listeners = new Set();
const STORE_KEY = 'kesu.lang';

let current = pickInitial();

function pickInitial() {
  try {
    const saved = localStorage.getItem(STORE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch { /* storage may be off (private mode in some in-app browsers) */ }
  return 'zh';
}

// Add a module's strings: { zh: { key: '…' }, en: { key: '…' } }.
export function register(strings) {
  for (const lang of ['zh', 'en']) Object.assign(catalog[lang], strings[lang] || {});
}

export const lang = () => current;

export function setLang(l) {
  if (l !== 'zh' && l !== 'en' || l === current) return;
  current = l;
  try { localStorage.setItem(STORE_KEY, l); } catch { /* see pickInitial */ }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const fn of listeners) fn(l);
}

// Called after every language change (the app re-renders the page).
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// t("list.count", { n: 3 }) → '共 3 条'. Placeholders are {name}. A key
// missing from the catalog shows as itself, so it is seen and fixed.
export function t(key, vars) {
  let s = catalog[current][key] ?? catalog.zh[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// Whether a key exists (for optional labels such as a reason code).
export const has = (key) => key in catalog[current] || key in catalog.zh;

// A label for an enumerated value: tEnum('status', 'in_progress') → '处理中'.
// Unknown values show as they are.
export function tEnum(kind, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `${kind}.${value}`;
  return has(key) ? t(key) : String(value);
}

// The name to show of something with name_zh / name_en.
export const nameOf = (o) => (o ? (current === 'en' ? o.name_en || o.name_zh : o.name_zh || o.name_en) || o.name || o.code : '');

document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
