import type { Counters, HitResult } from './counters.js';

interface Entry {
  windowMs: number;
  /** Which fixed window `current` counts: floor(time / windowMs). */
  index: number;
  previous: number;
  current: number;
}

export interface MemoryCountersOptions {
  /** Keys kept at most; past it the least recently hit key is forgotten. */
  maxKeys?: number;
}

/**
 * The in-process `Counters`: one node's counts, lost at restart. A cluster without a shared adapter gets
 * each node's allowance (N nodes: N × the limit), which still bounds a flood.
 *
 * Bounded: at `maxKeys` the least recently hit key is forgotten, so a flood of made-up keys (client ids,
 * garbage secret keys) cannot grow memory without end. Forgetting is safe enough because it only ever
 * lets a key start over (it never refuses anyone), the key forgotten is the one idle the longest rather
 * than one being hammered right now, and an attacker who cycles through `maxKeys` fresh keys to reset
 * one of them is still counted per address by the `client_ip` family.
 */
export class MemoryCounters implements Counters {
  // A Map iterates in insertion order; re-inserting a key on every hit keeps the least recently hit first.
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;

  constructor(options: MemoryCountersOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
    if (!(this.#maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
  }

  /** How many keys are held now (for tests of the bound and the pruning). */
  get size(): number {
    return this.#entries.size;
  }

  // Neither method awaits anything before it returns, so each runs whole on the event loop: that is the
  // atomicity the contract asks for.
  async hit(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    this.#prune(now);
    const entry = this.#entries.get(key);
    const state = entry && entry.windowMs === windowMs ? advance(entry, now) : { windowMs, index: Math.floor(now / windowMs), previous: 0, current: 0 };
    const result = decide(state, limit, now);
    if (result.allowed) state.current += 1;
    this.#entries.delete(key);
    if (state.previous > 0 || state.current > 0) {
      if (this.#entries.size >= this.#maxKeys) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, state);
    }
    return result.allowed ? { ...result, count: Math.ceil(estimate(state, now)) } : result;
  }

  async peek(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    const entry = this.#entries.get(key);
    const state = entry && entry.windowMs === windowMs ? advance({ ...entry }, now) : { windowMs, index: Math.floor(now / windowMs), previous: 0, current: 0 };
    return decide(state, limit, now);
  }

  /** Forgets every count (tests that lower a limit mid-run start from nothing). */
  clear(): void {
    this.#entries.clear();
  }

  /** Drops keys whose both windows have passed, from the least recently hit on: amortised O(1) per hit. */
  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now < (entry.index + 2) * entry.windowMs) return;
      this.#entries.delete(key);
    }
  }
}

function checkArguments(windowMs: number, limit: number): void {
  // A limit of 0 means "off" to the caller, which then never asks; here it would mean "refuse forever".
  if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
  if (!(Number.isInteger(windowMs) && windowMs >= 1)) throw new RangeError(`windowMs must be a whole number ≥ 1, not ${windowMs}`);
}

/** The entry moved on to the window `now` falls in (mutated and returned). */
function advance(entry: Entry, now: number): Entry {
  const index = Math.floor(now / entry.windowMs);
  if (index === entry.index + 1) {
    entry.previous = entry.current;
    entry.current = 0;
  } else if (index > entry.index + 1) {
    entry.previous = 0;
    entry.current = 0;
  }
  // A clock that went back (index < entry.index) keeps the counts it has: refusing a little too long is
  // better than handing out a fresh allowance whenever the clock wobbles.
  if (index > entry.index) entry.index = index;
  return entry;
}

/** The sliding window's count: the previous window weighted by the share of it still inside the slide. */
function estimate(state: Entry, now: number): number {
  const elapsed = Math.min(Math.max(now - state.index * state.windowMs, 0), state.windowMs);
  return (state.previous * (state.windowMs - elapsed)) / state.windowMs + state.current;
}

const fits = (state: Entry, limit: number, now: number) => estimate(state, now) + 1 <= limit;

function decide(state: Entry, limit: number, now: number): HitResult {
  if (fits(state, limit, now)) return { allowed: true, count: Math.ceil(estimate(state, now)), retryAfterMs: 0 };
  return { allowed: false, count: Math.ceil(estimate(state, now)), retryAfterMs: retryAfter(state, limit, now) };
}

/** Milliseconds until a hit would fit, assuming no other hit lands meanwhile. */
function retryAfter(state: Entry, limit: number, now: number): number {
  const { windowMs: w, previous, current } = state;
  const start = state.index * w;
  // Within this window, as the previous one's weight fades: previous·(w − e)/w + current + 1 ≤ limit.
  let at = previous > 0 && current + 1 <= limit ? start + Math.ceil(w - ((limit - current - 1) * w) / previous) : Number.POSITIVE_INFINITY;
  // Otherwise in the next window, where this window's count is the one that fades.
  // current·(w − e)/w + 1 ≤ limit; with nothing counted in this window, the next one starts empty.
  if (at >= start + w) at = start + w + (current === 0 ? 0 : Math.max(0, Math.ceil(w - ((limit - 1) * w) / current)));
  at = Math.max(at, now + 1);
  // Rounding could leave `at` a millisecond short of fitting; step until it fits (a step or two at most).
  const probe = (t: number) => fits(advance({ ...state }, t), limit, t);
  for (let i = 0; i < 4 && !probe(at); i++) at += 1;
  return at - now;
}
