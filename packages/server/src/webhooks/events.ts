import type { WebhookEvent } from '@vigil/core';
import { newId } from '@vigil/store';
import type { Deps } from '../use-cases/deps.js';
import { isPendingIdentity } from '../use-cases/pending-identity.js';

export type { WebhookEvent };

/**
 * What an event says, beside its `data`: the account (the application's user id) and, for a challenge
 * event, the challenge. They are Rupt's field names, so a handler written for Rupt reads them unchanged.
 */
export interface WebhookEventBody {
  data: Record<string, unknown>;
  /** The application's user id, or null (a signup's identity before it has one, a list entry of no user). */
  account: string | null;
  challenge?: Record<string, unknown>;
}

/**
 * The body sent: the Standard Webhooks envelope (`type`, `timestamp`, `data`), and Rupt's `event`,
 * `account` and `challenge` beside it.
 */
export function webhookPayload(type: WebhookEvent, at: number, body: WebhookEventBody): string {
  return JSON.stringify({
    type,
    timestamp: new Date(at).toISOString(),
    data: body.data,
    event: type,
    account: body.account,
    ...(body.challenge ? { challenge: body.challenge } : {}),
  });
}

/**
 * Queues an event for every endpoint of the project subscribed to it; the dispatcher sends them. What
 * the event tells of is already stored, so a failure to queue is reported, never turned into a failed
 * request.
 */
export async function emitWebhook(deps: Pick<Deps, 'store' | 'now' | 'webhookEndpoints'>, projectId: string, type: WebhookEvent, body: WebhookEventBody): Promise<void> {
  try {
    const endpoints = await deps.webhookEndpoints.subscribed(projectId, type);
    if (endpoints.length === 0) return;
    const now = deps.now();
    const payload = webhookPayload(type, now, body);
    await deps.store.webhooks.enqueue(
      projectId,
      endpoints.map((e) => ({ id: newId('msg'), endpointId: e.id, eventType: type, payload })),
      now,
    );
  } catch (error) {
    console.error(`could not queue the ${type} webhook:`, (error as Error).message);
  }
}

/** A user's application id for `account`: null for a signup's identity that has no id yet. */
export const accountOf = (externalId: string | null | undefined): string | null => (externalId && !isPendingIdentity(externalId) ? externalId : null);

/** What a challenge event says: the challenge as the API shows it, without anything secret. */
export function challengeEventData(c: {
  id: string;
  evaluationId: string;
  userExternalId?: string;
  kind: string;
  method: string;
  channels: string[];
  reasons: string[];
  status: string;
}): Record<string, unknown> {
  const user = accountOf(c.userExternalId);
  return {
    id: c.id,
    object: 'challenge',
    evaluation: c.evaluationId,
    ...(user ? { user } : {}),
    type: c.kind,
    method: c.method,
    channels: c.channels,
    reasons: c.reasons,
    status: c.status,
  };
}
