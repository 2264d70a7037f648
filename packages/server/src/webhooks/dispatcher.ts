import type { Store } from '@vigil/store';
import type { Config } from '../config/config.js';
import { postToCheckedAddress } from '../destinations/post-to-checked-address.js';
import { type Lookup, resolveDestination } from '../destinations/resolve.js';
import { signWebhook } from './sign.js';

/** Waits after each failed attempt: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, then it is given up (~7.2 h). */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

export interface WebhookDispatchDeps {
  store: Store;
  now: () => number;
  config: Pick<Config, 'allowPrivateDestinations'>;
  /** Where the details of a failure go (the project sees only a generic `last_error`). */
  log?: { warn(o: object, m: string): void };
  /** The resolver (tests stand in for DNS). */
  lookup?: Lookup;
}

/**
 * Sends every delivery that is due and claimed by this node, once each, and schedules the failures again. Returns how many
 * went through. A 2xx is delivered; anything else (an error, a timeout, another status) is retried.
 *
 * The endpoint's host is resolved and checked at every attempt (it was checked when saved, but DNS
 * may answer differently now), and the request goes to the address checked. What the project reads
 * back in `last_error` is deliberately coarse: a status class, never the status, a banner or a socket
 * error, so an endpoint cannot be used to probe what answers where; the details go to the log.
 */
export async function dispatchDueWebhooks(deps: WebhookDispatchDeps, limit = 20): Promise<number> {
  let delivered = 0;
  // Claimed for longer than an attempt can take (its timeout is 10 s, for each of `limit` in turn).
  for (const delivery of await deps.store.webhooks.claimDue(deps.now(), limit, limit * 10_000 + 60_000)) {
    const headers = signWebhook(delivery.secret, delivery.id, Math.floor(deps.now() / 1000), delivery.payload);
    const error = await attempt(deps, delivery.id, delivery.url, { 'content-type': 'application/json', 'user-agent': 'Vigil-Webhooks/1', ...headers }, delivery.payload);
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

/** One attempt: null when delivered, else the `last_error` the project is shown. */
async function attempt(deps: WebhookDispatchDeps, id: string, endpoint: string, headers: Record<string, string>, body: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'invalid endpoint URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'invalid endpoint URL';
  const target = await resolveDestination(url.hostname, { allowPrivate: deps.config.allowPrivateDestinations, lookup: deps.lookup });
  if (!target.ok) {
    deps.log?.warn(
      { delivery: id, host: url.hostname, addresses: target.addresses },
      `webhook not sent: ${target.reason === 'not_allowed' ? 'the endpoint resolves to an address projects may not reach' : 'the endpoint does not resolve'}`,
    );
    return target.reason === 'not_allowed' ? 'destination not allowed' : 'destination could not be resolved';
  }
  const outcome = await postToCheckedAddress(url, target, { headers, body, timeoutMs: 10_000 });
  if ('status' in outcome) {
    if (outcome.status >= 200 && outcome.status < 300) return null;
    deps.log?.warn({ delivery: id, host: url.hostname, status: outcome.status }, 'webhook refused by the endpoint');
    return `HTTP ${Math.floor(outcome.status / 100)}xx`;
  }
  deps.log?.warn({ delivery: id, host: url.hostname, address: target.address, detail: outcome.detail }, `webhook not delivered: ${outcome.error}`);
  return outcome.error === 'timeout' ? 'timed out' : 'connection failed';
}
