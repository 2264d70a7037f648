import { useEffect, useState } from 'react';
import { type Reply, v3 } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

type ReferenceData = Reply<'/v3/reference-data', 'get'>;

/** Every reference list's snapshot date and age (refresh with `vigil data update`), and the attributions its licence asks for. */
export function ReferenceDataSettings({ projectId }: { projectId: string }) {
  const [reference, setReference] = useState<ReferenceData | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    v3<ReferenceData>(projectId, '/reference-data').then(setReference, setProblem);
  }, [projectId]);
  return (
    <Card title="Reference data">
      {problem ? <Problem error={problem} /> : null}
      <p className="muted">
        Bundled snapshots, refreshed from their sources by <code>npx vigil data update</code> (picked up without a restart). An old list misses new VPN and Tor addresses: policies
        can match <code>ip_list_age_days</code>.
      </p>
      {reference ? (
        <>
          <table className="list reference">
            <thead>
              <tr>
                <th>list</th>
                <th>kind</th>
                <th>snapshot</th>
                <th className="num">age (days)</th>
                <th className="num">entries</th>
              </tr>
            </thead>
            <tbody>
              {reference.data.map((l) => (
                <tr key={l.name}>
                  <td>{l.name}</td>
                  <td>
                    {l.kind} · {l.type}
                  </td>
                  <td>{l.snapshot}</td>
                  <td className={`num${l.age_days > 90 ? ' stale' : ''}`}>{l.age_days}</td>
                  <td className="num">{l.entries.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Attributions</h3>
          <ul className="muted">
            {reference.attribution.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}
