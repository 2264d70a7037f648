import type { List, ListEntry } from '@vigil/store';
import { iso } from './time.js';

export const presentList = (l: List, entries: number) => ({ id: l.id, object: 'list_definition' as const, name: l.name, type: l.type, entries, createdAt: iso(l.createdAt) });
export const presentListEntry = (e: ListEntry) => ({ value: e.value, expires_at: e.expiresAt === null ? null : iso(e.expiresAt), createdAt: iso(e.createdAt) });
