import type { List, ListType, Project } from '@vigil/store';
import { AppError } from '../errors/codes.js';
import type { Deps } from './deps.js';
import { normalizeListValue } from '@vigil/core';

export async function findList(deps: Deps, project: Project, idOrName: string): Promise<List> {
  const list = await deps.store.lists.find(project.id, idOrName);
  if (!list) throw new AppError('LIST_NOT_FOUND', `No list ${idOrName} in this project`);
  return list;
}

export async function createList(deps: Deps, project: Project, input: { name: string; type: ListType }): Promise<List> {
  const list = await deps.store.lists.create({ projectId: project.id, name: input.name, type: input.type, now: deps.now() });
  if (!list) throw new AppError('LIST_ALREADY_EXISTS', `This project already has a list named ${input.name}`);
  return list;
}

/** Every value checked before any is written: one bad value refuses the whole request, so nothing half-lands. */
export function normalizeAll(list: List, values: string[]): string[] {
  return values.map((raw) => {
    const value = normalizeListValue(list.type, raw);
    if (value === null) throw new AppError('INVALID_LIST_VALUE', `${JSON.stringify(raw)} is not a valid ${list.type} for list ${list.name}`);
    return value;
  });
}

export function parseExpiry(deps: Deps, expiresAt: string | null | undefined): number | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  const ms = Date.parse(expiresAt);
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION_ERROR', 'body.expires_at must be an ISO 8601 date-time');
  if (ms <= deps.now()) throw new AppError('VALIDATION_ERROR', 'body.expires_at is in the past');
  return ms;
}

/** The project's lists, with how many entries each holds. */
export async function listLists(deps: Deps, project: Project) {
  return deps.store.lists.list(project.id);
}

/** A list, its entry count, and a page of its entries by value (`after` the last one of the page before). */
export async function listWithEntries(deps: Deps, project: Project, idOrName: string, page: { limit: number; after?: string }) {
  const list = await findList(deps, project, idOrName);
  const entries = await deps.store.lists.entries(list.id, { limit: page.limit + 1, ...(page.after === undefined ? {} : { after: page.after }) });
  const count = (await deps.store.lists.list(project.id)).find((l) => l.id === list.id)?.entries ?? 0;
  return { list, count, entries: entries.slice(0, page.limit), hasMore: entries.length > page.limit };
}

/** Adds values (normalised, all checked before any is written), each expiring when told. */
export async function addListEntries(deps: Deps, project: Project, idOrName: string, raw: string[], expiresAtText: string | null | undefined) {
  const list = await findList(deps, project, idOrName);
  const values = normalizeAll(list, raw);
  const expiresAt = parseExpiry(deps, expiresAtText);
  const now = deps.now();
  const result = await deps.store.lists.add({ listId: list.id, values, expiresAt, now });
  return { ...result, values, expiresAt, now };
}

/** Removes values, in the form the list holds them. */
export async function removeListEntries(deps: Deps, project: Project, idOrName: string, raw: string[]) {
  const list = await findList(deps, project, idOrName);
  return deps.store.lists.remove({ listId: list.id, values: normalizeAll(list, raw) });
}
