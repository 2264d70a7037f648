import type { ReactNode } from 'react';
import { navigate } from '../router.js';

// The small component set every page uses: links, badges, cards, empty states.

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={to}
      className={className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

const tone: Record<string, string> = {
  allow: 'good',
  deny: 'bad',
  suspend: 'bad',
  challenge: 'warn',
  add_to_list: 'info',
  remove_from_list: 'info',
  low: 'muted',
  medium: 'warn',
  high: 'bad',
  maximum: 'bad',
  completed: 'good',
  failed: 'bad',
  suspended: 'bad',
  'logged out': 'muted',
  delivered: 'good',
  pending: 'warn',
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge ${tone[value] ?? 'muted'}`}>{value.replaceAll('_', ' ')}</span>;
}

export function Card({ title, children, actions }: { title?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card">
      {(title || actions) && (
        <header>
          {title && <h2>{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty" role="status">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function Problem({ error }: { error: unknown }) {
  return (
    <p className="alert" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

/** A user's page, by the application's user id. */
export function UserLink({ projectId, user }: { projectId: string; user: string }) {
  return <Link to={`/dashboard/p/${projectId}/users?user=${encodeURIComponent(user)}`}>{user}</Link>;
}

/** "Open" a user by the application's id on a page that takes `?user=` (users, people). */
export function FindUser({ base, userId }: { base: string; userId: string }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <form> with role="search" is the search landmark that also submits; <search> cannot.
    <form
      className="row"
      role="search"
      key={userId}
      onSubmit={(event) => {
        event.preventDefault();
        const id = String(new FormData(event.currentTarget).get('user') ?? '').trim();
        navigate(`${base}${id ? `?user=${encodeURIComponent(id)}` : ''}`);
      }}
    >
      <label>
        User id <input name="user" defaultValue={userId} placeholder="the application's user id" />
      </label>
      <button type="submit">Open</button>
    </form>
  );
}

/** The next page of a cursor-paged list (usePaged's `more`); nothing when there is none. */
export function LoadMore({ more }: { more: (() => Promise<void>) | null }) {
  return more ? (
    <button type="button" className="quiet more" onClick={more}>
      Load more
    </button>
  ) : null;
}

export const when = (isoTime: string) => new Date(isoTime).toISOString().slice(0, 19).replace('T', ' ');
