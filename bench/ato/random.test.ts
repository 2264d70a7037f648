import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable } from './random.js';

describe('Rng', () => {
  it('gives the same stream for the same seed, another for another seed', () => {
    const draw = (seed: number | string) => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.u32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw('1')).toEqual(draw(1));
    expect(draw(2)).not.toEqual(draw(1));
  });

  it('forks by label, independent of how far the parent has gone', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    for (let k = 0; k < 100; k++) b.float();
    expect(a.fork('x').u32()).toBe(b.fork('x').u32());
    expect(a.fork('x').u32()).not.toBe(a.fork('y').u32());
  });

  it('draws in range and by weight', () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    const table = new WeightedTable([0, 1, 2], (x) => [1, 0, 3][x]!);
    const ints = new Set<number>();
    for (let k = 0; k < 20_000; k++) {
      ints.add(r.int(1, 6));
      counts[table.sample(r)]!++;
    }
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
    const xs = Array.from({ length: 10 }, (_, k) => k);
    expect([...r.shuffle([...xs])].sort((p, q) => p - q)).toEqual(xs);
    const mean = Array.from({ length: 20_000 }, () => r.exponential(2)).reduce((s, x) => s + x, 0) / 20_000;
    expect(mean).toBeGreaterThan(1.9);
    expect(mean).toBeLessThan(2.1);
  });
});
