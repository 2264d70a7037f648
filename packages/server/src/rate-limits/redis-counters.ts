import { createHash } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import type { CounterCall, Counters, HitResult, PeekThenHit } from './counters.js';
import { type WindowCounts, checkArguments, checkWindow, decide, emptyWindow, fadeMs, settle } from './sliding-window.js';

export interface RedisCountersOptions {
  /** Put before every key, so the counters share a database with other data (and tests with each other). */
  prefix?: string;
}

/** All the adapter asks of a node-redis client: running a script. */
export type RedisScriptClient = Pick<RedisClientType, 'eval' | 'evalSha'>;

// Whether one more request fits a key's sliding window: its current and previous windows' keys, then
// fade (ms of the previous window still inside the slide), windowMs and limit. The test is
// sliding-window.ts's `fits`, the same operations on the same doubles in the same order (Lua numbers are
// doubles, and `fade` arrives as JS's shortest exact decimal), so it answers as MemoryCounters would.
const FITS = `
local function fits(currentKey, previousKey, fade, windowMs, limit)
  local current = tonumber(redis.call('GET', currentKey) or '0')
  local previous = tonumber(redis.call('GET', previousKey) or '0')
  return previous * tonumber(fade) / tonumber(windowMs) + current + 1 <= tonumber(limit), previous, current
end
`;
// KEYS: this window's count, the previous window's. ARGV: fade, windowMs, limit, and the TTL (ms) to
// count an allowed hit with, or 0 to only look.
const SCRIPT = `${FITS}
local allowed, previous, current = fits(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
if allowed and ARGV[4] ~= '0' then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return { allowed and 1 or 0, previous, current }
`;
// KEYS: the peeked key's two windows, then the hit key's. ARGV: fade, windowMs and limit of each, then
// the TTL to count the hit with. The hit is tried only when the peek allows.
const PEEK_THEN_HIT_SCRIPT = `${FITS}
local allowed, previous, current = fits(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
if not allowed then return { 0, previous, current } end
local hit, hitPrevious, hitCurrent = fits(KEYS[3], KEYS[4], ARGV[4], ARGV[5], ARGV[6])
if hit then
  redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
return { 1, previous, current, hit and 1 or 0, hitPrevious, hitCurrent }
`;
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
  hit: { text: SCRIPT, sha1: sha1(SCRIPT) },
  peekThenHit: { text: PEEK_THEN_HIT_SCRIPT, sha1: sha1(PEEK_THEN_HIT_SCRIPT) },
  release: { text: RELEASE_SCRIPT, sha1: sha1(RELEASE_SCRIPT) },
  reset: { text: RESET_SCRIPT, sha1: sha1(RESET_SCRIPT) },
};
type Script = (typeof SCRIPTS)[keyof typeof SCRIPTS];

/** Keys longer than this are counted under their SHA-256, so a huge key cannot make huge Redis keys. */
const MAX_KEY_LENGTH = 200;

/**
 * The shared `Counters`: every node counting in one Redis gives N nodes one allowance per key, not N.
 *
 * Each `hit` is one Lua script, so check and increment are one atomic step in Redis: two nodes can never
 * both see room for the last request. It reads `<prefix><key>:<window index>` and
 * `<prefix><key>:<window index - 1>`, and counts an allowed hit into the first with a TTL of two windows
 * from `now` (the longest a window is still read, as the previous one). The TTL is relative because
 * Redis would compare an absolute PEXPIREAT with its own clock, and time here is the caller's `now`.
 * The script decides; sliding-window.ts turns the counts it returns into the count and retry time, with
 * the very code MemoryCounters uses. `peek` runs the same script, counting nothing. `release` is one
 * script too (a DECR of `<prefix><key>:<window index>` that stops at 0, keeping the TTL the hit gave it),
 * and `reset` one DEL of both windows a later hit would read.
 *
 * Keys come namespaced by the limiter (family, then key); the window index in the Redis key also keeps
 * apart limits of different `windowMs` on one key. Unlike MemoryCounters, a node whose clock is behind
 * reads the windows of its own time, not the latest ones another node has counted in: clocks that
 * disagree by d ms can let a key through a little more often within d ms of a window boundary.
 */
export class RedisCounters implements Counters {
  readonly #client: RedisScriptClient;
  readonly #prefix: string;

  constructor(client: RedisScriptClient, options: RedisCountersOptions = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? 'vigil:rl:';
  }

  async hit(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    const { counts, allowed } = await this.#run(key, windowMs, limit, now, 2 * windowMs);
    return settle(counts, allowed, limit, now);
  }

  async peek(key: string, windowMs: number, limit: number, now: number): Promise<HitResult> {
    checkArguments(windowMs, limit);
    const { counts } = await this.#run(key, windowMs, limit, now, 0);
    return decide(counts, limit, now);
  }

  async peekThenHit(first: CounterCall, then: CounterCall, now: number): Promise<PeekThenHit> {
    checkArguments(first.windowMs, first.limit);
    checkArguments(then.windowMs, then.limit);
    const peeked = this.#keys(first.key, first.windowMs, now);
    const counted = this.#keys(then.key, then.windowMs, now);
    const fade = (windowMs: number) => String(fadeMs(emptyWindow(windowMs, now), now));
    const reply = await this.#eval(SCRIPTS.peekThenHit, {
      keys: [...peeked.keys, ...counted.keys],
      arguments: [fade(first.windowMs), String(first.windowMs), String(first.limit), fade(then.windowMs), String(then.windowMs), String(then.limit), String(2 * then.windowMs)],
    });
    const [allowed, previous, current, hit, hitPrevious, hitCurrent] = (reply as unknown[]).map(Number) as number[];
    const result = decide({ windowMs: first.windowMs, index: peeked.index, previous: previous!, current: current! }, first.limit, now);
    if (allowed !== 1) return { peeked: result, hit: null };
    const hitCounts = { windowMs: then.windowMs, index: counted.index, previous: hitPrevious!, current: hitCurrent! };
    return { peeked: result, hit: settle(hitCounts, hit === 1, then.limit, now) };
  }

  async release(key: string, windowMs: number, now: number): Promise<void> {
    checkWindow(windowMs);
    const { keys } = this.#keys(key, windowMs, now);
    await this.#eval(SCRIPTS.release, { keys: [keys[0]], arguments: [] });
  }

  async reset(key: string, windowMs: number, now: number): Promise<void> {
    checkWindow(windowMs);
    await this.#eval(SCRIPTS.reset, { keys: this.#keys(key, windowMs, now).keys, arguments: [] });
  }

  async #run(key: string, windowMs: number, limit: number, now: number, ttlMs: number): Promise<{ counts: WindowCounts; allowed: boolean }> {
    const { index, keys } = this.#keys(key, windowMs, now);
    const fade = fadeMs(emptyWindow(windowMs, now), now);
    const reply = await this.#eval(SCRIPTS.hit, { keys, arguments: [String(fade), String(windowMs), String(limit), String(ttlMs)] });
    // Number(): a client whose type mapping turns integer replies into strings still reads right.
    const [allowed, previous, current] = (reply as unknown[]).map(Number) as [number, number, number];
    return { counts: { windowMs, index, previous, current }, allowed: allowed === 1 };
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
