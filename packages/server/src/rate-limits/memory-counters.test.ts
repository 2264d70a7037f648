import { describe, expect, it } from 'vitest';
import { countersContract } from './counters.contract.js';
import { MemoryCounters } from './memory-counters.js';

countersContract('memory', () => new MemoryCounters());

describe('MemoryCounters', () => {
  const w = 60_000;
  const t0 = 1_800_000_000_000;

  it('holds at most maxKeys keys, forgetting the least recently hit', async () => {
    const c = new MemoryCounters({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) await c.hit(key, w, 1, t0);
    // `a` is hit again (refused), so `b` is now the one idle the longest.
    expect((await c.hit('a', w, 1, t0)).allowed).toBe(false);
    await c.hit('d', w, 1, t0);
    expect(c.size).toBe(3);
    expect((await c.peek('b', w, 1, t0)).allowed).toBe(true);
    for (const key of ['a', 'c', 'd']) expect((await c.peek(key, w, 1, t0)).allowed).toBe(false);
  });

  it('keeps the key hit last where it is when it is hit again, and still forgets the least recently hit', async () => {
    const c = new MemoryCounters({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'c', 'c']) await c.hit(key, w, 1, t0);
    // `a` moves past `c` (hit in place) and `b`, which is then the one idle the longest.
    await c.hit('a', w, 1, t0);
    await c.hit('d', w, 1, t0);
    expect((await c.peek('b', w, 1, t0)).allowed).toBe(true);
    for (const key of ['a', 'c', 'd']) expect((await c.peek(key, w, 1, t0)).allowed).toBe(false);
    // Forgotten, then hit again: it starts over, and is the newest again.
    await c.reset('d', w, t0);
    expect((await c.hit('d', w, 1, t0)).allowed).toBe(true);
    await c.hit('e', w, 1, t0);
    expect(c.size).toBe(3);
    for (const key of ['a', 'd', 'e']) expect((await c.peek(key, w, 1, t0)).allowed).toBe(false);
    expect((await c.peek('c', w, 1, t0)).allowed).toBe(true);
  });

  it('drops keys whose windows have passed', async () => {
    const c = new MemoryCounters();
    for (let i = 0; i < 100; i++) await c.hit(`k${i}`, w, 5, t0);
    expect(c.size).toBe(100);
    // One window on, each key's count still weighs on the sliding window: kept.
    await c.hit('late', w, 5, t0 + w);
    expect(c.size).toBe(101);
    await c.hit('later', w, 5, t0 + 2 * w);
    expect(c.size).toBe(2);
  });

  it('never reads the clock: time is what the caller says', async () => {
    const c = new MemoryCounters();
    expect(await c.hit('x', w, 1, 0)).toMatchObject({ allowed: true });
    expect(await c.hit('x', w, 1, 1)).toMatchObject({ allowed: false });
    expect(await c.hit('x', w, 1, 2 * w)).toMatchObject({ allowed: true });
  });
});
