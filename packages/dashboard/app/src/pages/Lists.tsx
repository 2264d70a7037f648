import { LIST_TYPES } from '@vigil/core/closed-sets';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { v3 } from '../api.js';
import { Card, Empty, Problem } from '../components/ui.js';
import { entriesToCsv, valuesFromCsv } from '../lists/csv.js';

interface ListDef {
  id: string;
  name: string;
  type: string;
  entries: number;
}
interface Entry {
  value: string;
  expires_at: string | null;
  createdAt: string;
}
const TYPES = LIST_TYPES;

/** Lists: create, see and change entries (with expiry), import and export CSV. */
export function Lists({ projectId }: { projectId: string }) {
  const [lists, setLists] = useState<ListDef[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => v3<{ data: ListDef[] }>(projectId, '/lists').then((r) => setLists(r.data), setError), [projectId]);
  useEffect(() => {
    reload();
  }, [reload]);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    try {
      const made = await v3<ListDef>(projectId, '/lists', { method: 'POST', body: { name: String(data.get('name')), type: String(data.get('type')) } });
      await reload();
      setOpen(made.id);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1>Lists</h1>
      {error ? <Problem error={error} /> : null}
      {lists?.length === 0 ? (
        <Empty title="No list yet">
          <p>
            Lists hold users, emails, IPs, countries… that policies test with <code>in_list:&lt;name&gt;</code>, and that policies can add to.
          </p>
        </Empty>
      ) : null}
      {lists && lists.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th>name</th>
              <th>holds</th>
              <th className="num">entries</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id}>
                <td>
                  <button type="button" className="quiet" onClick={() => setOpen(l.id)}>
                    {l.name}
                  </button>
                </td>
                <td>{l.type.replace('_', ' ')}</td>
                <td className="num">{l.entries}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open ? <ListEntries projectId={projectId} listId={open} onChange={reload} /> : null}
      <Card title="New list">
        <form className="row" onSubmit={create}>
          <label>
            Name <input name="name" required pattern="[a-z0-9][a-z0-9_.\-]{0,63}" placeholder="blocked_ips" />
          </label>
          <label>
            Holds
            <select name="type" defaultValue="ip">
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <button type="submit">Create list</button>
        </form>
      </Card>
    </>
  );
}

function ListEntries({ projectId, listId, onChange }: { projectId: string; listId: string; onChange: () => void }) {
  const [list, setList] = useState<(ListDef & { data: Entry[]; has_more: boolean }) | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = useCallback(() => v3<ListDef & { data: Entry[]; has_more: boolean }>(projectId, `/lists/${listId}?limit=500`).then(setList, setProblem), [projectId, listId]);
  useEffect(() => {
    reload();
  }, [reload]);
  const changed = async () => {
    await reload();
    onChange();
  };
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const expires = String(data.get('expires') ?? '');
    setProblem(null);
    try {
      await v3(projectId, `/lists/${listId}/entries`, {
        method: 'POST',
        body: { value: String(data.get('value')), ...(expires ? { expires_at: new Date(`${expires}T00:00:00Z`).toISOString() } : {}) },
      });
      form.reset();
      await changed();
    } catch (e) {
      setProblem(e);
    }
  };
  const remove = async (value: string) => {
    await v3(projectId, `/lists/${listId}/entries/${encodeURIComponent(value)}`, { method: 'DELETE' }).catch(setProblem);
    await changed();
  };
  const importCsv = async (file: File) => {
    // One value per line, or the first column of a CSV (as exported below); a header "value" is skipped.
    const values = valuesFromCsv(await file.text());
    setProblem(null);
    try {
      let added = 0;
      for (let i = 0; i < values.length; i += 500)
        added += (await v3<{ added: number }>(projectId, `/lists/${listId}/add`, { method: 'POST', body: { values: values.slice(i, i + 500) } })).added;
      setNotice(`Imported ${added} new of ${values.length} values.`);
      await changed();
    } catch (e) {
      setProblem(e);
    }
  };
  const exportCsv = () => {
    if (!list) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([entriesToCsv(list.data)], { type: 'text/csv' }));
    a.download = `${list.name}.csv`;
    a.click();
  };
  if (!list) return problem ? <Problem error={problem} /> : null;
  return (
    <Card
      title={`${list.name} (${list.type.replace('_', ' ')})`}
      actions={
        <button type="button" className="quiet" onClick={exportCsv}>
          Export CSV
        </button>
      }
    >
      <form className="row" onSubmit={add}>
        <label>
          Value <input name="value" required aria-label="New value" />
        </label>
        <label>
          Expires (optional) <input name="expires" type="date" />
        </label>
        <button type="submit">Add</button>
        <label className="file">
          Import CSV <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => e.target.files?.[0] && importCsv(e.target.files[0])} />
        </label>
      </form>
      {problem ? <Problem error={problem} /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {list.data.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table className="entries">
          <tbody>
            {list.data.map((e) => (
              <tr key={e.value}>
                <td>{e.value}</td>
                <td className="muted">{e.expires_at ? `until ${e.expires_at.slice(0, 10)}` : 'no expiry'}</td>
                <td>
                  <button type="button" className="quiet" onClick={() => remove(e.value)} aria-label={`Remove ${e.value}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.has_more ? <p className="muted">Showing the first 500 entries.</p> : null}
    </Card>
  );
}
