import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A running server as its heartbeat describes it. */
export interface LiveNode {
  id: string;
  name: string;
  startedAt: number;
  lastSeenAt: number;
  /** Whether it shares rate limits and change notices through Redis. */
  sharesState: boolean;
}

/** The heartbeat rows of the servers on this database (docs/deploy.md). */
export function nodeRepository(db: Kysely<Database>) {
  return {
    /** Writes this node's heartbeat: its row, created on the first beat. */
    async beat(node: { id: string; name: string; startedAt: number; sharesState: boolean }, now: number): Promise<void> {
      const row = { id: node.id, name: node.name, started_at: node.startedAt, last_seen_at: now, shares_state: node.sharesState ? 1 : 0 };
      await db
        .insertInto('nodes')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: now, shares_state: row.shares_state }))
        .execute();
    },

    /** The nodes heard from since `since`, this one included, oldest first. */
    async live(since: number): Promise<LiveNode[]> {
      const rows = await db.selectFrom('nodes').selectAll().where('last_seen_at', '>=', since).orderBy('started_at').orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, startedAt: Number(r.started_at), lastSeenAt: Number(r.last_seen_at), sharesState: Number(r.shares_state) === 1 }));
    },

    /** Forgets a node that stopped, and rows of nodes silent since before `staleBefore` (killed ones). */
    async leave(id: string, staleBefore: number): Promise<void> {
      await db
        .deleteFrom('nodes')
        .where((eb) => eb.or([eb('id', '=', id), eb('last_seen_at', '<', staleBefore)]))
        .execute();
    },
  };
}
