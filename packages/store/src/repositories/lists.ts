import type { ListMembership, ListType, ListValueKind } from '@vigil/core';
import type { Kysely } from 'kysely';
import { hot } from '../hot/compiled.js';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';

export type { ListType };

export interface List {
  id: string;
  name: string;
  type: ListType;
  createdAt: number;
}

export interface ListEntry {
  value: string;
  expiresAt: number | null;
  createdAt: number;
}

/** The values of one evaluation that lists can hold, by list type (already normalised by the caller). */
export type ListValues = Partial<Record<ListValueKind, string | null>>;

const toList = (r: { id: string; name: string; type: string; created_at: number }): List => ({ id: r.id, name: r.name, type: r.type as ListType, createdAt: r.created_at });

// Read on every evaluation: compiled once.
const listsOfProject = hot<{ projectId: string }, { id: string; name: string; type: string }>((db, p) =>
  db.selectFrom('lists').select(['id', 'name', 'type']).where('project_id', '=', p.projectId),
);

export function listRepository(db: Kysely<Database>) {
  return {
    /** Null when the project already has a list of that name. */
    async create(input: { projectId: string; name: string; type: ListType; now: number }): Promise<List | null> {
      const row = { id: newId('li'), project_id: input.projectId, name: input.name, type: input.type, created_at: input.now };
      const result = await db
        .insertInto('lists')
        .values(row)
        .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1 ? toList(row) : null;
    },

    async list(projectId: string): Promise<(List & { entries: number })[]> {
      const rows = await db
        .selectFrom('lists')
        .leftJoin('list_entries', 'list_entries.list_id', 'lists.id')
        .select(['lists.id', 'lists.name', 'lists.type', 'lists.created_at'])
        .select((eb) => eb.fn.count<number>('list_entries.value').as('entries'))
        .where('lists.project_id', '=', projectId)
        .groupBy(['lists.id', 'lists.name', 'lists.type', 'lists.created_at'])
        .orderBy('lists.name')
        .execute();
      return rows.map((r) => ({ ...toList(r), entries: Number(r.entries) }));
    },

    async find(projectId: string, idOrName: string): Promise<List | null> {
      const row = await db
        .selectFrom('lists')
        .selectAll()
        .where('project_id', '=', projectId)
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .executeTakeFirst();
      return row ? toList(row) : null;
    },

    async entries(listId: string, options: { limit: number; after?: string }): Promise<ListEntry[]> {
      let query = db.selectFrom('list_entries').selectAll().where('list_id', '=', listId).orderBy('value').limit(options.limit);
      if (options.after !== undefined) query = query.where('value', '>', options.after);
      const rows = await query.execute();
      return rows.map((r) => ({ value: r.value, expiresAt: r.expires_at, createdAt: r.created_at }));
    },

    /** Adds (or renews the expiry of) values; answers how many were new and the list's size. */
    async add(input: { listId: string; values: string[]; expiresAt: number | null; now: number }): Promise<{ added: number; total: number }> {
      return db.transaction().execute(async (trx) => {
        const before = await countEntries(trx, input.listId);
        for (const value of new Set(input.values)) {
          await trx
            .insertInto('list_entries')
            .values({ list_id: input.listId, value, expires_at: input.expiresAt, created_at: input.now })
            .onConflict((oc) => oc.columns(['list_id', 'value']).doUpdateSet({ expires_at: input.expiresAt }))
            .execute();
        }
        const total = await countEntries(trx, input.listId);
        return { added: total - before, total };
      });
    },

    async remove(input: { listId: string; values: string[] }): Promise<{ removed: number; total: number }> {
      return db.transaction().execute(async (trx) => {
        let removed = 0;
        if (input.values.length > 0) {
          const result = await trx
            .deleteFrom('list_entries')
            .where('list_id', '=', input.listId)
            .where('value', 'in', [...new Set(input.values)])
            .executeTakeFirst();
          removed = Number(result.numDeletedRows);
        }
        return { removed, total: await countEntries(trx, input.listId) };
      });
    },

    /**
     * Which of the project's lists hold a value of this evaluation (expired entries do not count).
     * `cidr` lists are matched by `inCidr`, which the caller supplies (the store parses no addresses).
     * `valuesOf` gives the evaluation's values, asked only when the project has a list: putting them in
     * the form lists keep parses the IP twice, 2 % of an evaluation's CPU for most projects, which have none.
     */
    async membership(projectId: string, valuesOf: () => ListValues, now: number, inCidr: (cidr: string) => boolean): Promise<ListMembership[]> {
      const lists = await listsOfProject.rows(db, { projectId });
      if (lists.length === 0) return [];
      const values = valuesOf();
      const wanted = [...new Set(Object.values(values).filter((v): v is string => typeof v === 'string' && v !== ''))];
      const cidrLists = lists.filter((l) => l.type === 'cidr').map((l) => l.id);
      const exactLists = lists.filter((l) => l.type !== 'cidr').map((l) => l.id);
      const hits = new Set<string>();
      if (wanted.length > 0 && exactLists.length > 0) {
        const rows = await db
          .selectFrom('list_entries')
          .select(['list_id', 'value'])
          .where('list_id', 'in', exactLists)
          .where('value', 'in', wanted)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .execute();
        const typeOf = new Map(lists.map((l) => [l.id, l.type]));
        for (const row of rows) if (values[typeOf.get(row.list_id) as ListValueKind] === row.value) hits.add(row.list_id);
      }
      if (values.ip && cidrLists.length > 0) {
        const rows = await db
          .selectFrom('list_entries')
          .select(['list_id', 'value'])
          .where('list_id', 'in', cidrLists)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .execute();
        for (const row of rows) if (!hits.has(row.list_id) && inCidr(row.value)) hits.add(row.list_id);
      }
      return lists.map((l) => ({ name: l.name, type: l.type as ListType, matched: hits.has(l.id) }));
    },
  };
}

async function countEntries(db: Kysely<Database>, listId: string): Promise<number> {
  const row = await db
    .selectFrom('list_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('list_id', '=', listId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type ListRepository = ReturnType<typeof listRepository>;
