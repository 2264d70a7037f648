import type { AcceptAllProbe, Intel, MailExchanger } from '@vigil/intel';
import type { Store } from '@vigil/store';
import type { CodeDelivery } from '../challenges/delivery.js';
import type { Config } from '../config/config.js';
import type { RateLimiter } from '../rate-limits/index.js';
import type { WebhookEndpointCache } from '../webhooks/endpoint-cache.js';
import type { PolicyCache } from './policy-cache.js';
import type { Redis } from '../cluster/redis.js';

/** What every use case may touch. The clock is passed in so tests can move time. */
export interface Deps {
  config: Config;
  store: Store;
  now: () => number;
  /** Where browsers reach this server (VIGIL_PUBLIC_URL, or the address it listens on): challenge links. */
  publicUrl: () => string;
  policies: PolicyCache;
  /** The projects' webhook endpoints and what each is subscribed to, read at most every two seconds. */
  webhookEndpoints: WebhookEndpointCache;
  /** The reference data (IP lists, geolocation), loaded once at start. */
  intel: Intel;
  /** Mail-exchanger lookups (VIGIL_DNS), or null when off. */
  mailExchanger: MailExchanger | null;
  /** Accept-all probes of mail exchangers (VIGIL_SMTP_PROBE), or null when off. */
  acceptAll: AcceptAllProbe | null;
  /** Where verification codes go out: SMTP for email, the configured adapter for SMS. */
  delivery: CodeDelivery;
  /** VIGIL_RATE_LIMITS: `take(family, key)` throws RATE_LIMITED past a limit (SPEC §11). */
  rateLimiter: RateLimiter;
  /** The shared Redis (REDIS_URL), or null on a node of its own. */
  redis: Redis | null;
  /** The installation secret (VIGIL_SECRET, or `<data dir>/secret.key`) that seals stored passwords; never kept in the database. */
  sealSecret: string;
}
