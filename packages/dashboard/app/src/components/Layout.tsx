import type { ReactNode } from 'react';
import type { Session } from '../api.js';
import { navigate } from '../router.js';
import { Link } from './ui.js';

const pages = [
  { to: '', label: 'Overview' },
  { to: 'evaluations', label: 'Evaluations' },
  { to: 'users', label: 'Users' },
  { to: 'devices', label: 'Devices' },
  { to: 'people', label: 'People' },
  { to: 'policies', label: 'Policies' },
  { to: 'lists', label: 'Lists' },
  { to: 'challenges', label: 'Challenges' },
  { to: 'settings', label: 'Settings' },
];

export function Layout({ session, projectId, path, children }: { session: Session; projectId: string; path: string; children: ReactNode }) {
  const base = `/dashboard/p/${projectId}/`;
  const current = path.slice(base.length).split(/[/?]/)[0] ?? '';
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <p className="logo">Vigil</p>
        <label className="switcher">
          <span>Project</span>
          <select value={projectId} onChange={(e) => navigate(`/dashboard/p/${e.target.value}/`)} aria-label="Project">
            {session.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <ul>
          {pages.map((p) => (
            <li key={p.to}>
              <Link to={base + p.to} className={current === p.to ? 'active' : ''}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
        <form method="post" action="/dashboard/logout" className="who">
          <span>{session.operator.email}</span>
          <button type="submit" className="quiet">
            Log out
          </button>
        </form>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
