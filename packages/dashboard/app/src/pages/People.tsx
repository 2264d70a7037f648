import { type JSX, useEffect, useState } from 'react';
import { api } from '../api.js';
import { LinkGraph } from '../components/LinkGraph.js';
import { Badge, Card, Empty, FindUser, Link, Problem, when } from '../components/ui.js';
import { type Links, type SharedWithAccounts, thingLabel } from '../links.js';

type Shared = SharedWithAccounts;

/**
 * People (SPEC §8): how many people are behind an account and why, and the accounts linked to it by a
 * shared device or fingerprint, as a graph and as sentences. Without an account: where links exist.
 */
export function People({ projectId, search }: { projectId: string; search: string }) {
  const userId = new URLSearchParams(search).get('user') ?? '';
  const [links, setLinks] = useState<Links | null>(null);
  const [shared, setShared] = useState<Shared[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    setProblem(null);
    setLinks(null);
    setShared(null);
    if (userId) api<Links>(`/projects/${projectId}/links?user=${encodeURIComponent(userId)}`).then(setLinks, setProblem);
    else api<{ shared: Shared[] }>(`/projects/${projectId}/links`).then((r) => setShared(r.shared), setProblem);
  }, [projectId, userId]);
  const peopleLink = (user: string) => <Link to={`/dashboard/p/${projectId}/people?user=${encodeURIComponent(user)}`}>{user}</Link>;

  return (
    <>
      <h1>People</h1>
      <FindUser base={`/dashboard/p/${projectId}/people`} userId={userId} />
      {problem ? <Problem error={problem} /> : null}
      {shared ? <SharedList shared={shared} peopleLink={peopleLink} /> : null}
      {links ? (
        <>
          <PeopleBehind links={links} />
          <Card
            title={`Linked accounts (${links.accounts.length - 1})`}
            actions={<Link to={`/dashboard/p/${projectId}/users?user=${encodeURIComponent(links.user)}`}>the user's page</Link>}
          >
            {links.accounts.length > 1 ? (
              <>
                <LinkGraph links={links} projectId={projectId} />
                <p className="muted legend">● account · ■ device (solid line) or fingerprint (dashed: identical machines can share one). Click an account to centre on it.</p>
                <WhyLinked links={links} peopleLink={peopleLink} />
                {links.truncated ? <p className="muted">Only the nearest 40 accounts and the 12 latest users of each shared device or fingerprint are shown.</p> : null}
              </>
            ) : (
              <p>No other account has used this account's devices or browser fingerprints. (A shared public IP alone never links accounts.)</p>
            )}
          </Card>
        </>
      ) : null}
    </>
  );
}

function SharedList({ shared, peopleLink }: { shared: Shared[]; peopleLink: (user: string) => JSX.Element }) {
  if (shared.length === 0)
    return (
      <Empty title="No linked accounts yet">
        <p>
          Accounts are linked when they use the same browser (device) or the same browser fingerprint. When that happens, the devices and fingerprints appear here; open an account
          to see the graph and how many people are behind it.
        </p>
      </Empty>
    );
  return (
    <Card title="Devices and fingerprints used by more than one account">
      <table className="list">
        <thead>
          <tr>
            <th>shared</th>
            <th>accounts</th>
            <th>last used (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {shared.map((t) => (
            <tr key={`${t.kind}:${t.id}`}>
              <td>{thingLabel(t)}</td>
              <td>
                {t.users.map((u, i) => (
                  <span key={u}>
                    {i > 0 ? ', ' : ''}
                    {peopleLink(u)}
                  </span>
                ))}
                {t.user_count > t.users.length ? ` and ${t.user_count - t.users.length} more` : ''}
              </td>
              <td className="muted">{when(t.last_seen_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** The fewest people behind the account, and the device conflicts that prove more than one. */
function PeopleBehind({ links }: { links: Links }) {
  const { count, devices, conflicts } = links.people;
  const label = new Map(devices.map((d) => [d.id, thingLabel(d)]));
  return (
    <Card title={`People behind ${links.user}`}>
      <p className="big" data-testid="people-count">
        {count === 0 ? 'No device seen yet' : count === 1 ? 'One person' : `At least ${count} people`}
      </p>
      <p className="muted">
        {conflicts.length === 0
          ? devices.length > 1
            ? `${devices.length} devices, never active together from places too far apart for one person: one person can explain them all.`
            : 'One device, so one person as far as Vigil can tell.'
          : 'Devices active at the same time from places too far apart for one person cannot be the same person’s:'}
      </p>
      {conflicts.length > 0 ? (
        <ul>
          {conflicts.map((c) => (
            <li key={`${c.a}|${c.b}`}>
              {label.get(c.a) ?? c.a} and {label.get(c.b) ?? c.b}, first on {when(c.first_seen_at)} UTC
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

/** One sentence per linked account: which device or fingerprint ties it in, and when each side used it. */
function WhyLinked({ links, peopleLink }: { links: Links; peopleLink: (user: string) => JSX.Element }) {
  const things = new Map(links.shared.map((t) => [`${t.kind}:${t.id}`, t]));
  const usersOf = new Map<string, typeof links.sightings>();
  for (const s of links.sightings) usersOf.set(`${s.kind}:${s.thing}`, [...(usersOf.get(`${s.kind}:${s.thing}`) ?? []), s]);
  const account = new Map(links.accounts.map((a) => [a.user, a]));
  return (
    <table className="list why">
      <thead>
        <tr>
          <th>account</th>
          <th>linked by</th>
          <th>used by (last use, UTC)</th>
        </tr>
      </thead>
      <tbody>
        {[...usersOf].map(([key, sightings]) => {
          const thing = things.get(key);
          return sightings
            .filter((s) => s.user !== links.user)
            .map((s) => (
              <tr key={`${key}|${s.user}`}>
                <td>
                  {peopleLink(s.user)} {account.get(s.user)?.is_suspended ? <Badge value="suspended" /> : null}
                  {(account.get(s.user)?.depth ?? 0) > 1 ? <span className="muted"> (through another account)</span> : null}
                </td>
                <td>
                  {thing?.kind === 'fingerprint'
                    ? `the same browser fingerprint (${(thing.fingerprint ?? '').slice(0, 8)})`
                    : `the same device: ${thing ? thingLabel(thing) : key}`}
                </td>
                <td className="muted">
                  {sightings
                    .filter((o) => o.user !== s.user)
                    .map((o) => `${o.user} ${when(o.last_seen_at)}`)
                    .concat(`${s.user} ${when(s.last_seen_at)}`)
                    .join(' · ')}
                </td>
              </tr>
            ));
        })}
      </tbody>
    </table>
  );
}
