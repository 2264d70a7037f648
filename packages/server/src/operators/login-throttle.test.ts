import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Counters } from '../rate-limits/counters.js';
import { MemoryCounters } from '../rate-limits/memory-counters.js';
import { RedisCounters } from '../rate-limits/redis-counters.js';
import { LoginThrottle } from './login-throttle.js';

const url = process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Every key of this run lives under its own prefix (and each test under its own below it).
const runPrefix = `vigil:test:${randomBytes(6).toString('hex')}:`;
const client = createClient({ url });
// A second connection: another node, as far as Redis can tell.
const other = client.duplicate();

beforeAll(async () => {
  await Promise.all([client.connect(), other.connect()]);
});

afterAll(async () => {
  for await (const keys of client.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  await Promise.all([client.close(), other.close()]);
});

// Each adapter gives one node's counters and, for the two-node test, a second node's view of the same ones.
const adapters: [string, () => [Counters, Counters]][] = [
  [
    'memory',
    () => {
      const counters = new MemoryCounters();
      return [counters, counters];
    },
  ],
  [
    'redis',
    () => {
      const prefix = `${runPrefix}${randomBytes(4).toString('hex')}:`;
      return [new RedisCounters(client, { prefix }), new RedisCounters(other, { prefix })];
    },
  ],
];

describe.each(adapters)('LoginThrottle over %s counters', (_name, counters) => {
  const w = 60_000;
  // Aligned to a window boundary, so the sliding window's numbers below are exact.
  const t0 = Math.floor(Date.UTC(2026, 10, 25, 12, 0, 0) / w) * w;
  const make = () => {
    const clock = { now: t0 };
    return { clock, throttle: new LoginThrottle(counters()[0], () => clock.now, { perAccount: 3, perAddress: 5, windowMs: w }) };
  };
  const allowed = async (slot: ReturnType<LoginThrottle['attempt']>) => (await slot).allowed;

  // Bug: attempts were counted only once their password check had failed, so tries in flight at the
  // same time were never refused. Taking the slot up front refuses the fourth while three are pending.
  it('refuses a try once the limit is taken by tries still being checked', async () => {
    const { throttle } = make();
    const slots = await Promise.all(Array.from({ length: 8 }, () => throttle.attempt('a@example.test', '10.0.0.1')));
    expect(slots.filter((s) => s.allowed)).toHaveLength(3);
    // Three tries at the start of a window: the next window must be a third gone before their weight
    // (3 × ⅔ = 2) leaves room for one more.
    expect(await throttle.attempt('A@example.test', '10.0.0.2')).toEqual({ allowed: false, waitMs: 80_000 });
    expect(await allowed(throttle.attempt('b@example.test', '10.0.0.1'))).toBe(true);
  });

  it('frees the wait as the tries slide out of the window', async () => {
    const { clock, throttle } = make();
    for (let i = 0; i < 3; i++) {
      expect(await allowed(throttle.attempt('a@example.test', '10.0.0.1'))).toBe(true);
      clock.now += 1000;
    }
    expect(await throttle.attempt('a@example.test', '10.0.0.1')).toEqual({ allowed: false, waitMs: 77_000 });
    clock.now += 76_999;
    expect(await allowed(throttle.attempt('a@example.test', '10.0.0.1'))).toBe(false);
    clock.now += 1;
    expect(await allowed(throttle.attempt('a@example.test', '10.0.0.1'))).toBe(true);
  });

  it('refuses an address past its limit, and then gives the account its slot back', async () => {
    const { throttle } = make();
    for (let i = 0; i < 5; i++) expect(await allowed(throttle.attempt(`x${i}@example.test`, '10.0.0.1'))).toBe(true);
    const refused = await throttle.attempt('c@example.test', '10.0.0.1');
    expect(refused).toEqual({ allowed: false, waitMs: 72_000 });
    for (let i = 0; i < 3; i++) expect(await allowed(throttle.attempt('c@example.test', '10.0.0.2'))).toBe(true);
    expect(await allowed(throttle.attempt('c@example.test', '10.0.0.3'))).toBe(false);
  });

  it("clears the account on success and gives back that try's slot at the address", async () => {
    const { throttle } = make();
    for (let i = 0; i < 2; i++) await throttle.attempt('a@example.test', '10.0.0.1');
    for (let i = 0; i < 20; i++) {
      const slot = await throttle.attempt('a@example.test', '10.0.0.1');
      if (!slot.allowed) throw new Error(`refused after ${i} good logins`);
      await slot.succeeded();
    }
    // The two failures still count at the address: three more tries from there, then it waits.
    for (let i = 0; i < 3; i++) expect(await allowed(throttle.attempt(`x${i}@example.test`, '10.0.0.1'))).toBe(true);
    expect(await allowed(throttle.attempt('y@example.test', '10.0.0.1'))).toBe(false);
  });

  it('gives two nodes over the same counters one allowance between them', async () => {
    const clock = { now: t0 };
    const [first, second] = counters();
    // The defaults: ten tries per account per fifteen minutes.
    const nodes = [new LoginThrottle(first, () => clock.now), new LoginThrottle(second, () => clock.now)];
    for (let i = 0; i < 10; i++) expect(await allowed(nodes[i % 2]!.attempt('a@example.test', `10.0.0.${i}`))).toBe(true);
    for (const node of nodes) expect(await allowed(node.attempt('a@example.test', '10.0.1.1'))).toBe(false);
    // A success on one node starts the account over on both.
    clock.now += 16.5 * 60_000;
    const slot = await nodes[0]!.attempt('a@example.test', '10.0.1.1');
    if (!slot.allowed) throw new Error('still refused once the tries slid out');
    await slot.succeeded();
    for (let i = 0; i < 10; i++) expect(await allowed(nodes[1 - (i % 2)]!.attempt('a@example.test', '10.0.1.1'))).toBe(true);
    expect(await allowed(nodes[1]!.attempt('a@example.test', '10.0.1.2'))).toBe(false);
  });
});
