import { CHALLENGE_STATUSES } from '@vigil/core/closed-sets';
import type { Reply } from '../api.js';
import { Badge, Empty, Link, LoadMore, Problem, UserLink, when } from '../components/ui.js';
import { usePaged } from '../paged.js';
import { navigate } from '../router.js';

type ChallengeRow = Reply<'/dashboard/api/projects/{project}/challenges', 'get'>['data'][number];
const STATUSES = CHALLENGE_STATUSES;

/** Challenges, newest first: who, why, how (method and channel) and how it ended. */
export function Challenges({ projectId, search }: { projectId: string; search: string }) {
  const status = new URLSearchParams(search).get('status') ?? '';
  const { rows, more, error: problem } = usePaged<ChallengeRow>(`/projects/${projectId}/challenges${status ? `?status=${status}` : ''}`);
  return (
    <>
      <h1>Challenges</h1>
      <div className="row">
        <label>
          Status
          <select value={status} onChange={(e) => navigate(`/dashboard/p/${projectId}/challenges${e.target.value ? `?status=${e.target.value}` : ''}`)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      {problem ? <Problem error={problem} /> : null}
      {rows?.length === 0 ? (
        <Empty title="No challenge">
          <p>
            A policy whose action is <code>challenge</code> opens one; each shows here with how it ended.
          </p>
        </Empty>
      ) : null}
      {rows && rows.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th>opened (UTC)</th>
              <th>user</th>
              <th>type</th>
              <th>method</th>
              <th>reasons</th>
              <th>status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/dashboard/p/${projectId}/evaluations/${c.evaluation}`}>{when(c.created_at)}</Link>
                </td>
                <td>
                  <UserLink projectId={projectId} user={c.user} />
                </td>
                <td>{c.type.replaceAll('_', ' ')}</td>
                <td>
                  {c.method.replace('_', ' ')}
                  {c.channels.length ? ` · ${c.channels.join(', ')}` : ''}
                </td>
                <td className="muted">{c.reasons.join(', ').replaceAll('_', ' ')}</td>
                <td>
                  <Badge value={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <LoadMore more={more} />
    </>
  );
}
