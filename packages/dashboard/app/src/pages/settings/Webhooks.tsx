import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, type Reply, v3 } from '../../api.js';
import { Badge, Card, Problem, when } from '../../components/ui.js';

type Delivery = Reply<'/v3/webhook/deliveries', 'get'>['data'][number];

/** The project's webhook endpoint (the signing secret shown once, when set) and its latest deliveries. */
export function WebhookSettings({ projectId }: { projectId: string }) {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  const [secret, setSecret] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const load = async () => {
    try {
      setUrl((await v3<{ url: string }>(projectId, '/webhook')).url);
      setDeliveries((await v3<{ data: Delivery[] }>(projectId, '/webhook/deliveries')).data.slice(0, 10));
    } catch (e) {
      // No endpoint yet is a state, not a problem.
      if (e instanceof ApiError && e.status === 404) setUrl(null);
      else setProblem(e);
    }
  };
  useEffect(() => {
    setSecret(null);
    void load();
  }, [projectId]);
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    try {
      const set = await v3<{ url: string; secret: string }>(projectId, '/webhook', { method: 'PUT', body: { url: String(new FormData(form).get('url')).trim() } });
      setUrl(set.url);
      setSecret(set.secret);
      form.reset();
    } catch (e) {
      setProblem(e);
    }
  };
  const remove = async () => {
    if (!confirm('Stop sending webhooks to this endpoint?')) return;
    setProblem(null);
    try {
      await v3(projectId, '/webhook', { method: 'DELETE' });
      setUrl(null);
      setSecret(null);
      setDeliveries([]);
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <Card title="Webhooks" actions={url ? <button type="button" className="quiet" onClick={remove}>Stop sending</button> : undefined}>
      {problem ? <Problem error={problem} /> : null}
      <p data-testid="webhook-endpoint">
        {url === undefined ? '' : url ? <>Events (<code>challenge.initiated</code>, <code>challenge.completed</code>) go to <code>{url}</code>, signed the Standard Webhooks way and retried with backoff.</> : 'No endpoint: no webhooks are sent.'}
      </p>
      {secret ? (
        <div className="secret" role="status">
          <p>
            <strong>The signing secret, shown this once.</strong> Your endpoint checks each request's signature with it.
          </p>
          <code data-testid="webhook-secret">{secret}</code>
        </div>
      ) : null}
      <form className="row" onSubmit={save}>
        <label>
          Endpoint URL <input name="url" type="url" required placeholder="https://app.example.com/hooks/vigil" />
        </label>
        <button type="submit">{url ? 'Replace (new secret)' : 'Send webhooks here'}</button>
      </form>
      {deliveries.length > 0 ? (
        <table className="deliveries">
          <thead>
            <tr>
              <th>event</th>
              <th>status</th>
              <th className="num">attempts</th>
              <th>next try / last error</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>{d.type}</td>
                <td>
                  <Badge value={d.status} />
                </td>
                <td className="num">{d.attempts}</td>
                <td className="muted">{[d.next_attempt_at ? `next ${when(d.next_attempt_at)}` : '', d.last_error ?? ''].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  );
}
