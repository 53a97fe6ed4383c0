// Pages live behind the hash (#/complaints/KS-…): a reload or a shared link
// opens the same page, and the server serves one file for the workspace.
const routes = [];
let notFound = () => null;

// route('/complaints/:number', ({ number }, query) => …)
export function route(pattern, render, opts = {}) {
  const names = [];
  const re = new RegExp(`^${pattern.replace(/\//g, '\\/').replace(/:(\w+)/g, (m, n) => { names.push(n); return '([^/]+)'; })}$`);
  routes.push({ pattern, re, names, render, ...opts });
}

export function setNotFound(fn) { notFound = fn; }

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path, query: new URLSearchParams(qs || '') };
}

export function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return { route: { render: notFound }, params: {} };
}

// go('/complaints', { status: 'open' })
export function go(path, query) {
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString() : '';
  location.hash = `#${path}${qs ? `?${qs}` : ''}`;
}

export const link = (path) => `#${path}`;
