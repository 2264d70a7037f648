import type { RateLimits } from '../config/config.js';
import { AppError } from '../errors/codes.js';
import type { Counters } from './counters.js';

export type RateLimitFamily = keyof RateLimits;

/** Past a rate limit: `429 RATE_LIMITED`, and the error handler sends `Retry-After: <retryAfterSeconds>`. */
export class RateLimitedError extends AppError {
  constructor(
    readonly family: RateLimitFamily,
    /** Whole seconds, at least 1: what `Retry-After` says. */
    readonly retryAfterSeconds: number,
  ) {
    // The family names which VIGIL_RATE_LIMITS entry to raise; the key itself (an address, a key's hash)
    // is never echoed.
    super('RATE_LIMITED', `Too many requests (rate limit ${family}); retry in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

/**
 * The rate limits of SPEC §11 (VIGIL_RATE_LIMITS) over a `Counters` adapter: one sliding window per
 * family and key. A family whose limit is 0 is off and costs nothing. `limits` is read on every call
 * (the test harness changes it mid-run).
 */
export class RateLimiter {
  constructor(
    /** The counters it counts in: the dashboard's LoginThrottle counts in the same ones (shared via Redis too). */
    readonly counters: Counters,
    private readonly limits: RateLimits,
    private readonly now: () => number,
  ) {}

  /** Counts one request of `family` under `key`; throws RateLimitedError (counting nothing) when over. */
  async take(family: RateLimitFamily, key: string): Promise<void> {
    const { limit, windowMs } = this.limits[family];
    if (limit === 0) return;
    const result = await this.counters.hit(keyOf(family, key), windowMs, limit, this.now());
    if (!result.allowed) throw new RateLimitedError(family, retryAfterSeconds(result.retryAfterMs));
  }

  /**
   * `check` of one family and key, then `take` of another, as one step (one round trip to Redis): the
   * server API's every request checks its address for failed keys and counts its key.
   */
  async checkThenTake(check: [RateLimitFamily, string], take: [RateLimitFamily, string]): Promise<void> {
    const [checked, taken] = [this.limits[check[0]], this.limits[take[0]]];
    if (checked.limit === 0) return this.take(...take);
    if (taken.limit === 0) return this.check(...check);
    const { peeked, hit } = await this.counters.peekThenHit(
      { key: keyOf(check[0], check[1]), windowMs: checked.windowMs, limit: checked.limit },
      { key: keyOf(take[0], take[1]), windowMs: taken.windowMs, limit: taken.limit },
      this.now(),
    );
    if (!peeked.allowed) throw new RateLimitedError(check[0], retryAfterSeconds(peeked.retryAfterMs));
    if (hit && !hit.allowed) throw new RateLimitedError(take[0], retryAfterSeconds(hit.retryAfterMs));
  }

  /** Throws RateLimitedError if `key` is already over its limit, counting nothing (take counts later). */
  async check(family: RateLimitFamily, key: string): Promise<void> {
    const { limit, windowMs } = this.limits[family];
    if (limit === 0) return;
    const result = await this.counters.peek(keyOf(family, key), windowMs, limit, this.now());
    if (!result.allowed) throw new RateLimitedError(family, retryAfterSeconds(result.retryAfterMs));
  }
}

// Namespaced by family so one family's keys never share a window with another's, whatever the keys are.
const keyOf = (family: RateLimitFamily, key: string) => `${family}\u0000${key}`;

/** `Retry-After` is whole seconds; rounding down would tell a client to come back while still refused. */
const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The key a client address is counted under: an IPv4 address as it is, an IPv6 address by its /64. One
 * home or server is handed a whole /64 (2^64 addresses), so counting each IPv6 address apart would let
 * one machine walk through fresh addresses for ever. `ip` is canonical (request-ip.ts's clientIp).
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const groups = (text: string) => (text === '' ? [] : text.split(':').flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g])));
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...Array<string>(Math.max(0, 8 - before.length - after.length)).fill('0'), ...after];
  return `${all
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
