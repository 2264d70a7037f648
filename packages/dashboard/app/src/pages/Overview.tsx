import { SEVERITIES, type Severity, VERDICTS, type Verdict } from '@vigil/core/closed-sets';
import { useEffect, useState } from 'react';
import { type Overview as OverviewData, type Session, api } from '../api.js';
import { DailyChart } from '../components/DailyChart.js';
import { Badge, Card, Empty, Link, Problem } from '../components/ui.js';

// A colour for every verdict and severity (core's lists): a verdict added there fails to build here until it has one.
const verdictColor: Record<Verdict, string> = {
  allow: '#16a34a',
  restrict: '#0891b2',
  challenge: '#d97706',
  challenge_and_restrict: '#b45309',
  deny: '#dc2626',
  suspend: '#7c3aed',
  add_to_list: '#475569',
  remove_from_list: '#94a3b8',
};
const severityColor: Record<Severity, string> = { low: '#64748b', medium: '#d97706', high: '#dc2626', maximum: '#7f1d1d' };
const VERDICT_SERIES = VERDICTS.map((key) => ({ key, color: verdictColor[key] }));
const SEVERITY_SERIES = SEVERITIES.map((key) => ({ key, color: severityColor[key] }));

export function Overview({ projectId, session }: { projectId: string; session: Session }) {
  const [data, setData] = useState<OverviewData | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setData(null);
    api<OverviewData>(`/projects/${projectId}/overview?days=14`).then(setData, setError);
  }, [projectId]);
  if (error) return <Problem error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const project = session.projects.find((p) => p.id === projectId);
  const total = Object.values(data.totals).reduce((a, b) => a + b, 0);
  return (
    <>
      <h1>Overview</h1>
      {total === 0 ? (
        <Empty title="No evaluations yet">
          <p>Add the browser SDK to a page and evaluate an action; every evaluation shows up here.</p>
          <pre>{`<script src="${location.origin}/sdk/vigil.js"></script>
<script>
  const vigil = new Vigil({ clientId: '${project?.client_id ?? 'cl_…'}', baseUrl: '${location.origin}' });
  const { evaluation_id } = await vigil.evaluate.login({ user: 'USER_ID' });
</script>`}</pre>
          <p>Then confirm it from your backend with the secret key, and write your first policy (docs/policies.md).</p>
        </Empty>
      ) : (
        <>
          <div className="stats">
            <div className="stat">
              <span>Evaluations, 14 days</span>
              <strong data-testid="total">{total.toLocaleString('en')}</strong>
            </div>
            {['allow', 'challenge', 'deny', 'suspend'].map((v) => (
              <div className="stat" key={v}>
                <span>
                  <Badge value={v} />
                </span>
                <strong>{(data.totals[v] ?? 0).toLocaleString('en')}</strong>
              </div>
            ))}
          </div>
          <div className="grid2">
            <Card title="Evaluations per day, by verdict">
              <DailyChart days={data.days.map((d) => ({ date: d.date, counts: d.verdicts }))} series={VERDICT_SERIES} label="Evaluations per day by verdict" />
            </Card>
            <Card title="Evaluations per day, by highest risk">
              <DailyChart days={data.days.map((d) => ({ date: d.date, counts: d.severities }))} series={SEVERITY_SERIES} label="Evaluations per day by highest risk severity" />
            </Card>
          </div>
          <div className="grid2">
            <Card title={`Top reasons (latest ${data.sample.toLocaleString('en')})`}>
              {data.top_reasons.length === 0 ? (
                <p className="muted">Nothing raised an eyebrow.</p>
              ) : (
                <table>
                  <tbody>
                    {data.top_reasons.map((r) => (
                      <tr key={r.reason}>
                        <td>{r.reason.replaceAll('_', ' ')}</td>
                        <td className="num">{r.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
            <Card title="Risks by severity">
              <table>
                <thead>
                  <tr>
                    <th>risk</th>
                    <th className="num">medium</th>
                    <th className="num">high</th>
                    <th className="num">maximum</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(data.risk_severities).map(([category, counts]) => (
                    <tr key={category}>
                      <td>{category.replaceAll('_', ' ')}</td>
                      <td className="num">{counts.medium ?? 0}</td>
                      <td className="num">{counts.high ?? 0}</td>
                      <td className="num">{counts.maximum ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </div>
          <p>
            <Link to={`/dashboard/p/${projectId}/evaluations`}>See every evaluation →</Link>
          </p>
        </>
      )}
    </>
  );
}
