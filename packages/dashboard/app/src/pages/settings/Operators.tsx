import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Reply, api } from '../../api.js';
import { Card, Problem, when } from '../../components/ui.js';

type Operator = Reply<'/dashboard/api/operators', 'get'>['data'][number];

/** Who can log in to this dashboard (every project on the instance): add one with a first password, remove one. */
export function OperatorSettings() {
  const [operators, setOperators] = useState<Operator[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => api<{ data: Operator[] }>('/operators').then((r) => setOperators(r.data), setProblem), []);
  useEffect(() => {
    void load();
  }, [load]);
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setProblem(null);
    setNotice(null);
    try {
      const added = await api<Operator>('/operators', { method: 'POST', body: { email: String(data.get('email')).trim(), password: String(data.get('password')) } });
      setNotice(`${added.email} can log in now, with the password you set: give it to them safely.`);
      form.reset();
      await load();
    } catch (e) {
      setProblem(e);
    }
  };
  const remove = async (o: Operator) => {
    if (!confirm(`Remove ${o.email}? They are logged out at once.`)) return;
    setProblem(null);
    try {
      await api(`/operators/${o.id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <Card title="Operators">
      {problem ? <Problem error={problem} /> : null}
      {notice ? <p className="notice">{notice}</p> : null}
      <table className="operators">
        <tbody>
          {(operators ?? []).map((o) => (
            <tr key={o.id}>
              <td>
                {o.email}
                {o.you ? <span className="muted"> (you)</span> : null}
              </td>
              <td className="muted">{o.last_login_at ? `last login ${when(o.last_login_at)} UTC` : 'never logged in'}</td>
              <td>
                {o.you ? null : (
                  <button type="button" className="quiet" onClick={() => remove(o)} aria-label={`Remove ${o.email}`}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={add}>
        <label>
          Email <input name="email" type="email" required autoComplete="off" />
        </label>
        <label>
          First password <input name="password" type="password" minLength={12} required autoComplete="new-password" />
        </label>
        <button type="submit">Add operator</button>
      </form>
    </Card>
  );
}
