import { useEffect, useState } from 'react';
import { api } from './api.js';

/**
 * A list the server pages by cursor (`next`): the first page whenever `path` changes, and `more()` for
 * the next. `path` is a dashboard API path with its filters; the cursor is added as `after`.
 */
export function usePaged<T>(path: string): { rows: T[] | null; more: (() => Promise<void>) | null; error: unknown } {
  const [rows, setRows] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const withAfter = (after: string) => `${path}${path.includes('?') ? '&' : '?'}after=${encodeURIComponent(after)}`;
  useEffect(() => {
    setRows(null);
    setError(null);
    api<{ data: T[]; next: string | null }>(path).then((page) => {
      setRows(page.data);
      setNext(page.next);
    }, setError);
  }, [path]);
  const more = next
    ? async () => {
        const page = await api<{ data: T[]; next: string | null }>(withAfter(next));
        setRows((r) => [...(r ?? []), ...page.data]);
        setNext(page.next);
      }
    : null;
  return { rows, more, error };
}
