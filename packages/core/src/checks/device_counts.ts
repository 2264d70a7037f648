import type { Checks, DeviceClass, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import { deviceConflictsFor } from './concurrent_sessions.js';
import type { CheckContext } from './context.js';

/** Up to this many devices in one web of conflicts, `people_count` is exact; above, a greedy estimate. */
export const EXACT_PEOPLE_LIMIT = 12;

/**
 * The fewest people that explain these devices (SPEC §8): two devices in conflict (used at the same time
 * from places too far apart) cannot be one person's, so this is the chromatic number of the conflict
 * graph. It is the largest over the graph's connected components; a component of up to 12 devices is
 * coloured exactly by backtracking, a larger one greedily, largest degree first (Welsh–Powell), which
 * may overcount by a little but stays fast on a pathological account. Conflicts naming devices not in
 * `devices` are ignored. 0 without devices, at least 1 with any.
 */
export function minimumPeople(devices: readonly string[], conflicts: readonly (readonly [string, string])[]): number {
  const ids = [...new Set(devices)];
  if (ids.length === 0) return 0;
  const index = new Map(ids.map((id, i) => [id, i]));
  const neighbours: Set<number>[] = ids.map(() => new Set<number>());
  let edges = 0;
  for (const [a, b] of conflicts) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j || neighbours[i]!.has(j)) continue;
    neighbours[i]!.add(j);
    neighbours[j]!.add(i);
    edges++;
  }
  // The common cases, on every evaluation: no conflict is one person; fewer than three conflicts cannot
  // close an odd cycle, so two colours do.
  if (edges === 0) return 1;
  if (edges < 3) return 2;
  let people = 1;
  for (const component of componentsOf(neighbours)) {
    if (component.length < 2) continue;
    const colours = component.length <= EXACT_PEOPLE_LIMIT ? exactColourCount(component, neighbours) : greedyColourCount(component, neighbours);
    people = Math.max(people, colours);
  }
  return people;
}

function componentsOf(neighbours: readonly Set<number>[]): number[][] {
  const seen = new Set<number>();
  const components: number[][] = [];
  for (let start = 0; start < neighbours.length; start++) {
    if (seen.has(start)) continue;
    const component: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const v = stack.pop()!;
      component.push(v);
      for (const w of neighbours[v]!) {
        if (!seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    components.push(component);
  }
  return components;
}

const byDegree = (vertices: readonly number[], neighbours: readonly Set<number>[]) => [...vertices].sort((a, b) => neighbours[b]!.size - neighbours[a]!.size || a - b);

/** The smallest k for which the component can be k-coloured, by backtracking (connected, ≥ 2 vertices: k ≥ 2). */
function exactColourCount(component: readonly number[], neighbours: readonly Set<number>[]): number {
  const order = byDegree(component, neighbours);
  const colour = new Map<number, number>();
  const colourable = (position: number, k: number, used: number): boolean => {
    if (position === order.length) return true;
    const v = order[position]!;
    // A vertex takes an existing colour or the next new one: colourings that only rename colours are tried once.
    for (let c = 0; c < Math.min(k, used + 1); c++) {
      let free = true;
      for (const w of neighbours[v]!) if (colour.get(w) === c) free = false;
      if (!free) continue;
      colour.set(v, c);
      if (colourable(position + 1, k, Math.max(used, c + 1))) return true;
      colour.delete(v);
    }
    return false;
  };
  for (let k = 2; ; k++) {
    colour.clear();
    if (colourable(0, k, 0)) return k;
  }
}

function greedyColourCount(component: readonly number[], neighbours: readonly Set<number>[]): number {
  const colour = new Map<number, number>();
  let count = 0;
  for (const v of byDegree(component, neighbours)) {
    const taken = new Set<number>();
    for (const w of neighbours[v]!) {
      const c = colour.get(w);
      if (c !== undefined) taken.add(c);
    }
    let c = 0;
    while (taken.has(c)) c++;
    colour.set(v, c);
    count = Math.max(count, c + 1);
  }
  return count;
}

/**
 * Device counts (SPEC §4) and people counts (SPEC §8). A device counts when the user used it within the
 * device window (default 30 days): last seen at or after `now − window` (and first seen by `now`: history
 * is as of now), plus this evaluation's device. By class: this device's class from its user agent (else as stored), the
 * others' as stored; a device of unknown class counts in `device_count` only, so the class counts are
 * exact for the classes known and never guess one. `people_count` explains all the user's devices within
 * retention, `active_people_count` those within the device window, both with the conflicts recorded so
 * far plus the ones this evaluation shows; absent when there is no device to go by.
 */
export function deviceCounts(input: EvaluationInput, facts: Facts, history: HistorySnapshot, ctx: CheckContext): Checks {
  const known = history.devices.filter((d) => d.firstSeenAt <= ctx.now);
  const since = ctx.now - ctx.options.deviceWindowMs;
  const active = new Map<string, DeviceClass | null>(known.filter((d) => d.lastSeenAt >= since).map((d) => [d.deviceId, d.deviceClass]));
  const all = new Set(known.map((d) => d.deviceId));
  if (input.deviceId) {
    const stored = known.find((d) => d.deviceId === input.deviceId)?.deviceClass ?? null;
    active.set(input.deviceId, facts.userAgent?.deviceClass ?? stored);
    all.add(input.deviceId);
  }
  const ofClass = (c: DeviceClass) => [...active.values()].filter((k) => k === c).length;
  const checks: Checks = {
    device_count: active.size,
    computer_device_count: ofClass('computer'),
    tablet_device_count: ofClass('tablet'),
    mobile_device_count: ofClass('mobile'),
  };
  const conflicts = [...history.deviceConflicts, ...deviceConflictsFor(input, facts, history, ctx)];
  if (all.size > 0) checks.people_count = minimumPeople([...all], conflicts);
  if (active.size > 0) checks.active_people_count = minimumPeople([...active.keys()], conflicts);
  return checks;
}
