import { describe, expect, it } from 'vitest';
import type { Counters } from './counters.js';

/**
 * What every `Counters` adapter must do (CONVENTIONS §5): the same suite runs against each adapter.
 * `make` gives a fresh, empty adapter per test. The numbers are exact because the port fixes the
 * algorithm (two fixed windows, the previous one weighted), so adapters agree to the request.
 */
export function countersContract(name: string, make: () => Counters | Promise<Counters>): void {
  const w = 60_000;
  // Aligned to a window boundary so "the start of the window" is a known instant.
  const t0 = Math.floor(Date.UTC(2026, 10, 25, 12, 0, 0) / w) * w;
  let unique = 0;
  const fresh = () => `contract:${name}:${++unique}:${Math.random().toString(36).slice(2)}`;
  const hits = async (c: Counters, key: string, n: number, limit: number, now: number) => {
    let allowed = 0;
    for (let i = 0; i < n; i++) if ((await c.hit(key, w, limit, now)).allowed) allowed++;
    return allowed;
  };

  describe(`Counters contract: ${name}`, () => {
    it('allows exactly `limit` of many concurrent hits on one key', async () => {
      const c = await make();
      const key = fresh();
      const results = await Promise.all(Array.from({ length: 200 }, () => c.hit(key, w, 37, t0 + 5)));
      expect(results.filter((r) => r.allowed)).toHaveLength(37);
      for (const r of results.filter((x) => !x.allowed)) expect(r.retryAfterMs).toBeGreaterThan(0);
      for (const r of results.filter((x) => x.allowed)) expect(r.retryAfterMs).toBe(0);
      expect(Math.max(...results.map((r) => r.count))).toBe(37);
    });

    it('counts each allowed hit, and not the refused ones', async () => {
      const c = await make();
      const key = fresh();
      expect((await c.hit(key, w, 3, t0)).count).toBe(1);
      expect((await c.hit(key, w, 3, t0)).count).toBe(2);
      expect(await c.hit(key, w, 3, t0)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 });
      expect(await hits(c, key, 50, 3, t0)).toBe(0);
      // Had the 50 refusals counted, this key would still be refused a whole window from now.
      expect(await hits(c, key, 3, 3, t0 + 2 * w)).toBe(3);
    });

    it('keeps keys apart', async () => {
      const c = await make();
      const [a, b] = [fresh(), fresh()];
      expect(await hits(c, a, 20, 5, t0)).toBe(5);
      expect(await hits(c, b, 20, 5, t0)).toBe(5);
      expect((await c.hit(a, w, 5, t0)).allowed).toBe(false);
    });

    it('slides: a burst at the end of one window still counts at the start of the next', async () => {
      const c = await make();
      const key = fresh();
      expect(await hits(c, key, 10, 10, t0 + w - 1)).toBe(10);
      // A plain fixed window would hand out 10 more here: 20 in two milliseconds.
      expect((await c.hit(key, w, 10, t0 + w)).allowed).toBe(false);
      // Halfway through the next window half the burst has slid out: room for 5.
      expect(await hits(c, key, 10, 10, t0 + w + w / 2)).toBe(5);
    });

    it('restores the whole allowance once the window has passed', async () => {
      const c = await make();
      const key = fresh();
      expect(await hits(c, key, 10, 10, t0)).toBe(10);
      expect((await c.hit(key, w, 10, t0 + w - 1)).allowed).toBe(false);
      expect(await hits(c, key, 20, 10, t0 + 2 * w)).toBe(10);
    });

    it('says when to retry: not before, and then it is allowed', async () => {
      const c = await make();
      for (const [limit, at] of [
        [10, t0],
        [10, t0 + w / 3],
        [1, t0 + 17],
        [7, t0 + w - 1],
      ] as const) {
        const key = fresh();
        expect(await hits(c, key, limit, limit, at)).toBe(limit);
        const refused = await c.hit(key, w, limit, at);
        expect(refused.allowed).toBe(false);
        expect(Number.isInteger(refused.retryAfterMs)).toBe(true);
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(2 * w);
        expect((await c.peek(key, w, limit, at + refused.retryAfterMs - 1)).allowed).toBe(false);
        expect((await c.hit(key, w, limit, at + refused.retryAfterMs)).allowed).toBe(true);
      }
    });

    it('answers the retry time while the previous window fades, too', async () => {
      const c = await make();
      const key = fresh();
      expect(await hits(c, key, 10, 10, t0)).toBe(10);
      // At w + w/2 the previous window weighs 5: 5 more fit, then the 6th must wait for more of it to fade.
      const at = t0 + w + w / 2;
      expect(await hits(c, key, 5, 10, at)).toBe(5);
      const refused = await c.hit(key, w, 10, at);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(w / 2);
      expect((await c.peek(key, w, 10, at + refused.retryAfterMs - 1)).allowed).toBe(false);
      expect((await c.hit(key, w, 10, at + refused.retryAfterMs)).allowed).toBe(true);
    });

    it('says the exact retry time over many random histories', async () => {
      const c = await make();
      // A fixed-seed generator: the same histories every run, so a failure can be replayed.
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      for (let scenario = 0; scenario < 300; scenario++) {
        const key = fresh();
        const limit = 1 + Math.floor(random() * 20);
        let now = t0 + Math.floor(random() * w);
        for (let step = 0; step < 60; step++) {
          now += Math.floor(random() * random() * w * 0.2);
          const result = await c.hit(key, w, limit, now);
          if (result.allowed) continue;
          expect(result.retryAfterMs).toBeGreaterThan(0);
          expect(result.retryAfterMs).toBeLessThanOrEqual(2 * w);
          if (result.retryAfterMs > 1) expect((await c.peek(key, w, limit, now + result.retryAfterMs - 1)).allowed).toBe(false);
          expect((await c.peek(key, w, limit, now + result.retryAfterMs)).allowed).toBe(true);
        }
      }
    });

    it('peeks without counting', async () => {
      const c = await make();
      const key = fresh();
      for (let i = 0; i < 20; i++) expect((await c.peek(key, w, 3, t0)).allowed).toBe(true);
      expect(await hits(c, key, 3, 3, t0)).toBe(3);
      const peeked = await c.peek(key, w, 3, t0);
      expect(peeked.allowed).toBe(false);
      expect(peeked.retryAfterMs).toBe((await c.hit(key, w, 3, t0)).retryAfterMs);
    });

    it('peeks one key and counts another in one step, counting nothing when the peek refuses', async () => {
      const c = await make();
      const [guarded, counted] = [fresh(), fresh()];
      const call = (key: string, limit: number) => ({ key, windowMs: w, limit });
      // Allowed: the peek counts nothing, the hit counts as `hit` would, exactly `limit` of many at once.
      const results = await Promise.all(Array.from({ length: 60 }, () => c.peekThenHit(call(guarded, 2), call(counted, 25), t0)));
      expect(results.every((r) => r.peeked.allowed)).toBe(true);
      expect(results.filter((r) => r.hit?.allowed)).toHaveLength(25);
      expect(await c.peek(guarded, w, 2, t0)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
      const refusedHit = results.find((r) => r.hit !== null && !r.hit.allowed)!.hit!;
      expect(refusedHit.retryAfterMs).toBe((await c.hit(counted, w, 25, t0)).retryAfterMs);
      // Refused by the peek: told why and for how long, and the other key is not counted.
      expect(await hits(c, guarded, 2, 2, t0)).toBe(2);
      const other = fresh();
      const refused = await c.peekThenHit(call(guarded, 2), call(other, 5), t0 + 1);
      expect(refused.hit).toBeNull();
      expect(refused.peeked).toEqual(await c.peek(guarded, w, 2, t0 + 1));
      expect(refused.peeked.allowed).toBe(false);
      expect(await c.peek(other, w, 5, t0 + 1)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
    });

    it('releases one counted hit, never going below 0', async () => {
      const c = await make();
      const key = fresh();
      // Nothing counted: nothing to take back, and the key is not driven below 0 (it still allows 3, not 6).
      for (let i = 0; i < 3; i++) await c.release(key, w, t0);
      expect(await hits(c, key, 10, 3, t0)).toBe(3);
      await c.release(key, w, t0);
      expect(await c.peek(key, w, 3, t0)).toEqual({ allowed: true, count: 2, retryAfterMs: 0 });
      expect(await c.hit(key, w, 3, t0)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 });
      expect((await c.hit(key, w, 3, t0)).allowed).toBe(false);
      for (let i = 0; i < 5; i++) await c.release(key, w, t0 + 1);
      expect(await hits(c, key, 10, 3, t0 + 2)).toBe(3);
      // Another key is not touched.
      const other = fresh();
      expect(await hits(c, other, 2, 2, t0)).toBe(2);
      await c.release(key, w, t0);
      expect((await c.hit(other, w, 2, t0)).allowed).toBe(false);
    });

    it('releases from the window the hit was counted in, the previous one included', async () => {
      const c = await make();
      const key = fresh();
      expect(await hits(c, key, 10, 10, t0)).toBe(10);
      const later = t0 + w + w / 2;
      // Nothing was counted in the window `later` falls in: releasing there takes nothing back.
      await c.release(key, w, later);
      expect(await hits(c, key, 10, 10, later)).toBe(5);
      // Two hits of the previous window given back: it weighs 8 × ½ = 4, so with the 5 of this one, 1 fits.
      await c.release(key, w, t0);
      await c.release(key, w, t0 + w - 1);
      expect(await c.peek(key, w, 10, later)).toEqual({ allowed: true, count: 9, retryAfterMs: 0 });
      expect(await hits(c, key, 10, 10, later)).toBe(1);
      // One of this window's given back: one more fits.
      await c.release(key, w, later + 1);
      expect(await hits(c, key, 10, 10, later + 2)).toBe(1);
    });

    it('resets a key: its counts in both windows are forgotten, and no other key is', async () => {
      const c = await make();
      const [key, other] = [fresh(), fresh()];
      expect(await hits(c, key, 10, 10, t0)).toBe(10);
      expect(await hits(c, other, 10, 10, t0)).toBe(10);
      const later = t0 + w + w / 2;
      expect(await hits(c, key, 10, 10, later)).toBe(5);
      await c.reset(key, w, later);
      expect(await c.peek(key, w, 10, later)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
      expect(await hits(c, key, 20, 10, later)).toBe(10);
      expect(await hits(c, other, 10, 10, later)).toBe(5);
      // Resetting a key that counted nothing is harmless.
      const unused = fresh();
      await c.reset(unused, w, t0);
      expect(await hits(c, unused, 5, 3, t0)).toBe(3);
    });

    it('refuses a limit below 1 (0 means "off" to the caller, which then never asks)', async () => {
      const c = await make();
      await expect(c.hit(fresh(), w, 0, t0)).rejects.toThrow(RangeError);
    });
  });
}
