import { type FormEvent, useEffect, useState } from 'react';
import { type Reply, v3 } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

type Retention = Reply<'/v3/settings/retention', 'get'>;

/** How long the project keeps evaluations, challenges and sightings; what is older is deleted within the hour. */
export function RetentionSettings({ projectId }: { projectId: string }) {
  const [retention, setRetention] = useState<Retention | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    v3<Retention>(projectId, '/settings/retention').then(setRetention, setProblem);
  }, [projectId]);
  const save = async (days: number | null) => {
    if (retention && days !== null && days < retention.days && !confirm(`Delete what is older than ${days} days? It cannot be brought back.`)) return;
    setProblem(null);
    try {
      setRetention(await v3<Retention>(projectId, '/settings/retention', { method: 'PUT', body: { days } }));
    } catch (e) {
      setProblem(e);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save(Number(new FormData(event.currentTarget).get('days')));
  };
  return (
    <Card title="Retention">
      {problem ? <Problem error={problem} /> : null}
      {retention ? (
        <>
          <p data-testid="retention">
            Evaluations, challenges and the IPs, devices and fingerprints seen are kept <strong>{retention.days} days</strong>
            {retention.source === 'instance' ? ' (the instance default, VIGIL_RETENTION_DAYS)' : ' (this project’s own setting)'}; older ones are deleted within the hour. Accounts,
            devices and lists stay.
          </p>
          <form className="row" onSubmit={submit} key={retention.days}>
            <label>
              Keep for (days) <input name="days" type="number" min={1} max={3650} required defaultValue={retention.days} />
            </label>
            <button type="submit">Save retention</button>
            {retention.source === 'project' ? (
              <button type="button" className="quiet" onClick={() => void save(null)}>
                Use the instance default ({retention.instance_days} days)
              </button>
            ) : null}
          </form>
        </>
      ) : null}
    </Card>
  );
}
