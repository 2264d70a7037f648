import { DEFAULT_WEBHOOK_EVENTS } from '@vigil/core/closed-sets';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Reply, v3 } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';
import { Deliveries } from './webhooks/Deliveries.js';
import { EndpointTable } from './webhooks/Endpoints.js';
import { EventBoxes, chosenEvents } from './webhooks/EventBoxes.js';

export type Endpoint = Reply<'/v3/webhooks', 'get'>['data'][number];
/** An endpoint as answered when it is made or its secret rotated: with the secret, this once. */
export type EndpointWithSecret = Reply<'/v3/webhooks', 'post'>;
export type Delivery = Reply<'/v3/webhook/deliveries', 'get'>['data'][number];

/**
 * The project's webhook endpoints, each with the events it is sent: add one (its signing secret shown
 * once), change its events, give it a new secret, remove it; and the latest deliveries, each of which
 * can be sent again.
 */
export function WebhookSettings({ projectId }: { projectId: string }) {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [secret, setSecret] = useState<EndpointWithSecret | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  // Moves when the endpoints change, so the deliveries load again.
  const [changes, setChanges] = useState(0);
  const load = useCallback(async () => {
    try {
      setEndpoints((await v3<{ data: Endpoint[] }>(projectId, '/webhooks')).data);
    } catch (e) {
      setProblem(e);
    }
  }, [projectId]);
  // A new project (a new `load`): what the last one showed goes, then its endpoints load.
  useEffect(() => {
    setEndpoints(null);
    setSecret(null);
    setProblem(null);
    void load();
  }, [load]);
  const changed = async () => {
    await load();
    setChanges((n) => n + 1);
  };
  const showSecret = (made: EndpointWithSecret) => {
    setSecret(made);
    setCopied(false);
  };
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const events = chosenEvents(form);
    setProblem(null);
    if (events.length === 0) return setProblem(new Error('Tick at least one event to send.'));
    try {
      const made = await v3<EndpointWithSecret>(projectId, '/webhooks', { method: 'POST', body: { url: String(new FormData(form).get('url')).trim(), events } });
      showSecret(made);
      form.reset();
      await changed();
    } catch (e) {
      setProblem(e);
    }
  };
  return (
    <Card title="Webhooks">
      {problem ? <Problem error={problem} /> : null}
      <p className="muted">
        Each endpoint is sent the events it subscribes to, signed the Standard Webhooks way with its own secret, and retried with backoff (from 5 seconds to 6 hours, then given
        up).
      </p>
      {endpoints === null ? null : endpoints.length === 0 ? (
        <p>No endpoint: no webhooks are sent.</p>
      ) : (
        <EndpointTable
          projectId={projectId}
          endpoints={endpoints}
          onChanged={changed}
          onSecret={showSecret}
          onRemoved={(gone) => setSecret((s) => (s?.id === gone.id ? null : s))}
          onProblem={setProblem}
        />
      )}
      {secret ? (
        <div className="secret" role="status">
          <p>
            <strong>The signing secret of {secret.url}, shown this once.</strong> Your endpoint checks each request's signature with it.
          </p>
          <code data-testid="webhook-secret">{secret.secret}</code>{' '}
          <button
            type="button"
            className="quiet"
            onClick={async () => {
              await navigator.clipboard?.writeText(secret.secret).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      ) : null}
      <form onSubmit={add}>
        <div className="row">
          <label>
            Endpoint URL <input name="url" type="url" required size={48} placeholder="https://app.example.com/hooks/vigil" />
          </label>
        </div>
        <EventBoxes legend="Events to send" checked={DEFAULT_WEBHOOK_EVENTS} />
        <button type="submit">Send webhooks here</button>
      </form>
      {endpoints === null ? null : <Deliveries key={projectId} projectId={projectId} endpoints={endpoints} changes={changes} />}
    </Card>
  );
}
