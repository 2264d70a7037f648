import { SEVERITIES, type Severity } from '@vigil/core/closed-sets';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { v3 } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

type Condition = { check: string; weight?: number; when?: { operator: string; value: unknown } };
interface RiskTable {
  category: string;
  observedOnly: boolean;
  description: string;
  rules: Condition[];
  combinations: { rules: Condition[]; weight: number }[];
  thresholds: { medium: number; high: number; maximum: number };
}
type Overrides = Record<string, { thresholds?: Partial<RiskTable['thresholds']> } & Record<string, unknown>>;
// The thresholds: the score at which each severity above low begins.
const LEVELS = SEVERITIES.filter((s): s is Exclude<Severity, 'low'> => s !== 'low');

const conditionText = (c: Condition) => `${c.check}${c.when ? ` ${c.when.operator} ${JSON.stringify(c.when.value)}` : ''}`;
/** Each item with a key from what it says (its weight included), a repeat of an identical one numbered: a custom risk may repeat itself. */
function keyedBy<T>(items: T[], text: (item: T) => string): [key: string, item: T][] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const key = text(item);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return [n === 1 ? key : `${key} #${n}`, item];
  });
}

/**
 * The risk tables in force (SPEC §5): each risk's weighted checks, documented here, and its thresholds,
 * which the operator may change for this project (saved as the project's risk overrides).
 */
export function RiskSettings({ projectId }: { projectId: string }) {
  const [tables, setTables] = useState<RiskTable[] | null>(null);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const show = useCallback((r: { overrides: Overrides; data: RiskTable[] }) => {
    setOverrides(r.overrides);
    setTables(r.data);
  }, []);
  useEffect(() => {
    v3<{ overrides: Overrides; data: RiskTable[] }>(projectId, '/risks').then(show, setProblem);
  }, [projectId, show]);
  const put = async (next: Overrides, saved: string) => {
    setProblem(null);
    setNotice(null);
    try {
      show(await v3<{ overrides: Overrides; data: RiskTable[] }>(projectId, '/risks', { method: 'PUT', body: next }));
      setNotice(saved);
    } catch (e) {
      setProblem(e);
    }
  };
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: Overrides = structuredClone(overrides);
    for (const t of tables ?? []) {
      const given = Object.fromEntries(LEVELS.map((l) => [l, Number(form.get(`${t.category}.${l}`))])) as RiskTable['thresholds'];
      if (LEVELS.some((l) => given[l] !== t.thresholds[l])) next[t.category] = { ...next[t.category], thresholds: given };
    }
    void put(next, 'Thresholds saved: the next evaluations are scored with them.');
  };
  const reset = (category: string) => {
    const next: Overrides = structuredClone(overrides);
    const { thresholds: _dropped, ...rest } = next[category] ?? {};
    if (Object.keys(rest).length > 0) next[category] = rest;
    else delete next[category];
    void put(next, `${category.replaceAll('_', ' ')} is back to the built-in thresholds.`);
  };
  return (
    <Card title="Risks and thresholds">
      {problem ? <Problem error={problem} /> : null}
      {notice ? <p className="notice">{notice}</p> : null}
      <p className="muted">
        A risk is a weighted sum of the checks that predict it, capped at 100, and reaches medium, high or maximum at its thresholds. Risks never decide a verdict: policies may
        match them (<code>risk:ato gte high</code>).
      </p>
      {tables ? (
        <form onSubmit={save} key={JSON.stringify(overrides)}>
          <table className="list risks">
            <thead>
              <tr>
                <th>risk</th>
                {LEVELS.map((l) => (
                  <th key={l} className="num">
                    {l} at
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {tables.map((t) => (
                <tr key={t.category}>
                  <td>
                    <details>
                      <summary>
                        <strong>{t.category.replaceAll('_', ' ')}</strong>
                        {t.observedOnly ? <span className="muted"> · observed only</span> : null}
                      </summary>
                      <p className="muted">{t.description}</p>
                      <ul className="weights">
                        {keyedBy(t.rules, (r) => `${conditionText(r)} ${r.weight}`).map(([key, r]) => (
                          <li key={key}>
                            <code>{conditionText(r)}</code> {(r.weight ?? 0) > 0 ? '+' : ''}
                            {r.weight}
                          </li>
                        ))}
                        {keyedBy(t.combinations, (c) => `together ${c.rules.map(conditionText).join(' + ')} ${c.weight}`).map(([key, c]) => (
                          <li key={key}>
                            together:{' '}
                            {c.rules.map((r) => (
                              <code key={conditionText(r)}>{conditionText(r)}</code>
                            ))}{' '}
                            {c.weight > 0 ? '+' : ''}
                            {c.weight}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                  {LEVELS.map((l) => (
                    <td key={l} className="num">
                      <input name={`${t.category}.${l}`} type="number" min={1} max={100} required defaultValue={t.thresholds[l]} aria-label={`${t.category} ${l} threshold`} />
                    </td>
                  ))}
                  <td>
                    {overrides[t.category]?.thresholds ? (
                      <button type="button" className="quiet" onClick={() => reset(t.category)}>
                        Built-in
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">Save thresholds</button>
        </form>
      ) : null}
    </Card>
  );
}
