import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { Badge, Card, Link, Problem, UserLink, when } from '../components/ui.js';

interface TraceNode {
  node: string;
  status: string;
  operator?: string;
  expected?: unknown;
  actual?: unknown;
  children?: TraceNode[];
}
interface Evaluation {
  id: string;
  action: string;
  verdict: string;
  createdAt: string;
  user: { id: string; email: string | null; phone: string | null };
  device: string | null;
  fingerprint: string | null;
  ip: string | null;
  ip_info: Record<string, unknown> | null;
  user_agent: string | null;
  origin: string | null;
  metadata: Record<string, unknown>;
  reasons: string[];
  checks: Record<string, unknown>;
  risks: { category: string; score: number; severity: string; contributions: { check: string; weight: number }[] }[];
  policy: { id: string; name: string; version: number; trace: TraceNode; suppressed_by?: { challenge: string; passed_at: string } } | null;
  challenge: { id: string; type: string; method: string; status: string; channels: string[] } | null;
  consumed: boolean;
}

function Trace({ node }: { node: TraceNode }) {
  const leaf = !node.children;
  return (
    <li className={`trace ${node.status}`}>
      <span className="node">{leaf ? `${node.node} ${node.operator ?? ''} ${node.expected === undefined ? '' : JSON.stringify(node.expected)}` : node.node}</span>{' '}
      <span className="status">{node.status.replace('_', ' ')}</span>
      {leaf && node.actual !== undefined ? <span className="muted"> (was {JSON.stringify(node.actual)})</span> : null}
      {node.children ? (
        <ul>
          {node.children.map((c, i) => (
            <Trace key={i} node={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** One evaluation with its whole explanation: who and where, checks, risk contributions, the policy trace, the challenge. */
export function EvaluationDetail({ projectId, id }: { projectId: string; id: string }) {
  const [e, setE] = useState<Evaluation | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Evaluation>(`/projects/${projectId}/evaluations/${id}`).then(setE, setError);
  }, [projectId, id]);
  if (error) return <Problem error={error} />;
  if (!e) return <p className="muted">Loading…</p>;
  const ipInfo = e.ip_info as { country?: string; type?: string; as_org?: string } | null;
  return (
    <>
      <p>
        <Link to={`/dashboard/p/${projectId}/evaluations`}>← Evaluations</Link>
      </p>
      <h1>
        {e.action} by {e.user.id} <Badge value={e.verdict} />
      </h1>
      <p className="muted">
        {e.id} · {when(e.createdAt)} UTC · {e.consumed ? 'consumed by the backend' : 'not consumed'}
      </p>
      <div className="grid2">
        <Card title="Who and where">
          <dl>
            <dt>user</dt>
            <dd>
              <UserLink projectId={projectId} user={e.user.id} />
              {e.user.email ? ` · ${e.user.email}` : ''}
            </dd>
            <dt>IP</dt>
            <dd>{e.ip ? `${e.ip}${ipInfo?.country ? ` · ${ipInfo.country}` : ''}${ipInfo?.type ? ` · ${ipInfo.type}` : ''}${ipInfo?.as_org ? ` · ${ipInfo.as_org}` : ''}` : '—'}</dd>
            <dt>device</dt>
            <dd>{e.device ?? '—'}</dd>
            <dt>fingerprint</dt>
            <dd>{e.fingerprint ?? '—'}</dd>
            <dt>user agent</dt>
            <dd className="wrap">{e.user_agent ?? '—'}</dd>
            <dt>reasons</dt>
            <dd>{e.reasons.length ? e.reasons.join(', ').replaceAll('_', ' ') : 'none'}</dd>
          </dl>
        </Card>
        <Card title="Policy">
          {e.policy ? (
            <>
              <p>
                <strong>{e.policy.name}</strong> (version {e.policy.version}) decided.
              </p>
              {e.policy.suppressed_by ? (
                <p className="notice">
                  It challenged, but this device passed the same challenge ({e.policy.suppressed_by.challenge}) on {when(e.policy.suppressed_by.passed_at)}: allowed.
                </p>
              ) : null}
              <ul className="tree">
                <Trace node={e.policy.trace} />
              </ul>
            </>
          ) : (
            <p className="muted">No policy held: allowed by default.</p>
          )}
          {e.challenge ? (
            <p>
              Challenge {e.challenge.id}: {e.challenge.method.replace('_', ' ')} ({e.challenge.type.replaceAll('_', ' ')}) <Badge value={e.challenge.status} />
            </p>
          ) : null}
        </Card>
      </div>
      <Card title="Risks">
        <table>
          <thead>
            <tr>
              <th>risk</th>
              <th className="num">score</th>
              <th>severity</th>
              <th>from</th>
            </tr>
          </thead>
          <tbody>
            {e.risks.map((r) => (
              <tr key={r.category}>
                <td>{r.category.replaceAll('_', ' ')}</td>
                <td className="num">{r.score}</td>
                <td>
                  <Badge value={r.severity} />
                </td>
                <td>{r.contributions.map((c) => `${c.check} ${c.weight > 0 ? '+' : ''}${c.weight}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Checks">
        <table className="checks">
          <tbody>
            {Object.entries(e.checks)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td className={value === true ? 'on' : ''}>{String(value)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
