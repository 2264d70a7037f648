import { type FormEvent, useState } from 'react';
import { type Session, api } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

/** The client id and origins, and a new secret key, shown once with Copy, the old one kept for a grace period. */
export function Keys({ projectId, session }: { projectId: string; session: Session }) {
  const project = session.projects.find((p) => p.id === projectId)!;
  const [newKey, setNewKey] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const rotate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const grace = Number(new FormData(event.currentTarget).get('grace'));
    if (!confirm(`Issue a new secret key? The current one stops working ${grace === 0 ? 'now' : `in ${grace} hours`}.`)) return;
    setProblem(null);
    try {
      setNewKey((await api<{ secret_key: string }>(`/projects/${projectId}/keys/rotate`, { method: 'POST', body: { grace_hours: grace } })).secret_key);
      setCopied(false);
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <Card title="Keys">
      {problem ? <Problem error={problem} /> : null}
      <dl>
        <dt>client id</dt>
        <dd>
          <code>{project.client_id}</code> (public: it goes in your pages)
        </dd>
        <dt>allowed origins</dt>
        <dd>{project.allowed_origins.length ? project.allowed_origins.join(', ') : 'any (set them with `vigil project create --origin`)'}</dd>
      </dl>
      {newKey ? (
        <div className="secret" role="status">
          <p>
            <strong>The new secret key, shown this once.</strong> Put it in your backend's secrets now.
          </p>
          <code data-testid="new-secret-key">{newKey}</code>{' '}
          <button
            type="button"
            className="quiet"
            onClick={async () => {
              await navigator.clipboard?.writeText(newKey).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      ) : null}
      <form className="row" onSubmit={rotate}>
        <label>
          Old key keeps working for
          <select name="grace" defaultValue="1">
            <option value="0">no time</option>
            <option value="1">1 hour</option>
            <option value="24">24 hours</option>
            <option value="168">7 days</option>
          </select>
        </label>
        <button type="submit">Rotate the secret key</button>
      </form>
    </Card>
  );
}
