import type { WebhookEvent } from '@vigil/core';
import type { WebhookDelivery, WebhookEndpoint } from '@vigil/store';
import { iso } from './time.js';

/** An endpoint as the API shows it: never its secret (that is answered once, when made or rotated). */
export function presentWebhookEndpoint(e: WebhookEndpoint) {
  return { id: e.id, object: 'webhook_endpoint' as const, url: e.url, events: e.events as WebhookEvent[], createdAt: iso(e.createdAt) };
}

export function presentWebhookDelivery(d: WebhookDelivery) {
  return {
    id: d.id,
    endpoint: d.endpointId,
    type: d.eventType as WebhookEvent,
    attempts: d.attempts,
    status: d.deliveredAt !== null ? ('delivered' as const) : d.nextAttemptAt !== null ? ('pending' as const) : ('failed' as const),
    createdAt: iso(d.createdAt),
    delivered_at: d.deliveredAt === null ? null : iso(d.deliveredAt),
    next_attempt_at: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
    last_error: d.lastError,
  };
}
