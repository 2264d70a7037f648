import { describe, expect, it } from 'vitest';
import { defaultRateLimits, type RateLimits } from '../config/config.js';
import { AppError, errorStatus } from '../errors/codes.js';
import { MemoryCounters } from './memory-counters.js';
import { RateLimitedError, RateLimiter, type RateLimitFamily, addressKey } from './rate-limiter.js';

const families = Object.keys(defaultRateLimits) as RateLimitFamily[];

function limiter(limits: Partial<RateLimits>) {
  const clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  const all = Object.fromEntries(families.map((f) => [f, { limit: 0, windowMs: 60_000 }])) as unknown as RateLimits;
  return { clock, limiter: new RateLimiter(new MemoryCounters(), { ...all, ...limits }, () => clock.now) };
}

async function outcome(promise: Promise<void>): Promise<'ok' | RateLimitedError> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

describe('RateLimiter', () => {
  it('knows every family VIGIL_RATE_LIMITS has', () => {
    expect(families.sort()).toEqual(['api_key', 'challenge', 'client_id', 'client_ip', 'code_destination', 'code_user']);
  });

  it('checks one family and takes another in one step, each refusal named by its family', async () => {
    const { limiter: l } = limiter({ client_ip: { limit: 1, windowMs: 60_000 }, api_key: { limit: 2, windowMs: 60_000 } });
    const both = () => outcome(l.checkThenTake(['client_ip', 'address'], ['api_key', 'key']));
    expect(await both()).toBe('ok');
    expect(await both()).toBe('ok');
    expect(((await both()) as RateLimitedError).family).toBe('api_key');
    // The address's window filled: refused by its check, whatever the key has left.
    await l.take('client_ip', 'address');
    const other = await outcome(l.checkThenTake(['client_ip', 'address'], ['api_key', 'another key']));
    expect((other as RateLimitedError).family).toBe('client_ip');
    expect(await outcome(l.take('api_key', 'another key'))).toBe('ok');
  });

  it('checks or takes alone when the other family is off', async () => {
    const keyOnly = limiter({ api_key: { limit: 1, windowMs: 60_000 } }).limiter;
    expect(await outcome(keyOnly.checkThenTake(['client_ip', 'a'], ['api_key', 'k']))).toBe('ok');
    expect(((await outcome(keyOnly.checkThenTake(['client_ip', 'a'], ['api_key', 'k']))) as RateLimitedError).family).toBe('api_key');
    const addressOnly = limiter({ client_ip: { limit: 1, windowMs: 60_000 } }).limiter;
    expect(await outcome(addressOnly.checkThenTake(['client_ip', 'a'], ['api_key', 'k']))).toBe('ok');
    await addressOnly.take('client_ip', 'a');
    expect(((await outcome(addressOnly.checkThenTake(['client_ip', 'a'], ['api_key', 'k']))) as RateLimitedError).family).toBe('client_ip');
  });

  for (const family of families) {
    it(`limits ${family} per key, with RATE_LIMITED and a Retry-After in whole seconds`, async () => {
      const { clock, limiter: l } = limiter({ [family]: { limit: 2, windowMs: 30_000 } });
      expect(await outcome(l.take(family, 'k1'))).toBe('ok');
      expect(await outcome(l.take(family, 'k1'))).toBe('ok');
      const refused = await outcome(l.take(family, 'k1'));
      expect(refused).toBeInstanceOf(RateLimitedError);
      const error = refused as RateLimitedError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.status).toBe(errorStatus.RATE_LIMITED);
      expect(error.family).toBe(family);
      expect(Number.isInteger(error.retryAfterSeconds)).toBe(true);
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(error.message).not.toContain('k1');
      // Another key of the same family has its own allowance.
      expect(await outcome(l.take(family, 'k2'))).toBe('ok');
      // And the first key is let in again once the window has slid past.
      clock.now += error.retryAfterSeconds * 1000;
      expect(await outcome(l.take(family, 'k1'))).toBe('ok');
    });

    it(`never limits ${family} when its limit is 0`, async () => {
      const { limiter: l } = limiter({ [family]: { limit: 0, windowMs: 60_000 } });
      for (let i = 0; i < 500; i++) await l.take(family, 'same');
      await l.check(family, 'same');
    });
  }

  it('keeps families apart: the same key string in two families counts twice, separately', async () => {
    const { limiter: l } = limiter({ client_ip: { limit: 1, windowMs: 60_000 }, client_id: { limit: 1, windowMs: 60_000 } });
    await l.take('client_ip', 'x');
    await l.take('client_id', 'x');
    expect(await outcome(l.take('client_ip', 'x'))).toBeInstanceOf(RateLimitedError);
    expect(await outcome(l.take('client_id', 'x'))).toBeInstanceOf(RateLimitedError);
  });

  it('checks without counting', async () => {
    const { limiter: l } = limiter({ api_key: { limit: 2, windowMs: 60_000 } });
    for (let i = 0; i < 10; i++) await l.check('api_key', 'k');
    await l.take('api_key', 'k');
    await l.take('api_key', 'k');
    expect(await outcome(l.check('api_key', 'k'))).toBeInstanceOf(RateLimitedError);
  });

  it('rounds Retry-After up, never to 0', async () => {
    const { limiter: l } = limiter({ challenge: { limit: 1, windowMs: 1_000 } });
    await l.take('challenge', 'c');
    const error = (await outcome(l.take('challenge', 'c'))) as RateLimitedError;
    // One request per second: the slot frees 1 s after the window ends, i.e. 2 s from its start.
    expect(error.retryAfterSeconds).toBe(2);
  });
});

describe('addressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  });
  it('counts an IPv6 address by its /64, however it is abbreviated', () => {
    const key = addressKey('2001:db8:1:2::a');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::', '2001:DB8:0001:0002::1']) expect(addressKey(same)).toBe(key);
    expect(addressKey('2001:db8:1:3::a')).not.toBe(key);
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::198.51.100.1')).toBe('64:ff9b:0:0::/64');
  });
});
