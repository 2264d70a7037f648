import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../json.js';
import type { Database } from '../schema.js';

export interface WebhookEndpoint {
  id: string;
  projectId: string;
  url: string;
  /** `whsec_…`: signing needs it, so it is kept; the API shows it once, when made. */
  secret: string;
  /** The event types it is sent. */
  events: string[];
  createdAt: number;
}

export interface DueDelivery {
  id: string;
  projectId: string;
  endpointId: string;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: number;
  url: string;
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string | null;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
}

type EndpointRow = Database['webhook_endpoints'];
const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  projectId: r.project_id,
  url: r.url,
  secret: r.secret,
  events: fromJson<string[]>(r.events, []),
  createdAt: Number(r.created_at),
});

export function webhookRepository(db: Kysely<Database>) {
  const endpoints = async (projectId: string): Promise<WebhookEndpoint[]> =>
    (await db.selectFrom('webhook_endpoints').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute()).map(toEndpoint);

  return {
    /** The project's endpoints, oldest first. */
    endpoints,

    async findEndpoint(projectId: string, id: string): Promise<WebhookEndpoint | null> {
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
      return r ? toEndpoint(r) : null;
    },

    async createEndpoint(projectId: string, endpoint: { id: string; url: string; secret: string; events: string[] }, now: number): Promise<WebhookEndpoint> {
      const row = { id: endpoint.id, project_id: projectId, url: endpoint.url, secret: endpoint.secret, events: toJson(endpoint.events), created_at: now };
      await db.insertInto('webhook_endpoints').values(row).execute();
      return toEndpoint(row);
    },

    /** Changes only what is given; null when the project has no such endpoint. */
    async updateEndpoint(projectId: string, id: string, changes: { url?: string; secret?: string; events?: string[] }): Promise<WebhookEndpoint | null> {
      const set = {
        ...(changes.url !== undefined && { url: changes.url }),
        ...(changes.secret !== undefined && { secret: changes.secret }),
        ...(changes.events !== undefined && { events: toJson(changes.events) }),
      };
      if (Object.keys(set).length > 0) await db.updateTable('webhook_endpoints').set(set).where('project_id', '=', projectId).where('id', '=', id).execute();
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
      return r ? toEndpoint(r) : null;
    },

    /** Removes an endpoint; its deliveries not yet made are dropped with it (nowhere to send them). */
    async removeEndpoint(projectId: string, id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx.deleteFrom('webhook_endpoints').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).where('delivered_at', 'is', null).execute();
        return true;
      });
    },

    /** Queues one event's deliveries, one per endpoint it goes to (the caller picked the subscribed ones). */
    async enqueue(projectId: string, deliveries: { id: string; endpointId: string; eventType: string; payload: string }[], now: number): Promise<void> {
      if (deliveries.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            project_id: projectId,
            endpoint_id: d.endpointId,
            event_type: d.eventType,
            payload: d.payload,
            next_attempt_at: now,
            created_at: now,
          })),
        )
        .execute();
    },

    /**
     * Claims the deliveries whose time has come, with where they go: one conditional update pushes them
     * `leaseMs` into the future, and only the rows it still found due are this node's. When several
     * nodes dispatch, PostgreSQL re-checks the condition on a row another node has just claimed (and
     * SQLite has one writer), so each delivery goes to one of them. A node that dies mid-attempt leaves
     * its claim to lapse: the delivery is tried again after the lease (at least once, never lost).
     */
    async claimDue(now: number, limit: number, leaseMs: number): Promise<DueDelivery[]> {
      const due = db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
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
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select([
          'webhook_deliveries.id',
          'webhook_deliveries.project_id',
          'webhook_endpoints.id as endpoint_id',
          'event_type',
          'payload',
          'attempts',
          'webhook_deliveries.created_at',
          'url',
          'secret',
        ])
        .where(
          'webhook_deliveries.id',
          'in',
          claimed.map((c) => c.id),
        )
        .orderBy('webhook_deliveries.created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        projectId: r.project_id,
        endpointId: r.endpoint_id,
        eventType: r.event_type,
        payload: r.payload,
        attempts: Number(r.attempts),
        createdAt: Number(r.created_at),
        url: r.url,
        secret: r.secret,
      }));
    },

    async delivered(id: string, now: number): Promise<void> {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ delivered_at: now, next_attempt_at: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    /** A failed attempt: tried again at `retryAt`, or given up when that is null. */
    async attemptFailed(id: string, error: string, retryAt: number | null): Promise<void> {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ next_attempt_at: retryAt, last_error: error.slice(0, 500), attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    /** The project's deliveries, newest first (one endpoint's when told), `before` a creation time for the next page. */
    async deliveries(projectId: string, options: { endpointId?: string; limit?: number; before?: number } = {}): Promise<WebhookDelivery[]> {
      let query = db.selectFrom('webhook_deliveries').selectAll().where('project_id', '=', projectId);
      if (options.endpointId !== undefined) query = query.where('endpoint_id', '=', options.endpointId);
      if (options.before !== undefined) query = query.where('created_at', '<', options.before);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 100)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        eventType: r.event_type,
        payload: r.payload,
        attempts: Number(r.attempts),
        createdAt: Number(r.created_at),
        deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
        nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
        lastError: r.last_error,
      }));
    },

    /**
     * Sends a delivery again, as a new delivery of the same event to the same endpoint (the first keeps
     * its record): due now, its attempts counted from zero. Null when the project has no such delivery or
     * its endpoint is gone.
     */
    async resend(projectId: string, id: string, newDeliveryId: string, now: number): Promise<WebhookDelivery | null> {
      const r = await db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select(['webhook_deliveries.endpoint_id', 'event_type', 'payload'])
        .where('webhook_deliveries.project_id', '=', projectId)
        .where('webhook_deliveries.id', '=', id)
        .executeTakeFirst();
      if (!r || r.endpoint_id === null) return null;
      await db
        .insertInto('webhook_deliveries')
        .values({ id: newDeliveryId, project_id: projectId, endpoint_id: r.endpoint_id, event_type: r.event_type, payload: r.payload, next_attempt_at: now, created_at: now })
        .execute();
      return {
        id: newDeliveryId,
        endpointId: r.endpoint_id,
        eventType: r.event_type,
        payload: r.payload,
        attempts: 0,
        createdAt: now,
        deliveredAt: null,
        nextAttemptAt: now,
        lastError: null,
      };
    },
  };
}

export type WebhookRepository = ReturnType<typeof webhookRepository>;
