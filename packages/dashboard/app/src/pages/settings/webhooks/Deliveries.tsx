import { useCallback, useEffect, useRef, useState } from 'react';
import { v3 } from '../../../api.js';
import { Badge, Problem, when } from '../../../components/ui.js';
import type { Delivery, Endpoint } from '../Webhooks.js';

const PAGE = 25;
/** The most the server answers at once. */
const MAX = 500;

/**
 * The latest deliveries, newest first (all endpoints', or one's): event, endpoint, status, attempts,
 * last error, time; each can be sent again ("Resend": a new delivery of the same event, due now).
 * `changes` moves when the endpoints changed, to load again.
 */
export function Deliveries({ projectId, endpoints, changes }: { projectId: string; endpoints: Endpoint[]; changes: number }) {
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const latest = useRef(0);
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  // A removed endpoint is no filter.
  const endpoint = urls.has(filter) ? filter : '';
  const load = useCallback(async () => {
    const asked = ++latest.current;
    const query = new URLSearchParams({ limit: String(limit), ...(endpoint ? { endpoint } : {}) });
    try {
      const page = await v3<{ data: Delivery[] }>(projectId, `/webhook/deliveries?${query}`);
      if (asked === latest.current) setRows(page.data);
    } catch (e) {
      if (asked === latest.current) setProblem(e);
    }
  }, [projectId, endpoint, limit]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` is the parent's signal that the endpoints changed, so the deliveries load again.
  useEffect(() => {
    void load();
  }, [load, changes]);
  const refresh = () => {
    setProblem(null);
    setNotice(null);
    void load();
  };
  const resend = async (d: Delivery) => {
    setProblem(null);
    setNotice(null);
    try {
      await v3<Delivery>(projectId, `/webhook/deliveries/${encodeURIComponent(d.id)}/resend`, { method: 'POST' });
      setNotice(`${d.type} is sent again, as a new delivery.`);
      await load();
    } catch (e) {
      setProblem(e);
    }
  };
  if (endpoints.length === 0 && (rows === null || rows.length === 0)) return null;
  return (
    <>
      <h3>Recent deliveries</h3>
      <div className="row">
        {endpoints.length > 1 ? (
          <label>
            To
            <select value={endpoint} onChange={(e) => setFilter(e.target.value)}>
              <option value="">every endpoint</option>
              {endpoints.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.url}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="quiet" onClick={refresh}>
          Refresh
        </button>
      </div>
      {problem ? <Problem error={problem} /> : null}
      {notice ? <p className="notice">{notice}</p> : null}
      {rows === null ? null : rows.length === 0 ? (
        <p className="muted">No deliveries yet: each event an endpoint subscribes to is one.</p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr>
              <th>time (UTC)</th>
              <th>event</th>
              <th>endpoint</th>
              <th>status</th>
              <th className="num">attempts</th>
              <th>next try / last error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const url = d.endpoint === null ? undefined : urls.get(d.endpoint);
              return (
                <tr key={d.id}>
                  <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                    {when(d.createdAt)}
                  </td>
                  <td>
                    <code>{d.type}</code>
                  </td>
                  <td className="wrap" style={{ minWidth: '12rem' }}>
                    {url ?? <span className="muted">(removed)</span>}
                  </td>
                  <td>
                    <Badge value={d.status} />
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td className="muted">
                    {[d.delivered_at ? `delivered ${when(d.delivered_at)}` : '', d.next_attempt_at ? `next ${when(d.next_attempt_at)}` : '', d.last_error ?? '']
                      .filter(Boolean)
                      .join(' · ')}
                  </td>
                  <td>
                    {url ? (
                      <button type="button" className="quiet" onClick={() => resend(d)}>
                        Resend
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rows !== null && rows.length === limit && limit < MAX ? (
        <button type="button" className="quiet more" onClick={() => setLimit((l) => Math.min(l + PAGE, MAX))}>
          Show more
        </button>
      ) : null}
    </>
  );
}
