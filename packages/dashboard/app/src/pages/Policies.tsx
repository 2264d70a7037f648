import { POLICY_ACTION_TYPES } from '@vigil/core/closed-sets';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Reply, v3 } from '../api.js';
import { Badge, Card, Empty, Problem } from '../components/ui.js';

type Check = Reply<'/v3/checks', 'get'>['data'][number];
type Policy = Reply<'/v3/policies', 'get'>['data'][number];
interface Leaf {
  /** The row's own key in the editor, as rows are added and removed. */
  id: number;
  field: string;
  operator: string;
  value: string;
}
const OPERATORS: Record<Check['type'], string[]> = { boolean: ['eq'], number: ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'], string: ['eq', 'neq', 'in'] };
// The actions the quick form offers: those that need nothing more than their type, and a challenge by email
// (lists take a list and a value: written as JSON through the API). From core's one list of verdicts.
const ACTIONS = POLICY_ACTION_TYPES.filter((a) => a !== 'add_to_list' && a !== 'remove_from_list');
let leafIds = 0;
/** A new condition row: the check, and that it holds. */
const newLeaf = (field: string): Leaf => ({ id: ++leafIds, field, operator: 'eq', value: 'true' });

/** A leaf's value as the policy language wants it, from what the operator typed. */
function leafValue(check: Check | undefined, leaf: Leaf): unknown {
  if (!check || check.type === 'boolean') return leaf.value !== 'false';
  if (check.type === 'number') return Number(leaf.value);
  return leaf.operator === 'in'
    ? leaf.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : leaf.value;
}

export function Policies({ projectId }: { projectId: string }) {
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [checks, setChecks] = useState<Check[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [history, setHistory] = useState<{ id: string; versions: { version: number; policy: Policy; createdAt: string }[] } | null>(null);
  const reload = useCallback(() => v3<{ data: Policy[] }>(projectId, '/policies').then((r) => setPolicies(r.data), setError), [projectId]);
  useEffect(() => {
    reload();
    v3<{ data: Check[] }>(projectId, '/checks').then((r) => setChecks(r.data), setError);
  }, [projectId, reload]);

  const toggle = async (p: Policy) => {
    await v3(projectId, `/policies/${p.id}/${p.enabled ? 'disable' : 'enable'}`, { method: 'POST', body: {} }).catch(setError);
    await reload();
  };
  // Drag a row (or use its arrows) to change the order the policies run in: one reorder call, saved at once.
  const [dragging, setDragging] = useState<string | null>(null);
  const reorder = async (order: string[]) => {
    setError(null);
    try {
      setPolicies((await v3<{ data: Policy[] }>(projectId, '/policies/reorder', { method: 'POST', body: { order } })).data);
    } catch (e) {
      setError(e);
      await reload();
    }
  };
  const move = (id: string, to: number) => {
    const order = (policies ?? []).map((p) => p.id).filter((x) => x !== id);
    order.splice(Math.max(0, Math.min(to, order.length)), 0, id);
    void reorder(order);
  };
  const showHistory = async (p: Policy) => {
    const r = await v3<{ data: { version: number; policy: Policy; createdAt: string }[] }>(projectId, `/policies/${p.id}/versions`);
    setHistory({ id: p.id, versions: r.data });
  };

  return (
    <>
      <h1>Policies</h1>
      {error ? <Problem error={error} /> : null}
      {policies?.length === 0 ? (
        <Empty title="No policy yet">
          <p>Without a policy every evaluation is allowed, and still recorded and scored. Write one below, and test it on what already happened before you enable it.</p>
        </Empty>
      ) : null}
      {policies && policies.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th className="num">runs (drag to reorder)</th>
              <th>name</th>
              <th>events</th>
              <th>action</th>
              <th>version</th>
              <th>state</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {policies.map((p, index) => (
              <tr
                key={p.id}
                draggable
                className={dragging === p.id ? 'dragging' : ''}
                onDragStart={(event) => {
                  setDragging(p.id);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                onDragEnd={() => setDragging(null)}
                onDragOver={(event) => event.preventDefault()}
                onDrop={(event) => {
                  event.preventDefault();
                  if (dragging && dragging !== p.id) move(dragging, index);
                  setDragging(null);
                }}
              >
                <td className="num order">
                  <span className="handle" title="Drag to reorder" aria-hidden="true">
                    ⠿
                  </span>{' '}
                  {p.priority}
                  <button type="button" className="quiet" disabled={index === 0} onClick={() => move(p.id, index - 1)} aria-label={`Move ${p.name} up`}>
                    ↑
                  </button>
                  <button type="button" className="quiet" disabled={index === policies.length - 1} onClick={() => move(p.id, index + 1)} aria-label={`Move ${p.name} down`}>
                    ↓
                  </button>
                </td>
                <td>{p.name}</td>
                <td>{p.events.join(', ')}</td>
                <td>
                  <Badge value={String(p.action.type)} />
                </td>
                <td>
                  <button type="button" className="quiet" onClick={() => showHistory(p)}>
                    v{p.version}
                  </button>
                </td>
                <td>{p.enabled ? 'enabled' : 'disabled'}</td>
                <td>
                  <button type="button" className="quiet" onClick={() => toggle(p)} aria-label={`${p.enabled ? 'Disable' : 'Enable'} ${p.name}`}>
                    {p.enabled ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {history ? (
        <Card
          title="Versions"
          actions={
            <button type="button" className="quiet" onClick={() => setHistory(null)}>
              Close
            </button>
          }
        >
          <ul>
            {history.versions.map((v) => (
              <li key={v.version}>
                v{v.version} · {v.createdAt.slice(0, 19).replace('T', ' ')} · {v.policy.enabled ? 'enabled' : 'disabled'} · <code>{JSON.stringify(v.policy.conditions)}</code> →{' '}
                {String(v.policy.action?.type)}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <PolicyEditor projectId={projectId} checks={checks} next={(policies?.length ?? 0) + 1} onSaved={reload} />
    </>
  );
}

function PolicyEditor({ projectId, checks, next, onSaved }: { projectId: string; checks: Check[]; next: number; onSaved: () => void }) {
  const [leaves, setLeaves] = useState<Leaf[]>(() => [newLeaf('ip_is_tor')]);
  const [tested, setTested] = useState<{ evaluated: number; matched: number; changed: number } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const byName = new Map(checks.map((c) => [c.name, c]));

  const body = (form: HTMLFormElement, enabled: boolean) => {
    const data = new FormData(form);
    const conditions = leaves.map((l) => ({ field: l.field, operator: l.operator, value: leafValue(byName.get(l.field), l) }));
    const action = String(data.get('action'));
    return {
      name: String(data.get('name')),
      events: String(data.get('events'))
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
      priority: Number(data.get('priority')),
      enabled,
      conditions: conditions.length === 1 ? conditions[0] : { all: conditions },
      action: action === 'challenge' || action === 'challenge_and_restrict' ? { type: action, challenge: { type: 'verification', channels: ['email'] } } : { type: action },
    };
  };
  const test = async (form: HTMLFormElement) => {
    setProblem(null);
    try {
      setTested(await v3(projectId, '/policies/test', { method: 'POST', body: { policy: body(form, true), days: 7 } }));
    } catch (error) {
      setProblem(error);
    }
  };
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const enable = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'enable';
    setProblem(null);
    try {
      const created = await v3<{ name: string }>(projectId, '/policies', { method: 'POST', body: body(event.currentTarget, enable) });
      setSaved(`Saved "${created.name}"${enable ? ', enabled' : ' (disabled)'}.`);
      onSaved();
    } catch (error) {
      setProblem(error);
    }
  };
  const setLeaf = (i: number, change: Partial<Omit<Leaf, 'id'>>) =>
    setLeaves((ls) =>
      ls.map((l, k) => {
        if (k !== i) return l;
        const merged = { ...l, ...change };
        const type = byName.get(merged.field)?.type ?? 'boolean';
        // A new field keeps an operator it allows, and a value of its type.
        if (change.field)
          return { ...merged, operator: OPERATORS[type].includes(merged.operator) ? merged.operator : OPERATORS[type][0]!, value: type === 'boolean' ? 'true' : '' };
        return merged;
      }),
    );

  return (
    <Card title="New policy">
      <form className="editor" onSubmit={save}>
        <div className="row">
          <label>
            Name <input name="name" required defaultValue="Deny Tor exits" />
          </label>
          <label>
            Events <input name="events" required defaultValue="login, signup" />
          </label>
          <label>
            Priority <input key={next} name="priority" type="number" min={0} required defaultValue={next} />
          </label>
        </div>
        <fieldset>
          <legend>When all of these hold</legend>
          {leaves.map((leaf, i) => {
            const check = byName.get(leaf.field);
            return (
              <div className="row" key={leaf.id}>
                <select aria-label="Check" value={leaf.field} onChange={(e) => setLeaf(i, { field: e.target.value })}>
                  {checks.map((c) => (
                    <option key={c.name} value={c.name} title={c.description}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <select aria-label="Operator" value={leaf.operator} onChange={(e) => setLeaf(i, { operator: e.target.value })}>
                  {OPERATORS[check?.type ?? 'boolean'].map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
                {check?.type === 'number' ? (
                  <input aria-label="Value" type="number" required value={leaf.value} onChange={(e) => setLeaf(i, { value: e.target.value })} />
                ) : check?.type === 'string' ? (
                  <input aria-label="Value" required value={leaf.value} onChange={(e) => setLeaf(i, { value: e.target.value })} />
                ) : (
                  <select aria-label="Value" value={leaf.value} onChange={(e) => setLeaf(i, { value: e.target.value })}>
                    <option>true</option>
                    <option>false</option>
                  </select>
                )}
                {leaves.length > 1 ? (
                  <button type="button" className="quiet" onClick={() => setLeaves((ls) => ls.filter((_, k) => k !== i))}>
                    Remove
                  </button>
                ) : null}
                {check ? <span className="muted hint">{check.description}</span> : null}
              </div>
            );
          })}
          <button type="button" className="quiet" onClick={() => setLeaves((ls) => [...ls, newLeaf('is_new_device')])}>
            + Add a condition
          </button>
        </fieldset>
        <div className="row">
          <label>
            Then
            <select name="action" defaultValue="deny">
              {ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
        </div>
        {problem ? <Problem error={problem} /> : null}
        {tested ? (
          <p role="status" className="tested">
            Last 7 days: {tested.evaluated} evaluated, {tested.matched} would match, {tested.changed} would change verdict.
          </p>
        ) : null}
        {saved ? <p className="notice">{saved}</p> : null}
        <div className="row">
          <button type="button" className="secondary" onClick={(e) => test(e.currentTarget.form!)}>
            Test against the last 7 days
          </button>
          <button type="submit" value="disabled">
            Save disabled
          </button>
          <button type="submit" value="enable">
            Save and enable
          </button>
        </div>
      </form>
    </Card>
  );
}
