import type { CounterCall, Counters, HitResult, PeekThenHit } from './counters.js';
import { type WindowCounts, advance, checkArguments, checkWindow, decide, emptyWindow, fits, settle } from './sliding-window.js';

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
  // A Map iterates in insertion order; re-inserting a key when it is hit (unless it is last already) keeps
  // the least recently hit first.
  readonly #entries = new Map<string, WindowCounts>();
  /** The key set last, so the last in the Map's order (undefined once it is deleted). */
  #newest: string | undefined;
  readonly #maxKeys: number;

  constructor(options: MemoryCountersOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
    if (!(this.#maxKeys >= 1)) throw new RangeError('maxKeys must be at least 1');
  }

  /** How many keys are held now (for tests of the bound and the pruning). */
  get size(): number {
    return this.#entries.size;
  }

  // No method awaits anything before it returns, so each runs whole on the event loop: that is the
  // atomicity the contract asks for.
  async hit(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    return this.#hit(key, windowMs, limit, now);
  }

  async peek(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    return this.#peek(key, windowMs, limit, now);
  }

  async peekThenHit(first: CounterCall, then: CounterCall, now: number): Promise<PeekThenHit> {
    checkArguments(first.windowMs, first.limit);
    checkArguments(then.windowMs, then.limit);
    const peeked = this.#peek(first.key, first.windowMs, first.limit, now);
    return { peeked, hit: peeked.allowed ? this.#hit(then.key, then.windowMs, then.limit, now) : null };
  }

  async release(key: string, windowMs: number, now: number): Promise<void> {
    checkWindow(windowMs);
    const entry = this.#entries.get(key);
    if (!entry || entry.windowMs !== windowMs) return;
    // `current` holds the hits of window `entry.index`, `previous` those of the one before (the entry moves
    // on only when hit, so a later window than `entry.index` has nothing counted yet): what Redis keeps
    // under `key:<index>` and `key:<index - 1>`.
    const index = Math.floor(now / windowMs);
    if (index === entry.index && entry.current > 0) entry.current -= 1;
    else if (index === entry.index - 1 && entry.previous > 0) entry.previous -= 1;
    if (entry.previous === 0 && entry.current === 0) this.#forget(key);
  }

  async reset(key: string, windowMs: number, _now: number): Promise<void> {
    checkWindow(windowMs);
    this.#forget(key);
  }

  /** Forgets every count (tests that lower a limit mid-run start from nothing). */
  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
  }

  #forget(key: string): void {
    this.#entries.delete(key);
    if (key === this.#newest) this.#newest = undefined;
  }

  #hit(key: string, windowMs: number, limit: number, now: number): HitResult {
    this.#prune(now);
    const entry = this.#entries.get(key);
    const state = entry && entry.windowMs === windowMs ? advance(entry, now) : emptyWindow(windowMs, now);
    const result = settle(state, fits(state, limit, now), limit, now);
    const kept = state.previous > 0 || state.current > 0;
    // The key hit last is already last in the order: its counts moved in place (`advance` mutates
    // `entry`). Deleting and setting it again made V8 rebuild the Map's table, and a long-lived Map's
    // new table is allocated in the old generation: ~50 bytes of it per hit of a server's one secret
    // key, garbage that only a full collection takes back.
    if (kept && state === entry && key === this.#newest) return result;
    this.#forget(key);
    if (kept) {
      if (this.#entries.size >= this.#maxKeys) this.#forget(this.#entries.keys().next().value!);
      this.#entries.set(key, state);
      this.#newest = key;
    }
    return result;
  }

  #peek(key: string, windowMs: number, limit: number, now: number): HitResult {
    const entry = this.#entries.get(key);
    const state = entry && entry.windowMs === windowMs ? advance({ ...entry }, now) : emptyWindow(windowMs, now);
    return decide(state, limit, now);
  }

  /** Drops keys whose both windows have passed, from the least recently hit on: amortised O(1) per hit. */
  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now < (entry.index + 2) * entry.windowMs) return;
      this.#forget(key);
    }
  }
}
