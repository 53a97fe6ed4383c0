// Who is signed in and what they may do, from GET /api/session.
//   session.user = { login, name, roles: [{ role, project }] }
//   session.can('complaint.triage')        → anywhere?
//   session.can('complaint.triage', 'HY')  → in project HY?
//   session.hasRole('supervisor')
import { get, setCsrf } from './api.js';

export const session = {
  user: null,
  permissions: {},
  can(perm, project) {
    const p = this.permissions[perm];
    if (p === '*') return true;
    if (!Array.isArray(p) || p.length === 0) return false;
    return project === undefined ? true : p.includes(project);
  },
  // the projects where `perm` holds ('*' for every project)
  projectsFor(perm) {
    const p = this.permissions[perm];
    return p === '*' ? '*' : Array.isArray(p) ? p : [];
  },
  hasRole(...roles) {
    return (this.user?.roles || []).some((r) => roles.includes(r.role));
  },
};

export async function loadSession() {
  const s = await get('/api/session', { quiet401: true });
  session.user = s.user;
  session.permissions = s.permissions || {};
  setCsrf(s.csrf_token);
  return session;
}

export function clearSession() {
  session.user = null;
  session.permissions = {};
  setCsrf(null);
}
