import { useEffect, useState } from 'react';
import { api, type Reply } from '../api.js';
import { Badge, Card, Link, Problem, UserLink, when } from '../components/ui.js';

type Familiar = Reply<'/dashboard/api/projects/{project}/users/{user}/familiarity', 'get'>;

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
            // biome-ignore lint/suspicious/noArrayIndexKey: a recorded trace never changes, and its children are the condition's, by position (two may read the same).
            <Trace key={i} node={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Each `<name>_is_new` familiarity check, in the words of the panel, from the network down to the device. */
const newness: [check: string, label: string][] = [
  ['asn_is_new', 'provider (AS)'],
  ['ip_prefix_is_new', 'network (/24 or /48)'],
  ['city_is_new', 'city'],
  ['country_is_new', 'country'],
  ['ua_is_new', 'exact user agent'],
  ['ua_family_is_new', 'browser family'],
  ['os_is_new', 'OS'],
  ['device_class_is_new', 'device class'],
];

/** A 0–1 familiarity as a bar and a percentage. */
function Share({ label, value }: { label: string; value: number }) {
  const percent = Math.round(value * 100);
  return (
    <div className="share">
      <span>{label}</span>
      <meter className="bar" aria-label={label} min={0} max={100} value={percent} aria-valuenow={percent} />
      <strong className="num">{percent} %</strong>
    </div>
  );
}

/** One familiar value: its level, what it is, how many trusted logins had it and when last; marked when this login had it too. */
interface KnownRow {
  key: string;
  level: string;
  value: string;
  count: number;
  last_seen_at: string;
  this_login: boolean;
}

function KnownTable({ title, rows }: { title: string; rows: KnownRow[] }) {
  return (
    <div className="known-set">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="known" aria-label={title}>
          <thead>
            <tr>
              <th>level</th>
              <th>value</th>
              <th className="num">logins</th>
              <th>last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.this_login ? 'this' : ''}>
                <td className="muted">{r.level}</td>
                <td className="wrap">
                  {r.value} {r.this_login ? <span className="badge info">this login</span> : null}
                </td>
                <td className="num">{r.count}</td>
                <td>{when(r.last_seen_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * What the ato risk's familiarity checks said of this login (how familiar its network and browser were,
 * what was new), and the user's familiar set as it stands now, the rows this login had marked.
 */
function FamiliarityCard({ projectId, e }: { projectId: string; e: Evaluation }) {
  const [known, setKnown] = useState<Familiar | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Familiar>(`/projects/${projectId}/users/${encodeURIComponent(e.user.id)}/familiarity?evaluation=${encodeURIComponent(e.id)}`).then(setKnown, setError);
  }, [projectId, e.user.id, e.id]);
  const c = e.checks;
  const measured = typeof c.trusted_login_count === 'number';
  const n = known?.networks;
  const b = known?.browsers;
  const networks: KnownRow[] = n
    ? [
        ...n.asns.map((r) => ({ ...r, key: `asn ${r.asn}`, level: 'provider', value: `AS${r.asn}${r.org ? ` · ${r.org}` : ''}` })),
        ...n.countries.map((r) => ({ ...r, key: `country ${r.country}`, level: 'country', value: r.country })),
        ...n.cities.map((r) => ({ ...r, key: `city ${r.latitude},${r.longitude}`, level: 'city', value: `${r.latitude}, ${r.longitude}` })),
        ...n.prefixes.map((r) => ({ ...r, key: `prefix ${r.prefix}`, level: 'network', value: r.prefix })),
        ...n.ips.map((r) => ({ ...r, key: `ip ${r.ip}`, level: 'IP', value: r.ip })),
      ]
    : [];
  const browsers: KnownRow[] = b
    ? [
        ...b.browsers.map((r) => ({ ...r, key: `browser ${r.browser}`, level: 'browser', value: r.browser })),
        ...b.oses.map((r) => ({ ...r, key: `os ${r.os}`, level: 'OS', value: r.os })),
        ...b.device_classes.map((r) => ({ ...r, key: `class ${r.device_class}`, level: 'device class', value: r.device_class })),
        ...b.user_agents.map((r) => ({ ...r, key: `ua ${r.user_agent}`, level: 'user agent', value: r.user_agent })),
      ]
    : [];
  return (
    <Card title="Familiarity">
      {measured ? (
        <>
          <p>
            This login was compared with the user&apos;s {String(c.trusted_login_count)} trusted login{c.trusted_login_count === 1 ? '' : 's'} then.
            {c.ua_repeats_last_login === true ? " It repeated the last trusted login's exact user agent." : ''}
          </p>
          <div className="shares">
            {typeof c.network_familiarity === 'number' ? <Share label="network familiarity" value={c.network_familiarity} /> : null}
            {typeof c.browser_familiarity === 'number' ? <Share label="browser familiarity" value={c.browser_familiarity} /> : null}
          </div>
          <ul className="newness" aria-label="New for this login">
            {newness
              .filter(([check]) => typeof c[check] === 'boolean')
              .map(([check, label]) => (
                <li key={check}>
                  {label} {c[check] ? <span className="badge warn">new</span> : <span className="badge good">familiar</span>}
                </li>
              ))}
          </ul>
        </>
      ) : known && known.trusted_logins > 0 ? (
        <p className="muted">This login came before the user&apos;s first trusted login: its familiarity checks are absent.</p>
      ) : null}
      {error ? <Problem error={error} /> : null}
      {!known && !error ? <p className="muted">Loading…</p> : null}
      {known && known.trusted_logins === 0 ? (
        <p className="notice" role="status">
          No trusted login learned yet: familiarity checks are absent until one is.
          {known.pending > 0 ? ` ${known.pending} login${known.pending === 1 ? ' is' : 's are'} pending (learned once consumed by the backend or their challenge is passed).` : ''}
        </p>
      ) : null}
      {known && known.trusted_logins > 0 ? (
        <>
          <p className="muted">
            The familiar set now: {known.trusted_logins} trusted login{known.trusted_logins === 1 ? '' : 's'}
            {known.last_trusted_at ? `, the last on ${when(known.last_trusted_at)} UTC` : ''}
            {known.pending > 0 ? `, ${known.pending} pending` : ''}.
          </p>
          <div className="grid2">
            <KnownTable title="Known networks" rows={networks} />
            <KnownTable title="Known browsers" rows={browsers} />
          </div>
        </>
      ) : null}
    </Card>
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
            <dd>
              {e.ip ? `${e.ip}${ipInfo?.country ? ` · ${ipInfo.country}` : ''}${ipInfo?.type ? ` · ${ipInfo.type}` : ''}${ipInfo?.as_org ? ` · ${ipInfo.as_org}` : ''}` : '—'}
            </dd>
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
      <FamiliarityCard projectId={projectId} e={e} />
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
