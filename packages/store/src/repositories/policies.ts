import type { Policy } from '@vigil/core';
import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import { fromJson, toJson } from '../json.js';
import type { Database, PolicyTable } from '../schema.js';
import type { Environment } from './projects.js';

/** A policy as saved: core's Policy plus where it belongs and when it changed. */
export interface StoredPolicy extends Policy {
  projectId: string;
  environment: Environment;
  createdAt: number;
  updatedAt: number;
}

/** What an operator writes; ids and versions are the store's. */
export type PolicyBody = Omit<Policy, 'id' | 'version'>;

export interface PolicyVersion {
  version: number;
  policy: PolicyBody;
  createdAt: number;
}

function toPolicy(row: PolicyTable): StoredPolicy {
  return {
    id: row.id,
    projectId: row.project_id,
    environment: row.environment as Environment,
    name: row.name,
    events: fromJson<string[]>(row.events, []),
    priority: row.priority,
    enabled: row.enabled === 1,
    conditions: fromJson(row.conditions, { all: [] }),
    action: fromJson(row.action, { type: 'allow' }),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const columns = (body: PolicyBody) => ({
  name: body.name,
  events: toJson(body.events),
  priority: body.priority,
  enabled: body.enabled ? 1 : 0,
  conditions: toJson(body.conditions),
  action: toJson(body.action),
});

const bodyOf = (p: PolicyBody): PolicyBody => ({
  name: p.name,
  events: p.events,
  priority: p.priority,
  enabled: p.enabled,
  conditions: p.conditions,
  action: p.action,
});

/** An environment's live policies, in the order they run (priority, then id). */
const live = (db: Kysely<Database>, projectId: string, environment: Environment) =>
  db
    .selectFrom('policies')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('environment', '=', environment)
    .where('deleted_at', 'is', null)
    .orderBy('priority')
    .orderBy('id');

/** Policies with every version kept: an evaluation names the version that decided it. */
export function policyRepository(db: Kysely<Database>) {
  async function find(projectId: string, id: string): Promise<StoredPolicy | null> {
    const row = await db.selectFrom('policies').selectAll().where('id', '=', id).where('project_id', '=', projectId).where('deleted_at', 'is', null).executeTakeFirst();
    return row ? toPolicy(row) : null;
  }

  return {
    find,

    async create(input: { projectId: string; environment: Environment; body: PolicyBody; now: number }): Promise<StoredPolicy> {
      return db.transaction().execute(async (trx) => {
        const row: PolicyTable = {
          id: newId('po'),
          project_id: input.projectId,
          environment: input.environment,
          ...columns(input.body),
          version: 1,
          created_at: input.now,
          updated_at: input.now,
          deleted_at: null,
        };
        await trx.insertInto('policies').values(row).execute();
        await trx
          .insertInto('policy_versions')
          .values({ policy_id: row.id, version: 1, body: toJson(bodyOf(input.body)), created_at: input.now })
          .execute();
        return toPolicy(row);
      });
    },

    /** Saves a new version; null when there is no such policy. */
    async update(input: { projectId: string; id: string; body: PolicyBody; now: number }): Promise<StoredPolicy | null> {
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('policies')
          .select('version')
          .where('id', '=', input.id)
          .where('project_id', '=', input.projectId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (!current) return null;
        const version = current.version + 1;
        await trx
          .updateTable('policies')
          .set({ ...columns(input.body), version, updated_at: input.now })
          .where('id', '=', input.id)
          .where('version', '=', current.version)
          .execute();
        await trx
          .insertInto('policy_versions')
          .values({ policy_id: input.id, version, body: toJson(bodyOf(input.body)), created_at: input.now })
          .execute();
        const row = await trx.selectFrom('policies').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
        return toPolicy(row);
      });
    },

    async remove(projectId: string, id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('policies')
        .set({ deleted_at: now, updated_at: now })
        .where('id', '=', id)
        .where('project_id', '=', projectId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The environment's policies in the order they run (priority, then id). */
    async list(projectId: string, environment: Environment): Promise<StoredPolicy[]> {
      return (await live(db, projectId, environment).execute()).map(toPolicy);
    },

    /**
     * Gives the environment's policies the priorities 1, 2, 3… in `order` (every live policy's id, once),
     * in one transaction: a policy whose priority changes gets a new version. Null when `order` is not
     * exactly the environment's policies (one was added or removed meanwhile: the caller reloads).
     */
    async reorder(input: { projectId: string; environment: Environment; order: string[]; now: number }): Promise<StoredPolicy[] | null> {
      return db.transaction().execute(async (trx) => {
        const rows = await live(trx, input.projectId, input.environment).execute();
        const byId = new Map(rows.map((r) => [r.id, r]));
        if (input.order.length !== rows.length || new Set(input.order).size !== rows.length || !input.order.every((id) => byId.has(id))) return null;
        for (const [index, id] of input.order.entries()) {
          const row = byId.get(id)!;
          if (row.priority === index + 1) continue;
          const body = { ...bodyOf(toPolicy(row)), priority: index + 1 };
          const version = row.version + 1;
          await trx.updateTable('policies').set({ priority: body.priority, version, updated_at: input.now }).where('id', '=', id).where('version', '=', row.version).execute();
          await trx
            .insertInto('policy_versions')
            .values({ policy_id: id, version, body: toJson(body), created_at: input.now })
            .execute();
        }
        return (await live(trx, input.projectId, input.environment).execute()).map(toPolicy);
      });
    },

    /** A policy's versions, deleted or not; `environment`: only if the policy is of it (a key sees its environment's). */
    async versions(projectId: string, id: string, environment?: Environment): Promise<PolicyVersion[] | null> {
      let query = db.selectFrom('policies').select('id').where('id', '=', id).where('project_id', '=', projectId);
      if (environment !== undefined) query = query.where('environment', '=', environment);
      const exists = await query.executeTakeFirst();
      if (!exists) return null;
      const rows = await db.selectFrom('policy_versions').selectAll().where('policy_id', '=', id).orderBy('version', 'desc').execute();
      return rows.map((r) => ({ version: r.version, policy: fromJson<PolicyBody>(r.body, {} as PolicyBody), createdAt: r.created_at }));
    },
  };
}

export type PolicyRepository = ReturnType<typeof policyRepository>;
