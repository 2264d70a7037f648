import type { HitResult } from './counters.js';

/**
 * The arithmetic of counters.ts's sliding window, shared by every adapter so they agree to the request:
 * an adapter only fetches (and atomically counts into) the two fixed windows; these pure functions say
 * what the counts mean, for the in-process adapter and for Redis's alike.
 */
export interface WindowCounts {
  windowMs: number;
  /** Which fixed window `current` counts: floor(time / windowMs). */
  index: number;
  previous: number;
  current: number;
}

export function checkArguments(windowMs: number, limit: number): void {
  // A limit of 0 means "off" to the caller, which then never asks; here it would mean "refuse forever".
  if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
  checkWindow(windowMs);
}

/** What `release` and `reset` check: they take no limit. */
export function checkWindow(windowMs: number): void {
  if (!(Number.isInteger(windowMs) && windowMs >= 1)) throw new RangeError(`windowMs must be a whole number ≥ 1, not ${windowMs}`);
}

/** Nothing counted yet, in the window `now` falls in. */
export const emptyWindow = (windowMs: number, now: number): WindowCounts => ({ windowMs, index: Math.floor(now / windowMs), previous: 0, current: 0 });

/** The counts moved on to the window `now` falls in (mutated and returned). */
export function advance(counts: WindowCounts, now: number): WindowCounts {
  const index = Math.floor(now / counts.windowMs);
  if (index === counts.index + 1) {
    counts.previous = counts.current;
    counts.current = 0;
  } else if (index > counts.index + 1) {
    counts.previous = 0;
    counts.current = 0;
  }
  // A clock that went back (index < counts.index) keeps the counts it has: refusing a little too long is
  // better than handing out a fresh allowance whenever the clock wobbles.
  if (index > counts.index) counts.index = index;
  return counts;
}

/** How much of the previous window (ms) still lies inside the sliding one: its weight is this / windowMs. */
export function fadeMs(counts: WindowCounts, now: number): number {
  const elapsed = Math.min(Math.max(now - counts.index * counts.windowMs, 0), counts.windowMs);
  return counts.windowMs - elapsed;
}

/** The sliding window's count: the previous window weighted by the share of it still inside the slide. */
export function estimate(counts: WindowCounts, now: number): number {
  return (counts.previous * fadeMs(counts, now)) / counts.windowMs + counts.current;
}

/** Whether one more hit fits. */
export const fits = (counts: WindowCounts, limit: number, now: number) => estimate(counts, now) + 1 <= limit;

/**
 * The fewest hits in this window that leave no room for one more, `counts.current` aside: every hit
 * counted was allowed when the previous window weighed at least as much as now, so a window holds no
 * more than this. What a refused hit reports where the count it read may also hold hits refused
 * elsewhere and not yet taken back (redis-counters.ts).
 */
export function fullCount(counts: WindowCounts, limit: number, now: number): number {
  const holding = (current: number) => !fits({ ...counts, current }, limit, now);
  let current = Math.max(0, Math.ceil(limit - 1 - estimate({ ...counts, current: 0 }, now)));
  // Doubles can put the estimate a step off; walk to the exact edge (a step or two at most).
  while (current > 0 && holding(current - 1)) current--;
  while (!holding(current)) current++;
  return current;
}

/** What `peek` answers: whether a hit would fit now, counting nothing. */
export function decide(counts: WindowCounts, limit: number, now: number): HitResult {
  if (fits(counts, limit, now)) return { allowed: true, count: Math.ceil(estimate(counts, now)), retryAfterMs: 0 };
  return refusal(counts, limit, now);
}

/**
 * What `hit` answers, given `counts` from before the hit and whether it was `allowed` (`fits`, decided
 * where the counting is atomic). An allowed hit is added to `counts`, and to the count it reports.
 */
export function settle(counts: WindowCounts, allowed: boolean, limit: number, now: number): HitResult {
  if (!allowed) return refusal(counts, limit, now);
  counts.current += 1;
  return { allowed: true, count: Math.ceil(estimate(counts, now)), retryAfterMs: 0 };
}

function refusal(counts: WindowCounts, limit: number, now: number): HitResult {
  return { allowed: false, count: Math.ceil(estimate(counts, now)), retryAfterMs: retryAfter(counts, limit, now) };
}

/** Milliseconds until a hit would fit, assuming no other hit lands meanwhile. */
function retryAfter(counts: WindowCounts, limit: number, now: number): number {
  const { windowMs: w, previous, current } = counts;
  const start = counts.index * w;
  // Within this window, as the previous one's weight fades: previous·(w − e)/w + current + 1 ≤ limit.
  let at = previous > 0 && current + 1 <= limit ? start + Math.ceil(w - ((limit - current - 1) * w) / previous) : Number.POSITIVE_INFINITY;
  // Otherwise in the next window, where this window's count is the one that fades.
  // current·(w − e)/w + 1 ≤ limit; with nothing counted in this window, the next one starts empty.
  if (at >= start + w) at = start + w + (current === 0 ? 0 : Math.max(0, Math.ceil(w - ((limit - 1) * w) / current)));
  at = Math.max(at, now + 1);
  // Rounding could leave `at` a millisecond short of fitting; step until it fits (a step or two at most).
  const probe = (t: number) => fits(advance({ ...counts }, t), limit, t);
  for (let i = 0; i < 4 && !probe(at); i++) at += 1;
  return at - now;
}
