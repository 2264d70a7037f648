import { SEVERITIES, VERDICTS } from '@vigil/core/closed-sets';
import { type FormEvent, useEffect, useState } from 'react';
import { type EvaluationRow, v3 } from '../api.js';
import { Badge, Empty, Link, LoadMore, Problem, when } from '../components/ui.js';
import { usePaged } from '../paged.js';
import { navigate } from '../router.js';

const FILTERS = ['action', 'verdict', 'risk', 'severity', 'user', 'ip', 'from', 'to'] as const;
// The time inputs are local wall-clock; the API takes ISO instants.
const toInstant = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (instant: string | null) => {
  if (!instant) return '';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** Evaluations, newest first, filtered on the server and paged by cursor ("Load more"). */
export function Evaluations({ projectId, search }: { projectId: string; search: string }) {
  const params = new URLSearchParams(search);
  const filters = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) filters.set(f, params.get(f)!);
  // The project's risks, custom ones included, for the risk filter.
  const [risks, setRisks] = useState<string[]>([]);
  useEffect(() => {
    v3<{ data: { category: string }[] }>(projectId, '/risks').then(
      (r) => setRisks(r.data.map((t) => t.category)),
      () => setRisks([]),
    );
  }, [projectId]);
  const { rows, more, error } = usePaged<EvaluationRow>(`/projects/${projectId}/evaluations${filters.size ? `?${filters}` : ''}`);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const q = new URLSearchParams();
    for (const f of FILTERS) {
      const value = String(form.get(f) ?? '').trim();
      if (value) q.set(f, f === 'from' || f === 'to' ? toInstant(value) : value);
    }
    navigate(`/dashboard/p/${projectId}/evaluations${q.size ? `?${q}` : ''}`);
  };
  return (
    <>
      <h1>Evaluations</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: a <form> with role="search" is the search landmark that also submits; <search> cannot. */}
      <form className="filters" onSubmit={apply} role="search" key={search}>
        <label>
          Action <input name="action" defaultValue={params.get('action') ?? ''} placeholder="login" />
        </label>
        <label>
          Verdict
          <select name="verdict" defaultValue={params.get('verdict') ?? ''}>
            <option value="">any</option>
            {VERDICTS.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          Risk
          <select name="risk" defaultValue={params.get('risk') ?? ''}>
            <option value="">any</option>
            {[...new Set([...risks, ...(params.get('risk') ? [params.get('risk')!] : [])])].map((r) => (
              <option key={r} value={r}>
                {r.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          At least
          <select name="severity" defaultValue={params.get('severity') ?? ''}>
            <option value="">—</option>
            {SEVERITIES.filter((v) => v !== 'low').map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          User <input name="user" defaultValue={params.get('user') ?? ''} placeholder="user id" />
        </label>
        <label>
          IP <input name="ip" defaultValue={params.get('ip') ?? ''} placeholder="203.0.113.7" />
        </label>
        <label>
          From <input name="from" type="datetime-local" defaultValue={toLocal(params.get('from'))} />
        </label>
        <label>
          To <input name="to" type="datetime-local" defaultValue={toLocal(params.get('to'))} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {error ? <Problem error={error} /> : null}
      {rows === null && !error ? <p className="muted">Loading…</p> : null}
      {rows?.length === 0 ? (
        <Empty title="No evaluations match">
          <p>{search ? 'Try fewer filters.' : 'Evaluations appear here as your app sends them.'}</p>
        </Empty>
      ) : null}
      {rows && rows.length > 0 ? (
        <>
          <table className="list">
            <thead>
              <tr>
                <th>time (UTC)</th>
                <th>action</th>
                <th>user</th>
                <th>verdict</th>
                <th>risks</th>
                <th>IP</th>
                <th>policy</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/dashboard/p/${projectId}/evaluations/${e.id}`}>{when(e.created_at)}</Link>
                  </td>
                  <td>{e.action}</td>
                  <td>{e.user}</td>
                  <td>
                    <Badge value={e.verdict} />
                  </td>
                  <td>
                    {e.risks.map((r) => (
                      <span key={r.category} className="risk">
                        {r.category.replaceAll('_', ' ')} <Badge value={r.severity} />
                      </span>
                    ))}
                  </td>
                  <td>
                    {e.ip ?? '—'}
                    {e.country ? ` · ${e.country}` : ''}
                  </td>
                  <td>{e.policy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore more={more} />
        </>
      ) : null}
    </>
  );
}
