import type { Reply } from '../api.js';
import { Empty, LoadMore, Problem, UserLink, when } from '../components/ui.js';
import { usePaged } from '../paged.js';

type DeviceRow = Reply<'/dashboard/api/projects/{project}/devices', 'get'>['data'][number];

/** The project's devices, most recently used first, with the users of each (a device many users share stands out). */
export function Devices({ projectId }: { projectId: string }) {
  const { rows, more, error } = usePaged<DeviceRow>(`/projects/${projectId}/devices`);
  return (
    <>
      <h1>Devices</h1>
      {error ? <Problem error={error} /> : null}
      {rows?.length === 0 ? (
        <Empty title="No device yet">
          <p>Devices are the browsers the SDK recognises (its first-party cookie, re-linked by fingerprint); they appear with the first client evaluation.</p>
        </Empty>
      ) : null}
      {rows && rows.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th>device</th>
              <th>browser</th>
              <th className="num">users</th>
              <th>who</th>
              <th>first seen</th>
              <th>last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  {d.device_class ?? 'device'} <span className="muted">{d.id}</span>
                </td>
                <td>{[d.browser, d.os && `on ${d.os}`].filter(Boolean).join(' ') || '—'}</td>
                <td className={`num ${d.user_count > 1 ? 'shared' : ''}`}>{d.user_count}</td>
                <td>
                  {d.users.map((u, i) => (
                    <span key={u}>
                      {i ? ', ' : ''}
                      <UserLink projectId={projectId} user={u} />
                    </span>
                  ))}
                  {d.user_count > d.users.length ? ` and ${d.user_count - d.users.length} more` : ''}
                </td>
                <td className="muted">{when(d.first_seen_at).slice(0, 10)}</td>
                <td>{when(d.last_seen_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <LoadMore more={more} />
    </>
  );
}
