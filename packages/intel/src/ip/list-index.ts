import { lastAtMost } from './search.js';

/**
 * Every list's ranges in one index: the address space cut into elementary intervals, each with the set
 * of lists (a bit each) that contain it. One binary search answers "which lists name this address",
 * whatever the number of lists (at most 32).
 */
export class ListIndex {
  private constructor(
    private readonly v4Starts: Uint32Array,
    private readonly v4Masks: Uint32Array,
    private readonly v6Hi: BigUint64Array,
    private readonly v6Lo: BigUint64Array,
    private readonly v6Masks: Uint32Array,
  ) {}

  static build(lists: { v4: [number, number][]; v6: [bigint, bigint][] }[]): ListIndex {
    if (lists.length > 32) throw new Error('ListIndex holds at most 32 lists');
    const v4 = sweep(
      lists.map((l) => l.v4),
      2 ** 32,
    );
    const v6 = sweep(
      lists.map((l) => l.v6),
      1n << 128n,
    );
    const mask64 = (1n << 64n) - 1n;
    return new ListIndex(
      Uint32Array.from(v4.map(([s]) => Number(s))),
      Uint32Array.from(v4.map(([, m]) => m)),
      BigUint64Array.from(v6.map(([s]) => BigInt(s) >> 64n)),
      BigUint64Array.from(v6.map(([s]) => BigInt(s) & mask64)),
      Uint32Array.from(v6.map(([, m]) => m)),
    );
  }

  /**
   * The bit mask of the lists that contain this IPv4 address. The search is written out here rather than
   * through lastAtMost: this is the hot path of the 2M lookups/s budget, and the closure call costs.
   */
  v4(value: number): number {
    const starts = this.v4Starts;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : this.v4Masks[found]!;
  }

  v6(value: bigint): number {
    const high = value >> 64n;
    const low = value & ((1n << 64n) - 1n);
    const found = lastAtMost(this.v6Hi.length, (k) => this.v6Hi[k]! < high || (this.v6Hi[k] === high && this.v6Lo[k]! <= low));
    return found < 0 ? 0 : this.v6Masks[found]!;
  }
}

/** Cuts the space into intervals where the set of lists does not change: [start, mask] pairs, sorted. */
function sweep<T extends number | bigint>(perList: [T, T][][], end: T): [T, number][] {
  const events: [T, number, 1 | -1][] = [];
  perList.forEach((ranges, bit) => {
    for (const [s, e] of ranges) {
      events.push([s, bit, 1]);
      const after = (typeof e === 'bigint' ? e + 1n : (e as number) + 1) as T;
      if (after < end) events.push([after, bit, -1]);
    }
  });
  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Overlapping ranges of one list are counted, so a list stays set until its last range ends.
  const counts = new Array<number>(perList.length).fill(0);
  const out: [T, number][] = [];
  let i = 0;
  while (i < events.length) {
    const at = events[i]![0];
    while (i < events.length && events[i]![0] === at) {
      const [, bit, delta] = events[i]!;
      counts[bit]! += delta;
      i++;
    }
    let mask = 0;
    counts.forEach((c, bit) => {
      if (c > 0) mask |= 1 << bit;
    });
    mask >>>= 0;
    if (out.length === 0 || out.at(-1)![1] !== mask) out.push([at, mask]);
  }
  if (out.length === 0 || out[0]![0] !== (typeof end === 'bigint' ? 0n : 0)) out.unshift([(typeof end === 'bigint' ? 0n : 0) as T, 0]);
  return out;
}
