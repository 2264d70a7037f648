import { newId } from '@vigil/store';
import type { Store } from '@vigil/store';

export type WebhookEventType = 'challenge.initiated' | 'challenge.completed';

/** Queues an event for the project's webhook endpoint, if it has one; the dispatcher sends it. */
export async function emitWebhook(deps: { store: Store; now: () => number }, projectId: string, type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
  const now = deps.now();
  const id = newId('msg');
  const payload = JSON.stringify({ type, timestamp: new Date(now).toISOString(), data });
  await deps.store.webhooks.enqueue(projectId, { id, eventType: type, payload }, now);
}

/** What a challenge event says: the challenge as the API shows it, without anything secret. */
export function challengeEventData(c: { id: string; evaluationId: string; userExternalId?: string; kind: string; method: string; channels: string[]; reasons: string[]; status: string }): Record<string, unknown> {
  return { id: c.id, object: 'challenge', evaluation: c.evaluationId, ...(c.userExternalId ? { user: c.userExternalId } : {}), type: c.kind, method: c.method, channels: c.channels, reasons: c.reasons, status: c.status };
}
