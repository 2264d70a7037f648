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
 * Evaluations per day, by verdict and by highest risk severity, for the overview. Evaluations are stamped with the server's clock
 * when recorded, so a day that has ended never changes: its counts are read once and kept (per node,
 * a few bytes a day), and only today is counted at each load. On 1,000,000 evaluations that turns a
 * 400 ms scan into today's rows alone (bench/dashboard.bench.ts). Retention may later drop old rows; the
 * kept counts then say what there was, which is what an overview of past days should say.
 */
export class DailyCounts {
  readonly #days = new Map<string, Map<number, DayCounts>>();

  constructor(private readonly store: Store) {}

  async between(projectId: string, firstDay: number, today: number): Promise<Map<number, DayCounts>> {
    let kept = this.#days.get(projectId);
    if (!kept) this.#days.set(projectId, (kept = new Map()));
    let missing = firstDay;
    while (missing < today && kept.has(missing)) missing++;
    if (missing < today) {
      const counted = new Map<number, DayCounts>();
      for (let d = missing; d < today; d++) counted.set(d, empty());
      for (const c of await this.store.evaluations.countsByDay(projectId, missing * DAY_MS, today * DAY_MS)) {
        const slot = counted.get(c.day);
        if (slot) add(slot, c);
      }
      for (const [d, counts] of counted) kept.set(d, counts);
    }
    const todays = empty();
    for (const c of await this.store.evaluations.countsByDay(projectId, today * DAY_MS)) add(todays, c);
    const out = new Map<number, DayCounts>();
    for (let d = firstDay; d < today; d++) out.set(d, kept.get(d) ?? empty());
    out.set(today, todays);
    return out;
  }
}
