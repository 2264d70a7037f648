import { type FormEvent, useState } from 'react';
import { v3 } from '../../../api.js';
import { when } from '../../../components/ui.js';
import type { Endpoint, EndpointWithSecret } from '../Webhooks.js';
import { EventBoxes, chosenEvents } from './EventBoxes.js';

/**
 * The project's endpoints: each URL with the events it is sent, and per endpoint: change its events,
 * a new signing secret (handed up to be shown once), or remove it.
 */
export function EndpointTable({
  projectId,
  endpoints,
  onChanged,
  onSecret,
  onRemoved,
  onProblem,
}: {
  projectId: string;
  endpoints: Endpoint[];
  onChanged: () => Promise<void>;
  onSecret: (made: EndpointWithSecret) => void;
  onRemoved: (endpoint: Endpoint) => void;
  onProblem: (error: unknown) => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const path = (e: Endpoint) => `/webhooks/${encodeURIComponent(e.id)}`;
  const run = async (work: () => Promise<void>) => {
    onProblem(null);
    try {
      await work();
    } catch (error) {
      onProblem(error);
    }
  };
  const saveEvents = (e: Endpoint) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const events = chosenEvents(event.currentTarget);
    if (events.length === 0) return onProblem(new Error('Tick at least one event (or remove the endpoint).'));
    void run(async () => {
      await v3(projectId, path(e), { method: 'PATCH', body: { events } });
      setEditing(null);
      await onChanged();
    });
  };
  const rotate = (e: Endpoint) => {
    if (!confirm(`Make a new signing secret for ${e.url}? The current one stops being used at once.`)) return;
    void run(async () => onSecret(await v3<EndpointWithSecret>(projectId, path(e), { method: 'PATCH', body: { rotate_secret: true } })));
  };
  const remove = (e: Endpoint) => {
    if (!confirm(`Stop sending webhooks to ${e.url}? What it was not yet sent is dropped.`)) return;
    void run(async () => {
      await v3(projectId, path(e), { method: 'DELETE' });
      onRemoved(e);
      await onChanged();
    });
  };
  return (
    <table className="webhooks">
      <thead>
        <tr>
          <th>endpoint</th>
          <th>events</th>
          <th>added (UTC)</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {endpoints.flatMap((e) => [
          <tr key={e.id}>
            <td className="wrap" style={{ minWidth: '16rem' }} data-testid="webhook-endpoint">
              <code>{e.url}</code>
            </td>
            <td data-testid="webhook-events">
              {e.events.map((name, i) => (
                <span key={name}>
                  {i > 0 ? ' ' : null}
                  <code>{name}</code>
                </span>
              ))}
            </td>
            <td className="muted" style={{ whiteSpace: 'nowrap' }}>
              {when(e.createdAt)}
            </td>
            <td style={{ whiteSpace: 'nowrap' }}>
              <button type="button" className="quiet" onClick={() => setEditing(editing === e.id ? null : e.id)} aria-expanded={editing === e.id}>
                Change events
              </button>
              <span className="muted"> · </span>
              <button type="button" className="quiet" onClick={() => rotate(e)} aria-label={`New secret for ${e.url}`}>
                New secret
              </button>
              <span className="muted"> · </span>
              <button type="button" className="quiet" onClick={() => remove(e)} aria-label={`Remove ${e.url}`}>
                Remove
              </button>
            </td>
          </tr>,
          editing === e.id ? (
            <tr key={`${e.id}-events`}>
              <td colSpan={4}>
                <form onSubmit={saveEvents(e)}>
                  <EventBoxes legend={`Events sent to ${e.url}`} checked={e.events} />
                  <div className="row">
                    <button type="submit">Save events</button>
                    <button type="button" className="quiet" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              </td>
            </tr>
          ) : null,
        ])}
      </tbody>
    </table>
  );
}
