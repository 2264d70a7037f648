import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  const make = () => {
    const clock = { now: 1_000_000 };
    return { clock, throttle: new LoginThrottle(() => clock.now, { perAccount: 3, perAddress: 5, windowMs: 60_000, maxKeys: 100 }) };
  };

  // Bug: attempts were counted only once their password check had failed, so tries in flight at the
  // same time were never refused. Taking the slot up front refuses the fourth while three are pending.
  it('refuses a try once the limit is taken by tries still being checked', () => {
    const { throttle } = make();
    for (let i = 0; i < 3; i++) expect(throttle.attempt('a@example.test', '10.0.0.1').allowed).toBe(true);
    expect(throttle.attempt('A@example.test', '10.0.0.2')).toEqual({ allowed: false, waitMs: 60_000 });
    expect(throttle.attempt('b@example.test', '10.0.0.1').allowed).toBe(true);
  });

  it('frees the wait as the oldest try leaves the window', () => {
    const { clock, throttle } = make();
    for (let i = 0; i < 3; i++) {
      throttle.attempt('a@example.test', '10.0.0.1');
      clock.now += 1000;
    }
    expect(throttle.attempt('a@example.test', '10.0.0.1')).toEqual({ allowed: false, waitMs: 57_000 });
    clock.now += 57_000;
    expect(throttle.attempt('a@example.test', '10.0.0.1').allowed).toBe(true);
  });

  it("clears the account on success and gives back that try's slot at the address", () => {
    const { throttle } = make();
    for (let i = 0; i < 2; i++) throttle.attempt('a@example.test', '10.0.0.1');
    for (let i = 0; i < 20; i++) {
      const slot = throttle.attempt('a@example.test', '10.0.0.1');
      if (!slot.allowed) throw new Error(`refused after ${i} good logins`);
      slot.succeeded();
    }
    // The two failures still count at the address: three more tries from there, then it waits.
    for (let i = 0; i < 3; i++) expect(throttle.attempt(`x${i}@example.test`, '10.0.0.1').allowed).toBe(true);
    expect(throttle.attempt('y@example.test', '10.0.0.1').allowed).toBe(false);
  });
});
