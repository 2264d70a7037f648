import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersContract } from './counters.contract.js';
import { MemoryCounters } from './memory-counters.js';
import { RedisCounters, type RedisCountersClient } from './redis-counters.js';

const url = process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Every key of this run lives under its own prefix, so runs sharing a Redis never see each other's counts.
const prefix = `vigil:test:${randomBytes(6).toString('hex')}:`;
const client = createClient({ url });
// A second connection: another node, as far as Redis can tell.
const other = client.duplicate();

beforeAll(async () => {
  await Promise.all([client.connect(), other.connect()]);
});

afterAll(async () => {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  await Promise.all([client.close(), other.close()]);
});

countersContract('redis', () => new RedisCounters(client, { prefix }));

describe('RedisCounters', () => {
  const w = 60_000;
  const t0 = Math.floor(Date.UTC(2026, 10, 25, 12, 0, 0) / w) * w;
  const fresh = () => `redis-counters:${randomBytes(6).toString('hex')}`;

  it('gives two nodes hitting one key concurrently one allowance between them', async () => {
    const [a, b] = [new RedisCounters(client, { prefix }), new RedisCounters(other, { prefix })];
    const key = fresh();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).hit(key, w, 37, t0 + 5)));
    expect(results.filter((r) => r.allowed)).toHaveLength(37);
  });

  it('answers exactly as MemoryCounters does, hit for hit', async () => {
    const redis = new RedisCounters(client, { prefix });
    const memory = new MemoryCounters();
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let scenario = 0; scenario < 40; scenario++) {
      const key = fresh();
      const limit = 1 + Math.floor(random() * 30);
      let now = t0 + Math.floor(random() * w);
      for (let step = 0; step < 80; step++) {
        now += Math.floor(random() * random() * w * 0.1);
        const method = random() < 0.2 ? 'peek' : 'hit';
        expect(await redis[method](key, w, limit, now)).toEqual(await memory[method](key, w, limit, now));
      }
    }
  });

  it('keeps a window for two windows, under the prefix, and hashes long keys', async () => {
    const key = fresh();
    await new RedisCounters(client, { prefix }).hit(key, w, 5, t0);
    const ttl = await client.pTTL(`${prefix}${key}:${t0 / w}`);
    expect(ttl).toBeGreaterThan(w);
    expect(ttl).toBeLessThanOrEqual(2 * w);

    const long = `${fresh()}:${'x'.repeat(500)}`;
    const counters = new RedisCounters(client, { prefix });
    expect((await counters.hit(long, w, 1, t0)).allowed).toBe(true);
    expect((await counters.hit(long, w, 1, t0)).allowed).toBe(false);
    expect(await client.exists(`${prefix}${long}:${t0 / w}`)).toBe(0);
  });

  it('takes a refused hit back, so Redis holds what was allowed, also when hits race from two nodes', async () => {
    const [a, b] = [new RedisCounters(client, { prefix }), new RedisCounters(other, { prefix })];
    const key = fresh();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? a : b).hit(key, w, 25, t0 + 5)));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect(await client.get(`${prefix}${key}:${t0 / w}`)).toBe('25');

    // A key peeked and counted under the same name: the peek does not see its own hit.
    const same = fresh();
    const both = { key: same, windowMs: w, limit: 2 };
    expect((await a.peekThenHit(both, both, t0)).hit?.allowed).toBe(true);
    expect((await a.peekThenHit(both, both, t0)).hit?.allowed).toBe(true);
    expect(await a.peekThenHit(both, both, t0)).toMatchObject({ peeked: { allowed: false, count: 2 }, hit: null });
    expect(await client.get(`${prefix}${same}:${t0 / w}`)).toBe('2');
  });

  it('takes a hit back with EVAL when Redis has forgotten the script (NOSCRIPT), and checks arguments first', async () => {
    const calls: string[] = [];
    const forgetful = {
      incr: (...args: Parameters<RedisCountersClient['incr']>) => client.incr(...args),
      pExpire: (...args: Parameters<RedisCountersClient['pExpire']>) => client.pExpire(...args),
      mGet: (...args: Parameters<RedisCountersClient['mGet']>) => client.mGet(...args),
      evalSha: async () => {
        calls.push('evalSha');
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval: (...args: Parameters<RedisCountersClient['eval']>) => {
        calls.push('eval');
        return client.eval(...args);
      },
    } as unknown as RedisCountersClient;
    const counters = new RedisCounters(forgetful, { prefix });
    await expect(counters.hit(fresh(), w, 0, t0)).rejects.toThrow(RangeError);
    const key = fresh();
    expect(await counters.hit(key, w, 1, t0)).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
    expect(calls).toEqual([]);
    expect((await counters.hit(key, w, 1, t0)).allowed).toBe(false);
    expect(calls).toEqual(['evalSha', 'eval']);
    expect(await client.get(`${prefix}${key}:${t0 / w}`)).toBe('1');
  });
});
