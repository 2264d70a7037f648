import { describe, expect, it } from 'vitest';
import { concurrentSessions, deviceConflictsFor, sessionStartOf } from './concurrent_sessions.js';
import { MINUTE, NOW, ctx, device, facts, history, input, ipAt, knownUser, located, places } from './test-support/fixtures.js';
import type { HistorySnapshot } from '../types.js';

const on = (deviceId: string) => input({ deviceId, hasDeviceCookie: true });
const count = (deviceId: string, h: HistorySnapshot, now = NOW, windowMs?: number) =>
  concurrentSessions(on(deviceId), facts(), h, ctx(now, windowMs === undefined ? {} : { sessionWindowMs: windowMs })).concurrent_session_count;
/** Evaluations every two minutes from `from` up to (not including) `to`, newest first. */
const every2min = (from: number, to: number) => {
  const times: number[] = [];
  for (let t = from; t < to; t += 2 * MINUTE) times.unshift(t);
  return times;
};

describe('sessionStartOf', () => {
  it('walks back while gaps are shorter than the window', () => {
    expect(sessionStartOf([], NOW, 5 * MINUTE)).toBe(NOW);
    expect(sessionStartOf([NOW - 4 * MINUTE, NOW - 8 * MINUTE, NOW - 20 * MINUTE], NOW, 5 * MINUTE)).toBe(NOW - 8 * MINUTE);
    // A gap of exactly the window ends the session.
    expect(sessionStartOf([NOW - 5 * MINUTE], NOW, 5 * MINUTE)).toBe(NOW);
    expect(sessionStartOf([NOW - 5 * MINUTE + 1], NOW, 5 * MINUTE)).toBe(NOW - 5 * MINUTE + 1);
  });

  it('takes the activity in any order and ignores anything after now', () => {
    expect(sessionStartOf([NOW - 8 * MINUTE, NOW + MINUTE, NOW - 4 * MINUTE], NOW, 5 * MINUTE)).toBe(NOW - 8 * MINUTE);
  });
});

describe('concurrent_sessions', () => {
  it('is absent without a device id', () => {
    expect(concurrentSessions(input(), facts(), history(), ctx())).toEqual({});
  });

  it('is 0 on the first evaluation', () => {
    expect(count('dv_laptop', history())).toBe(0);
  });

  it('is a flag, as in Rupt (live in two places), beside the count', () => {
    const alone = concurrentSessions(on('dv_laptop'), facts(), history(), ctx());
    expect(alone).toEqual({ concurrent_sessions: false, concurrent_session_count: 0 });
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW - MINUTE)], deviceRecentActivity: [NOW - 2 * MINUTE, NOW - 4 * MINUTE] });
    expect(concurrentSessions(on('dv_laptop'), facts(), h, ctx())).toEqual({ concurrent_sessions: true, concurrent_session_count: 1 });
  });

  it('laptop to phone hand-over is 0', () => {
    // The laptop was used until a minute ago; the phone takes over now and again three minutes later.
    const h = history({ user: knownUser, devices: [device('dv_laptop', NOW - MINUTE)] });
    expect(count('dv_phone', h)).toBe(0);
    expect(count('dv_phone', { ...h, deviceRecentActivity: [NOW] }, NOW + 3 * MINUTE)).toBe(0);
  });

  it('laptop and phone alternating within the window is 1', () => {
    // Laptop at −4 and −2 minutes, phone at −3 and −1: now the laptop again.
    const laptop = history({ user: knownUser, devices: [device('dv_phone', NOW - MINUTE)], deviceRecentActivity: [NOW - 2 * MINUTE, NOW - 4 * MINUTE] });
    expect(count('dv_laptop', laptop)).toBe(1);
    const phone = history({ user: knownUser, devices: [device('dv_laptop', NOW - MINUTE / 2)], deviceRecentActivity: [NOW - MINUTE, NOW - 3 * MINUTE] });
    expect(count('dv_phone', phone)).toBe(1);
  });

  it('counts every other active device: three devices', () => {
    const h = history({
      user: knownUser,
      devices: [device('dv_phone', NOW - MINUTE), device('dv_tablet', NOW - 3 * MINUTE), device('dv_desktop', NOW - 10 * MINUTE)],
      deviceRecentActivity: every2min(NOW - 30 * MINUTE, NOW),
    });
    expect(count('dv_laptop', h)).toBe(2);
  });

  it('is exact to the millisecond at the window edge', () => {
    const busy = every2min(NOW - 30 * MINUTE, NOW);
    const at = (lastSeenAt: number) => count('dv_laptop', history({ user: knownUser, devices: [device('dv_phone', lastSeenAt)], deviceRecentActivity: busy }));
    expect(at(NOW - 5 * MINUTE)).toBe(1);
    expect(at(NOW - 5 * MINUTE - 1)).toBe(0);
    // The session's start is a bound too: a phone silent since just before this device's session began.
    const since = NOW - 2 * MINUTE;
    const h = (lastSeenAt: number) => history({ user: knownUser, devices: [device('dv_phone', lastSeenAt)], deviceRecentActivity: [since] });
    expect(count('dv_laptop', h(since))).toBe(1);
    expect(count('dv_laptop', h(since - 1))).toBe(0);
  });

  it("follows the project's session window", () => {
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW - 8 * MINUTE)], deviceRecentActivity: every2min(NOW - 30 * MINUTE, NOW) });
    expect(count('dv_laptop', h)).toBe(0);
    expect(count('dv_laptop', h, NOW, 10 * MINUTE)).toBe(1);
  });

  it('does not count a device whose last activity is after now (an out-of-order arrival)', () => {
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW + MINUTE)], deviceRecentActivity: every2min(NOW - 30 * MINUTE, NOW) });
    expect(count('dv_laptop', h)).toBe(0);
  });

  it('never counts this device itself', () => {
    const h = history({ user: knownUser, devices: [device('dv_laptop', NOW - MINUTE)], deviceRecentActivity: [NOW - MINUTE] });
    expect(count('dv_laptop', h)).toBe(0);
  });
});

describe('deviceConflictsFor', () => {
  const busy = every2min(NOW - 30 * MINUTE, NOW);
  const withPhoneIn = (where: typeof places.oslo, extra: Partial<HistorySnapshot> = {}) =>
    history({ user: knownUser, devices: [device('dv_phone', NOW - MINUTE, { lastLocation: where, deviceClass: 'mobile' })], deviceRecentActivity: busy, ...extra });

  it('pairs this device with a concurrent one too far away for one person', () => {
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), withPhoneIn(places.sydney), ctx())).toEqual([['dv_laptop', 'dv_phone']]);
  });

  it('finds none for devices in the same city', () => {
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), withPhoneIn(places.drammen), ctx())).toEqual([]);
  });

  it('finds none after a hand-over, however far', () => {
    const h = withPhoneIn(places.sydney, { deviceRecentActivity: [] });
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), h, ctx())).toEqual([]);
  });

  it('trusts only city-precision places, never a relay, VPN, proxy, Tor or hosting address', () => {
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo, 'NO', 'relay'), withPhoneIn(places.sydney), ctx())).toEqual([]);
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.norway), withPhoneIn(places.sydney), ctx())).toEqual([]);
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo, 'NO', 'vpn'), withPhoneIn(places.sydney), ctx())).toEqual([]);
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), withPhoneIn(places.unitedStates), ctx())).toEqual([]);
    // The phone's last place came from a relay: the user's previous located evaluation says so.
    const relayed = withPhoneIn(places.sydney, { locatedBefore: located(NOW - MINUTE, places.sydney, { relay: true, deviceId: 'dv_phone' }) });
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), relayed, ctx())).toEqual([]);
  });

  it('leaves out conflicts already recorded, in either order', () => {
    const h = withPhoneIn(places.sydney, { deviceConflicts: [['dv_phone', 'dv_laptop']] });
    expect(deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), h, ctx())).toEqual([]);
  });

  it('finds none without a place or a device', () => {
    expect(deviceConflictsFor(on('dv_laptop'), facts(), withPhoneIn(places.sydney), ctx())).toEqual([]);
    expect(deviceConflictsFor(input(), ipAt(places.oslo), withPhoneIn(places.sydney), ctx())).toEqual([]);
    expect(
      deviceConflictsFor(on('dv_laptop'), ipAt(places.oslo), withPhoneIn(places.sydney, { devices: [device('dv_phone', NOW - MINUTE, { lastLocation: null })] }), ctx()),
    ).toEqual([]);
  });
});
