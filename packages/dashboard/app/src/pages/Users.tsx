import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type EvaluationRow, type Reply, api, v3 } from '../api.js';
import { Badge, Card, Empty, FindUser, Link, Problem, when } from '../components/ui.js';
import { navigate } from '../router.js';

type User = Reply<'/v3/users/{id}', 'get'>;
type Device = Reply<'/v3/user/{id}/devices', 'get'>['data'][number];
type Erasure = Reply<'/v3/users/{id}', 'delete'>;

const erasedWords: [keyof Erasure['erased'], string, string][] = [
  ['evaluations', 'evaluation', 'evaluations'],
  ['challenges', 'challenge', 'challenges'],
  ['devices', 'device', 'devices'],
  ['fingerprints', 'fingerprint', 'fingerprints'],
  ['sightings', 'sighting', 'sightings'],
  ['device_conflicts', 'device conflict', 'device conflicts'],
  ['list_entries', 'list entry', 'list entries'],
  ['webhook_deliveries', 'webhook delivery', 'webhook deliveries'],
];
/** "Erased alice: 4 evaluations, 1 challenge, …": what the erasure answered, in words. */
const describeErasure = (e: Erasure) => `Erased ${e.id}: ${erasedWords.map(([key, one, many]) => `${e.erased[key]} ${e.erased[key] === 1 ? one : many}`).join(', ')}.`;

/** A user: what Vigil knows, suspend or lift, erase, their devices, where they came from, their evaluations. */
export function Users({ projectId, search }: { projectId: string; search: string }) {
  const userId = new URLSearchParams(search).get('user') ?? '';
  const [user, setUser] = useState<User | null>(null);
  const [devices, setDevices] = useState<Device[]>([]);
  const [history, setHistory] = useState<EvaluationRow[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<Erasure | null>(null);
  const load = useCallback(async () => {
    setProblem(null);
    setUser(null);
    if (!userId) return;
    try {
      const id = encodeURIComponent(userId);
      const [u, d, h] = await Promise.all([
        v3<User>(projectId, `/users/${id}`),
        v3<{ data: Device[] }>(projectId, `/user/${id}/devices`),
        api<{ data: EvaluationRow[] }>(`/projects/${projectId}/evaluations?user=${id}&limit=100`),
      ]);
      setUser(u);
      setDevices(d.data);
      setHistory(h.data);
    } catch (e) {
      setProblem(e);
    }
  }, [projectId, userId]);
  useEffect(() => {
    setConfirming(false);
    // What the last erasure removed stays on the empty page it left for, until another user is opened.
    if (userId) setErased(null);
    void load();
  }, [userId, load]);
  // Erasure cannot be undone: it asks for the user id typed again, then leaves the page of someone who is gone.
  const erase = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    if (String(new FormData(event.currentTarget).get('confirm') ?? '').trim() !== userId) {
      setProblem(new Error(`Type ${userId} exactly to erase this user.`));
      return;
    }
    try {
      setErased(await v3<Erasure>(projectId, `/users/${encodeURIComponent(userId)}`, { method: 'DELETE' }));
      navigate(`/dashboard/p/${projectId}/users`);
    } catch (e) {
      setProblem(e);
    }
  };
  const suspend = async (on: boolean) => {
    await v3(projectId, `/users/${encodeURIComponent(userId)}/${on ? 'suspend' : 'unsuspend'}`, { method: 'POST', body: {} }).catch(setProblem);
    await load();
  };
  // Where the user came from: each IP and country, with how often and when last.
  const places = new Map<string, { count: number; last: string }>();
  for (const e of history) {
    const key = `${e.ip ?? 'no IP'}${e.country ? ` · ${e.country}` : ''}`;
    const seen = places.get(key);
    places.set(key, { count: (seen?.count ?? 0) + 1, last: seen?.last ?? e.created_at });
  }

  return (
    <>
      <h1>Users</h1>
      <FindUser base={`/dashboard/p/${projectId}/users`} userId={userId} />
      {problem ? <Problem error={problem} /> : null}
      {erased ? (
        <p className="notice" role="status">
          {describeErasure(erased)}
        </p>
      ) : null}
      {!userId ? (
        <Empty title="Find a user">
          <p>Enter the id your application gives the user, or open one from an evaluation.</p>
        </Empty>
      ) : null}
      {user ? (
        <>
          <Card
            title={user.id}
            actions={
              <div className="row">
                <button type="button" className={user.is_suspended ? '' : 'secondary'} onClick={() => suspend(!user.is_suspended)}>
                  {user.is_suspended ? 'Lift the suspension' : 'Suspend'}
                </button>
                <button type="button" className="secondary" aria-expanded={confirming} onClick={() => setConfirming(!confirming)}>
                  Erase this user
                </button>
              </div>
            }
          >
            {confirming ? (
              <form className="row" onSubmit={erase} aria-label="Erase this user">
                <p>
                  Erasing deletes everything Vigil holds about <strong>{user.id}</strong>: evaluations, challenges, devices and fingerprints only they used, list entries naming
                  them. It cannot be undone.
                </p>
                <label>
                  Type the user id to confirm
                  <input name="confirm" autoComplete="off" required />
                </label>
                <button type="submit">Erase permanently</button>
                <button type="button" className="quiet" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </form>
            ) : null}
            <dl>
              <dt>state</dt>
              <dd>{user.is_suspended ? <Badge value="suspended" /> : 'active'}</dd>
              <dt>email</dt>
              <dd>
                {user.email ?? '—'} {user.email ? (user.is_email_verified ? '(verified)' : '(not verified)') : ''}
              </dd>
              <dt>phone</dt>
              <dd>
                {user.phone ?? '—'} {user.phone ? (user.is_phone_verified ? '(verified)' : '(not verified)') : ''}
              </dd>
              <dt>seen</dt>
              <dd>
                {when(user.first_seen_at)} → {when(user.last_seen_at)} UTC
              </dd>
            </dl>
          </Card>
          <div className="grid2">
            <Card title={`Devices (${devices.length})`}>
              <table>
                <tbody>
                  {devices.map((d) => (
                    <tr key={d.id}>
                      <td>
                        {d.device_class ?? 'device'} <span className="muted wrap">{d.user_agent?.slice(0, 60) ?? ''}</span>
                      </td>
                      <td className="muted">last {when(d.last_seen_at)}</td>
                      <td>{d.logged_out_at ? <Badge value="logged out" /> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
            <Card title="Places">
              <table>
                <tbody>
                  {[...places].map(([place, p]) => (
                    <tr key={place}>
                      <td>{place}</td>
                      <td className="num">{p.count}×</td>
                      <td className="muted">last {when(p.last)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </div>
          <Card title="Latest evaluations">
            <table>
              <tbody>
                {history.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link to={`/dashboard/p/${projectId}/evaluations/${e.id}`}>{when(e.created_at)}</Link>
                    </td>
                    <td>{e.action}</td>
                    <td>
                      <Badge value={e.verdict} />
                    </td>
                    <td className="muted">{e.reasons.join(', ').replaceAll('_', ' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </>
      ) : null}
    </>
  );
}
