import { type FormEvent, useEffect, useState } from 'react';
import { type Session, api, v3 } from '../api.js';
import { Card, Problem } from '../components/ui.js';

interface Mail {
  source: 'project' | 'instance' | 'none';
  smtp: { host: string; port: number; secure: boolean; user: string | null } | null;
  mail_from: string | null;
}

/** The project's keys (rotate, copy once), origins, and where verification mail goes. */
export function Settings({ projectId, session }: { projectId: string; session: Session }) {
  const project = session.projects.find((p) => p.id === projectId)!;
  const [newKey, setNewKey] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [mail, setMail] = useState<Mail | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    v3<Mail>(projectId, '/settings/mail').then(setMail, setProblem);
  }, [projectId]);

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
  const saveMail = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setProblem(null);
    try {
      setMail(await v3<Mail>(projectId, '/settings/mail', { method: 'PUT', body: { smtp_url: String(data.get('smtp_url')), mail_from: String(data.get('mail_from')) } }));
      setNotice('Saved. The password is kept sealed and is not shown again.');
      event.currentTarget.reset();
    } catch (e) {
      setProblem(e);
    }
  };

  return (
    <>
      <h1>Settings</h1>
      {problem ? <Problem error={problem} /> : null}
      <Card title="Keys">
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
      <Card title="Verification mail">
        {mail ? (
          <p>
            {mail.source === 'project' ? 'This project sends through its own server' : mail.source === 'instance' ? "This project sends through the instance's server (SMTP_URL)" : 'No SMTP server: email codes cannot be sent'}
            {mail.smtp ? `: ${mail.smtp.host}:${mail.smtp.port}${mail.smtp.secure ? ' (TLS)' : ''}${mail.smtp.user ? ` as ${mail.smtp.user}` : ''}, from ${mail.mail_from}` : ''}.
          </p>
        ) : null}
        {notice ? <p className="notice">{notice}</p> : null}
        <form className="row" onSubmit={saveMail}>
          <label>
            SMTP URL <input name="smtp_url" required placeholder="smtps://user:password@mail.example.com" />
          </label>
          <label>
            From <input name="mail_from" required placeholder="Example <security@example.com>" />
          </label>
          <button type="submit">Save</button>
        </form>
      </Card>
    </>
  );
}
