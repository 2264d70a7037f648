// Seeded PRNG for the account-takeover evaluation set.
//
//   class Rng { constructor(seed: number | string); float(): number; int(min, max): number; chance(p): boolean;
//     pick<T>(xs: readonly T[]): T; weighted<T>(xs: readonly T[], weight: (x: T) => number): T;
//     exponential(mean): number; normal(mean?, sd?): number; lognormal(mu, sigma): number;
//     shuffle<T>(xs: T[]): T[]; fork(label: string | number): Rng; u32(): number }
//   class WeightedTable<T> { constructor(items, weight); sample(rng): T; size: number }
//
// sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, public domain): 128-bit state, passes
// PractRand far beyond what this needs, and is plain 32-bit integer arithmetic, so the stream is the same
// on every platform and Node version. Math.random() is never used: the evaluation set must be
// reproducible byte for byte from its seed.

/** A 32-bit hash of a string (FNV-1a then a murmur3 finaliser) to turn seeds and labels into state. */
function hash32(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;
  private readonly seedText: string;

  constructor(seed: number | string) {
    const s = String(seed);
    this.seedText = s;
    this.a = hash32(s, 1);
    this.b = hash32(s, 2);
    this.c = hash32(s, 3);
    this.d = hash32(s, 4) | 1;
    // The first outputs of sfc32 still show the seed's structure: discard them, as its author advises.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution (plenty for this use). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.float() * xs.length)]!;
  }

  /** One item with probability proportional to its weight (linear: for long lists use WeightedTable). */
  weighted<T>(xs: readonly T[], weight: (x: T) => number): T {
    let total = 0;
    for (const x of xs) total += Math.max(0, weight(x));
    if (!(total > 0)) throw new Error('weighted pick with no positive weight');
    let r = this.float() * total;
    for (const x of xs) {
      r -= Math.max(0, weight(x));
      if (r < 0) return x;
    }
    // Rounding left r a hair above zero: the last positive item.
    for (let i = xs.length - 1; i >= 0; i--) if (weight(xs[i]!) > 0) return xs[i]!;
    throw new Error('unreachable');
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Box–Muller; the second value is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }

  /**
   * An independent stream derived from this one's seed and a label (not from its current position).
   * Sub-models (each user, the attacks) get their own stream so that drawing more numbers in one of them
   * does not shift every other.
   */
  fork(label: string | number): Rng {
    return new Rng(`${this.seedText}/${label}`);
  }
}

/** Weighted sampling in O(log n) by binary search over cumulative weights (for the large UA and range lists). */
export class WeightedTable<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(items: Iterable<T>, weight: (x: T) => number) {
    for (const x of items) {
      const w = weight(x);
      if (!(w > 0)) continue;
      this.total += w;
      this.items.push(x);
      this.cumulative.push(this.total);
    }
  }

  get size(): number {
    return this.items.length;
  }

  sample(rng: Rng): T {
    if (this.items.length === 0) throw new Error('sample from an empty table');
    const r = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
