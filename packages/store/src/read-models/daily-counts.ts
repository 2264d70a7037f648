import type { Store } from '../store.js';

const DAY_MS = 86_400_000;

/** One day's evaluations: how many got each verdict, and how many had each highest risk severity. */
export interface DayCounts {
  verdicts: Record<string, number>;
  severities: Record<string, number>;
}
const empty = (): DayCounts => ({ verdicts: {}, severities: {} });
const add = (into: DayCounts, c: { verdict: string; severity: string; count: number }) => {
  into.verdicts[c.verdict] = (into.verdicts[c.verdict] ?? 0) + c.count;
  into.severities[c.severity] = (into.severities[c.severity] ?? 0) + c.count;
};

/**
 * How long after a day ends its counts are still read afresh: evaluations are stamped with the clock
 * of the node that recorded them, and one whose clock is behind (or whose commit came a moment after
 * midnight) may still add to yesterday. Past this, a day is settled.
 */
export const SETTLE_MS = 10 * 60_000;

/**
 * Evaluations per day, by verdict and by highest risk severity, for the overview. A settled day (ended
 * SETTLE_MS ago) never changes: its counts are read once and kept (per node, a few bytes a day), and
 * only the days since are counted at each load. On 1,000,000 evaluations that turns a 400 ms scan into
 * today's rows alone (bench/dashboard.bench.ts). Retention may later drop old rows; the kept counts then
 * say what there was, which is what an overview of past days should say.
 */
export class DailyCounts {
  readonly #days = new Map<string, Map<number, DayCounts>>();

  constructor(private readonly store: Store) {}

  /** The days from `firstDay` to the day `now` falls in, each with its counts. */
  async between(projectId: string, firstDay: number, now: number): Promise<Map<number, DayCounts>> {
    const today = Math.floor(now / DAY_MS);
    // Days before this one are settled: kept once read.
    const unsettled = Math.floor((now - SETTLE_MS) / DAY_MS);
    let kept = this.#days.get(projectId);
    if (!kept) {
      kept = new Map();
      this.#days.set(projectId, kept);
    }
    let missing = firstDay;
    while (missing < unsettled && kept.has(missing)) missing++;
    const counted = new Map<number, DayCounts>();
    for (let d = missing; d <= today; d++) counted.set(d, empty());
    for (const c of await this.store.evaluations.countsByDay(projectId, missing * DAY_MS)) {
      const slot = counted.get(c.day);
      if (slot) add(slot, c);
    }
    for (const [d, counts] of counted) if (d < unsettled) kept.set(d, counts);
    const out = new Map<number, DayCounts>();
    for (let d = firstDay; d <= today; d++) out.set(d, counted.get(d) ?? kept.get(d) ?? empty());
    return out;
  }
}
