import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface DueDelivery {
  id: string;
  projectId: string;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: number;
  url: string;
  secret: string;
}

export function webhookRepository(db: Kysely<Database>) {
  return {
    async setEndpoint(projectId: string, endpoint: WebhookEndpoint, now: number): Promise<void> {
      await db
        .insertInto('webhook_endpoints')
        .values({ project_id: projectId, url: endpoint.url, secret: endpoint.secret, created_at: now })
        .onConflict((oc) => oc.column('project_id').doUpdateSet({ url: endpoint.url, secret: endpoint.secret, created_at: now }))
        .execute();
    },

    async endpoint(projectId: string): Promise<(WebhookEndpoint & { createdAt: number }) | null> {
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('project_id', '=', projectId).executeTakeFirst();
      return r ? { url: r.url, secret: r.secret, createdAt: Number(r.created_at) } : null;
    },

    async removeEndpoint(projectId: string): Promise<boolean> {
      const r = await db.deleteFrom('webhook_endpoints').where('project_id', '=', projectId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Queues an event for the project's endpoint; nothing when it has none. */
    async enqueue(projectId: string, delivery: { id: string; eventType: string; payload: string }, now: number): Promise<boolean> {
      const endpoint = await db.selectFrom('webhook_endpoints').select('project_id').where('project_id', '=', projectId).executeTakeFirst();
      if (!endpoint) return false;
      await db
        .insertInto('webhook_deliveries')
        .values({ id: delivery.id, project_id: projectId, event_type: delivery.eventType, payload: delivery.payload, next_attempt_at: now, created_at: now })
        .execute();
      return true;
    },

    /**
     * Claims the deliveries whose time has come, with where they go: one conditional update pushes them
     * `leaseMs` into the future, and only the rows it still found due are this node's. When several
     * nodes dispatch, PostgreSQL re-checks the condition on a row another node has just claimed (and
     * SQLite has one writer), so each delivery goes to one of them. A node that dies mid-attempt leaves
     * its claim to lapse: the delivery is tried again after the lease (at least once, never lost).
     */
    async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDelivery[]> {
      // Only deliveries whose project has an endpoint: the others wait, untouched, as before.
      const due = db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.project_id', 'webhook_deliveries.project_id')
        .select('webhook_deliveries.id')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit);
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: now + leaseMs })
        .where('id', 'in', due)
        .where('next_attempt_at', '<=', now)
        .returning('id')
        .execute();
      if (claimed.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.project_id', 'webhook_deliveries.project_id')
        .select(['webhook_deliveries.id', 'webhook_deliveries.project_id', 'event_type', 'payload', 'attempts', 'webhook_deliveries.created_at', 'url', 'secret'])
        .where('webhook_deliveries.id', 'in', claimed.map((c) => c.id))
        .orderBy('webhook_deliveries.created_at')
        .execute();
      return rows.map((r) => ({ id: r.id, projectId: r.project_id, eventType: r.event_type, payload: r.payload, attempts: Number(r.attempts), createdAt: Number(r.created_at), url: r.url, secret: r.secret }));
    },

    async delivered(id: string, now: number): Promise<void> {
      await db.updateTable('webhook_deliveries').set((eb) => ({ delivered_at: now, next_attempt_at: null, attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
    },

    /** A failed attempt: tried again at `retryAt`, or given up when that is null. */
    async attemptFailed(id: string, error: string, retryAt: number | null): Promise<void> {
      await db.updateTable('webhook_deliveries').set((eb) => ({ next_attempt_at: retryAt, last_error: error.slice(0, 500), attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
    },

    async deliveries(projectId: string): Promise<{ id: string; eventType: string; attempts: number; deliveredAt: number | null; nextAttemptAt: number | null; lastError: string | null }[]> {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, eventType: r.event_type, attempts: Number(r.attempts), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at), nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at), lastError: r.last_error }));
    },
  };
}

export type WebhookRepository = ReturnType<typeof webhookRepository>;
