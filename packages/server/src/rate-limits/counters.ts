/** What one counted attempt found: whether it was allowed, and when a refused one may try again. */
export interface HitResult {
  allowed: boolean;
  /** The requests the window holds now (the weighted estimate, rounded up), this one included when allowed. */
  count: number;
  /** 0 when allowed; otherwise milliseconds until a hit on this key would be allowed again (at least 1). */
  retryAfterMs: number;
}

/** One key's sliding window and its limit, for a call that reads or counts several in one step. */
export interface CounterCall {
  key: string;
  windowMs: number;
  limit: number;
}

/** What `peekThenHit` found: the peek, and the hit (null when the peek refused, so nothing was counted). */
export interface PeekThenHit {
  peeked: HitResult;
  hit: HitResult | null;
}

/**
 * Rate-limit counters: a sliding window per key, approximated by two fixed windows aligned to multiples
 * of `windowMs` (the previous window's count weighted by how much of it still overlaps the sliding one,
 * as Cloudflare and most Redis limiters do). Memory is two numbers per key however high the limit.
 *
 * Every method is one atomic step, so N concurrent hits on a key allow at most `limit`: the in-process
 * adapter runs each call without an `await` inside, and a Redis adapter runs each as one Lua script over
 * `key:<window index>` and `key:<window index - 1>` (PEXPIRE two windows). Refused hits are not counted,
 * so a client that keeps hammering is let in again once its allowed ones slide out, instead of locking
 * itself out for as long as it keeps trying. Time comes in as `now` (ms): adapters never read a clock.
 */
export interface Counters {
  /** Counts one attempt on `key` if it fits within `limit` per sliding `windowMs`; refuses it otherwise. */
  hit(key: string, windowMs: number, limit: number, now: number): Promise<HitResult>;
  /** What `hit` would answer, without counting anything (to refuse early, before work a hit counts later). */
  peek(key: string, windowMs: number, limit: number, now: number): Promise<HitResult>;
  /**
   * `peek` on `first`, then, only when it allows, `hit` on `then`, as one step: a request refused early
   * by one family (an address guessing keys) and counted in another (its key) costs one round trip to
   * Redis, not two.
   */
  peekThenHit(first: CounterCall, then: CounterCall, now: number): Promise<PeekThenHit>;
  /**
   * Takes back one hit counted on `key` in the fixed window `now` falls in, never going below 0 (nothing
   * counted there: nothing to take back). Pass the `now` a hit was counted at to give back that very hit,
   * wherever the clock has moved since; a window that has already passed out of the slide is left alone.
   */
  release(key: string, windowMs: number, now: number): Promise<void>;
  /** Forgets what `key` has counted (the window `now` falls in and the one before): it starts over. */
  reset(key: string, windowMs: number, now: number): Promise<void>;
}
