import type { Store } from '@vigil/store';
import { signWebhook } from './sign.js';

/** Waits after each failed attempt: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, then it is given up (~7.2 h). */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

/**
 * Sends every delivery that is due, once each, and schedules the failures again. Returns how many
 * went through. A 2xx is delivered; anything else (an error, a timeout, another status) is retried.
 */
export async function dispatchDueWebhooks(deps: { store: Store; now: () => number; fetch?: typeof fetch }, limit = 20): Promise<number> {
  const send = deps.fetch ?? fetch;
  let delivered = 0;
  for (const delivery of await deps.store.webhooks.due(deps.now(), limit)) {
    const headers = signWebhook(delivery.secret, delivery.id, Math.floor(deps.now() / 1000), delivery.payload);
    let error: string | null = null;
    try {
      const res = await send(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Webhooks/1', ...headers }, body: delivery.payload, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      await res.body?.cancel();
    } catch (e) {
      error = (e as Error).message || 'request failed';
    }
    if (error === null) {
      await deps.store.webhooks.delivered(delivery.id, deps.now());
      delivered++;
    } else {
      const delay = RETRY_DELAYS_MS[delivery.attempts];
      await deps.store.webhooks.attemptFailed(delivery.id, error, delay === undefined ? null : deps.now() + delay);
    }
  }
  return delivered;
}
