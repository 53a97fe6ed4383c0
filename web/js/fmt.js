// Dates and times in the deployment's time zone (from the server, never the
// browser's), written the Chinese way: 2026年3月17日 09:30.
import { lang, t } from './i18n.js';

let offsetMin = 8 * 60; // the deployment's offset; set from /api/health at start

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;

// Learn the deployment's offset from a time the server wrote ("…+08:00").
export function setOffsetFrom(iso) {
  const m = ISO.exec(iso || '');
  if (m && m[7]) offsetMin = parseOffset(m[7]);
}

export const offsetMinutes = () => offsetMin;

function parseOffset(z) {
  if (z === 'Z') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

// The wall-clock fields of an instant in the deployment's zone.
function fields(ms) {
  const d = new Date(ms + offsetMin * 60_000);
  return {
    y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(),
    h: d.getUTCHours(), mi: d.getUTCMinutes(), wd: d.getUTCDay(),
  };
}

const pad = (n) => String(n).padStart(2, '0');

export function toMs(iso) {
  if (!iso) return NaN;
  const m = ISO.exec(iso);
  if (!m) return Date.parse(iso);
  if (!m[4]) return Date.UTC(+m[1], +m[2] - 1, +m[3]) - offsetMin * 60_000;
  const off = m[7] ? parseOffset(m[7]) : offsetMin;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) - off * 60_000;
}

// 2026年3月17日 09:30 / 2026-03-17 09:30
export function dateTime(iso) {
  const ms = toMs(iso);
  if (Number.isNaN(ms)) return iso || '';
  const f = fields(ms);
  if (lang() === 'zh') return `${f.y}年${f.mo}月${f.d}日 ${pad(f.h)}:${pad(f.mi)}`;
  return `${f.y}-${pad(f.mo)}-${pad(f.d)} ${pad(f.h)}:${pad(f.mi)}`;
}

// 2026年3月17日 / 2026-03-17 (a date alone, as "2026-03-17", is a calendar day)
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  const f = m ? { y: +m[1], mo: +m[2], d: +m[3] } : fields(toMs(iso));
  if (Number.isNaN(f.y)) return iso || '';
  return lang() === 'zh' ? `${f.y}年${f.mo}月${f.d}日` : `${f.y}-${pad(f.mo)}-${pad(f.d)}`;
}

// How far an instant is from now, in words: 3小时后 / 2天前 / in 3 h / 2 d ago.
export function relative(iso, now = Date.now()) {
  const ms = toMs(iso);
  if (Number.isNaN(ms)) return '';
  const diff = ms - now;
  const abs = Math.abs(diff);
  let n; let unit;
  if (abs < 3_600_000) { n = Math.max(1, Math.round(abs / 60_000)); unit = 'min'; }
  else if (abs < 2 * 86_400_000) { n = Math.round(abs / 3_600_000); unit = 'hour'; }
  else { n = Math.round(abs / 86_400_000); unit = 'day'; }
  return t(diff >= 0 ? `time.in_${unit}` : `time.ago_${unit}`, { n });
}

// The value for <input type="datetime-local"> showing an instant in the
// deployment's zone, and back to an ISO time with that zone's offset.
export function toLocalInput(ms = Date.now()) {
  const f = fields(ms);
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}`;
}

export function fromLocalInput(v) {
  if (!v) return undefined;
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${v.length === 16 ? v : v.slice(0, 16)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

// 1234.5 → ¥1,234.50
export function money(n) {
  if (n === null || n === undefined || n === '') return '';
  return `¥${Number(n).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
