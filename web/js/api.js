// Talking to kesu's JSON API. The session cookie rides along by itself; a
// state change also carries the session's CSRF token (X-CSRF-Token), which
// only this page can read. Errors come back as ApiError with the field and
// reason the server named, so forms can show them next to the field.
import { lang } from './i18n.js';

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrf(token) { csrfToken = token || null; }
export function whenSignedOut(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code || 'error';
    this.field = error?.field || null;
    this.reason = error?.reason || null;
  }
}

// api('POST', '/api/complaints', body) → parsed JSON (null for 204).
// opts.raw: send `body` as is (a File or Blob) with opts.type.
// opts.quiet401: do not treat 401 as "signed out" (the sign-in form).
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' };
  let payload;
  if (opts.raw) {
    payload = body;
    headers['Content-Type'] = opts.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  Object.assign(headers, opts.headers || {});
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, { code: 'network', message: err.message });
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const e = new ApiError(res.status, data?.error);
    e.retryAfter = Number(res.headers.get('Retry-After')) || null;
    if (res.status === 401 && !opts.quiet401) onUnauthenticated(e);
    throw e;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body ?? {}, opts);
export const put = (path, body, opts) => api('PUT', path, body ?? {}, opts);
export const patch = (path, body, opts) => api('PATCH', path, body ?? {}, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// '/api/complaints' + { status: 'open', q: '电梯' } → with a query string;
// empty values are left out.
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export const enc = encodeURIComponent;
