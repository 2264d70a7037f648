import { createHash } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import type { CounterCall, Counters, HitResult, PeekThenHit } from './counters.js';
import { type WindowCounts, checkArguments, checkWindow, decide, fits, fullCount, settle } from './sliding-window.js';

export interface RedisCountersOptions {
  /** Put before every key, so the counters share a database with other data (and tests with each other). */
  prefix?: string;
}

/** All the adapter asks of a node-redis client: three plain commands, and a script to take a hit back. */
export type RedisCountersClient = Pick<RedisClientType, 'incr' | 'pExpire' | 'mGet' | 'eval' | 'evalSha'>;

// KEYS: the count of the window a hit was counted in. Takes one back, never below 0, and never creates
// the key (a DECR on a missing key would leave a -1 with no TTL). The last one taken back deletes it.
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 1 then
  redis.call('DECR', KEYS[1])
elseif count == 1 then
  redis.call('DEL', KEYS[1])
end
return 0
`;
// KEYS: this window's count, the previous window's (all a later hit reads): both forgotten at once.
const RESET_SCRIPT = `
redis.call('DEL', KEYS[1], KEYS[2])
return 0
`;

// What SCRIPT LOAD would answer, without the round trip (or the state of "loaded yet?").
const sha1 = (script: string) => createHash('sha1').update(script).digest('hex');
const SCRIPTS = {
  release: { text: RELEASE_SCRIPT, sha1: sha1(RELEASE_SCRIPT) },
  reset: { text: RESET_SCRIPT, sha1: sha1(RESET_SCRIPT) },
};
type Script = (typeof SCRIPTS)[keyof typeof SCRIPTS];

/** Keys longer than this are counted under their SHA-256, so a huge key cannot make huge Redis keys. */
const MAX_KEY_LENGTH = 200;

/** A hit counted first: its window, that window's count with it, and the previous window's count. */
interface Counted {
  /** The Redis key counted in. */
  counter: string;
  index: number;
  /** This window's count, the hit included (INCR's answer: no other hit anywhere got the same one). */
  withHit: number;
  previous: number;
}

/**
 * The shared `Counters`: every node counting in one Redis gives N nodes one allowance per key, not N.
 *
 * A hit counts first and decides after. It sends `INCR <prefix><key>:<window index>`, a `PEXPIRE` of it
 * (two windows from `now`: the longest a window is still read, as the previous one) and an `MGET` of
 * `<prefix><key>:<window index - 1>` (with the windows `peekThenHit` peeks), pipelined in one round trip. INCR is atomic: concurrent hits on
 * every node get 1, 2, 3… in some order, each its own number, so the hit is allowed when the count
 * before it (its number − 1) still fits, and at most `limit` are, however many nodes ask at once. A
 * refused hit is then taken back (the `release` script), so refused hits are not counted, as the
 * contract says; the answer waits for that, so a caller that asks again sees it gone.
 *
 * Until it is taken back, a refused hit is in the count: another hit on that key in that moment can be
 * refused which would otherwise have been allowed. Only at the limit, and never more than `limit` are
 * allowed. A refusal reports the count a full window holds (`fullCount`), as MemoryCounters would.
 *
 * Why not one Lua script per check and increment, which would decide before counting: Redis 7.0 spends
 * about 9 µs setting up any script call, against under 1 µs for these commands. In `npm run bench --
 * cluster` Redis's CPU per evaluation went from about 31 µs to about 13 (the Lua version is in git
 * history), and Redis is the one process every node shares. `release` and `reset` stay
 * scripts: they are rare (a refused hit, a login that succeeded).
 *
 * sliding-window.ts decides from the counts with the very code MemoryCounters uses, so both adapters
 * answer alike, hit for hit (a test compares them). The TTL is relative because Redis would compare an
 * absolute PEXPIREAT with its own clock, and time here is the caller's `now`. Keys come namespaced by
 * the limiter (family, then key); the window index in the Redis key also keeps apart limits of
 * different `windowMs` on one key. Unlike MemoryCounters, a node whose clock is behind reads the windows
 * of its own time, not the latest ones another node has counted in: clocks that disagree by d ms can
 * let a key through a little more often within d ms of a window boundary.
 */
export class RedisCounters implements Counters {
  readonly #client: RedisCountersClient;
  readonly #prefix: string;

  constructor(client: RedisCountersClient, options: RedisCountersOptions = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? 'vigil:rl:';
  }

  async hit(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    const [counted] = await this.#count({ key, windowMs }, [], now);
    return await this.#settle(counted, windowMs, limit, now);
  }

  async peek(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    const { index, keys } = this.#keys(key, windowMs, now);
    const [current, previous] = (await this.#client.mGet(keys)).map(toCount) as [number, number];
    return peeked({ windowMs, index, previous, current }, limit, now);
  }

  async peekThenHit(first: CounterCall, then: CounterCall, now: number): Promise<PeekThenHit> {
    checkArguments(first.windowMs, first.limit);
    checkArguments(then.windowMs, then.limit);
    const looked = this.#keys(first.key, first.windowMs, now);
    const [counted, current, previous] = await this.#count(then, looked.keys, now);
    // The peeked window read after the hit was counted: the same window (one key in both roles) holds it.
    const own = looked.keys[0] === counted.counter ? 1 : 0;
    const result = peeked({ windowMs: first.windowMs, index: looked.index, previous: previous!, current: current! - own }, first.limit, now);
    if (!result.allowed) {
      await this.#takeBack(counted.counter);
      return { peeked: result, hit: null };
    }
    return { peeked: result, hit: await this.#settle(counted, then.windowMs, then.limit, now) };
  }

  async release(key: string, windowMs: number, now: number): Promise<void> {
    checkWindow(windowMs);
    await this.#takeBack(this.#keys(key, windowMs, now).keys[0]);
  }

  async reset(key: string, windowMs: number, now: number): Promise<void> {
    checkWindow(windowMs);
    await this.#eval(SCRIPTS.reset, { keys: this.#keys(key, windowMs, now).keys, arguments: [] });
  }

  /** Counts a hit on `call`'s window and reads its previous one, and `alsoRead`, in one round trip. */
  async #count(call: Pick<CounterCall, 'key' | 'windowMs'>, alsoRead: string[], now: number): Promise<[Counted, ...number[]]> {
    const { index, keys } = this.#keys(call.key, call.windowMs, now);
    // Issued in one turn, node-redis writes the three in one go; Redis runs them in this order.
    const [withHit, , read] = await Promise.all([this.#client.incr(keys[0]), this.#client.pExpire(keys[0], 2 * call.windowMs), this.#client.mGet([...alsoRead, keys[1]])]);
    const counts = read.map(toCount);
    return [{ counter: keys[0], index, withHit: Number(withHit), previous: counts.pop()! }, ...counts];
  }

  /** Whether the hit counted as `counted` fits; a refused one is taken back before the answer. */
  async #settle(counted: Counted, windowMs: number, limit: number, now: number): Promise<HitResult> {
    const before: WindowCounts = { windowMs, index: counted.index, previous: counted.previous, current: counted.withHit - 1 };
    if (fits(before, limit, now)) return settle(before, true, limit, now);
    await this.#takeBack(counted.counter);
    return settle(withoutRefused(before, limit, now), false, limit, now);
  }

  /** Takes one hit back from the Redis key `counter`, never going below 0 (the release script). */
  async #takeBack(counter: string): Promise<void> {
    await this.#eval(SCRIPTS.release, { keys: [counter], arguments: [] });
  }

  /** The Redis keys of the window `now` falls in and of the one before. */
  #keys(key: string, windowMs: number, now: number): { index: number; keys: [string, string] } {
    const index = Math.floor(now / windowMs);
    const base = `${this.#prefix}${key.length > MAX_KEY_LENGTH ? createHash('sha256').update(key).digest('base64url') : key}:`;
    return { index, keys: [`${base}${index}`, `${base}${index - 1}`] };
  }

  async #eval(script: Script, options: { keys: string[]; arguments: string[] }): Promise<unknown> {
    try {
      return await this.#client.evalSha(script.sha1, options);
    } catch (error) {
      // Redis forgets scripts when it restarts, fails over or is told SCRIPT FLUSH; EVAL runs and caches it.
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return await this.#client.eval(script.text, options);
    }
  }
}

/**
 * A window's counts as they may be read, refused: what was read can hold hits refused elsewhere, each
 * about to be taken back, so a refusal reports what a full window holds, as MemoryCounters (which never
 * counts them) would.
 */
function withoutRefused(counts: WindowCounts, limit: number, now: number): WindowCounts {
  return { ...counts, current: Math.min(counts.current, fullCount(counts, limit, now)) };
}

/** What `peek` answers from the counts read. */
const peeked = (counts: WindowCounts, limit: number, now: number): HitResult => decide(fits(counts, limit, now) ? counts : withoutRefused(counts, limit, now), limit, now);

/** A count as Redis returns it (a string, or null for a window nothing was counted in). */
const toCount = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
