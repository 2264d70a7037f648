import { VigilError } from '../errors.js';
import { idSegment, valueSegment } from '../ids.js';
import type { List, ListEntry, ListType } from '../types.js';
import { del, get, post, type Send } from './call.js';

const MAX_VALUES = 500;
// Lists are named by id (`li_…`) or by name; both are safe path segments.
const path = (idOrName: string, suffix = '') => `/v3/lists/${idSegment(idOrName, 'a list id or name')}${suffix}`;

function batch(values: string | string[], expiresAt?: string | null) {
  const many = Array.isArray(values);
  if (many && (values.length === 0 || values.length > MAX_VALUES)) throw new VigilError('INVALID_ARGUMENT', `Send 1 to ${MAX_VALUES} values at a time`);
  return { ...(many ? { values } : { value: values }), ...(expiresAt === undefined ? {} : { expires_at: expiresAt }) };
}

export function lists(send: Send) {
  return {
    create: (input: { name: string; type: ListType }) => send<List>(post('/v3/lists', input, false)),
    list: async () => (await send<{ data: List[] }>(get('/v3/lists'))).data,
    /** A list and a page of its entries, by value (`after`: the last value of the previous page). */
    get: async (idOrName: string, page: { limit?: number; after?: string } = {}) => {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.after !== undefined) query.set('after', page.after);
      const qs = query.size > 0 ? `?${query}` : '';
      return send<List & { data: ListEntry[]; has_more: boolean }>(get(`${path(idOrName)}${qs}`));
    },
    addEntry: async (idOrName: string, entry: { value: string; expires_at?: string | null }) => send<ListEntry>(post(path(idOrName, '/entries'), entry, true)),
    removeEntry: async (idOrName: string, value: string) => send<void>(del(path(idOrName, `/entries/${valueSegment(value)}`))),
    add: async (idOrName: string, values: string | string[], options: { expires_at?: string | null } = {}) =>
      send<{ added: number; total: number }>(post(path(idOrName, '/add'), batch(values, options.expires_at), true)),
    remove: async (idOrName: string, values: string | string[]) => send<{ removed: number; total: number }>(post(path(idOrName, '/remove'), batch(values), true)),
  };
}
