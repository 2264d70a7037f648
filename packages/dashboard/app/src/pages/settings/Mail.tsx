import { type FormEvent, useEffect, useState } from 'react';
import { type Reply, v3 } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

type Mail = Reply<'/v3/settings/mail', 'get'>;

/** Where verification mail goes: the project's own SMTP server (password sealed, never shown) or the instance's. */
export function MailSettings({ projectId }: { projectId: string }) {
  const [mail, setMail] = useState<Mail | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    v3<Mail>(projectId, '/settings/mail').then(setMail, setProblem);
  }, [projectId]);
  const saveMail = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setProblem(null);
    try {
      setMail(await v3<Mail>(projectId, '/settings/mail', { method: 'PUT', body: { smtp_url: String(data.get('smtp_url')), mail_from: String(data.get('mail_from')) } }));
      setNotice('Saved. The password is kept sealed and is not shown again.');
      form.reset();
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <Card title="Verification mail">
      {problem ? <Problem error={problem} /> : null}
      {mail ? (
        <p>
          {mail.source === 'project'
            ? 'This project sends through its own server'
            : mail.source === 'instance'
              ? "This project sends through the instance's server (SMTP_URL)"
              : 'No SMTP server: email codes cannot be sent'}
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
  );
}
