import { describe, expect, it } from 'vitest';
import { EXACT_PEOPLE_LIMIT, deviceCounts, minimumPeople } from './device_counts.js';
import { DAY, MINUTE, NOW, ctx, device, facts, history, input, ipAt, knownUser, places } from './test-support/fixtures.js';
import type { DeviceClass, Facts, HistorySnapshot } from '../types.js';

const on = (deviceId: string) => input({ deviceId, hasDeviceCookie: true });
const withClass = (deviceClass: DeviceClass | null, base: Facts = facts()): Facts => ({
  ...base,
  userAgent: { deviceClass, browser: 'Safari', os: 'macOS', isBot: false },
});

describe('device counts', () => {
  it("counts by class, this device's class from its facts (an iPad that reports a Mac user agent is a tablet)", () => {
    const h = history({ user: knownUser, devices: [device('dv_laptop', NOW - DAY), device('dv_phone', NOW - 2 * DAY, { deviceClass: 'mobile' })] });
    expect(deviceCounts(on('dv_ipad'), withClass('tablet'), h, ctx())).toMatchObject({
      device_count: 3,
      computer_device_count: 1,
      tablet_device_count: 1,
      mobile_device_count: 1,
    });
  });

  it('counts a device of unknown or other class only in device_count', () => {
    const h = history({ user: knownUser, devices: [device('dv_tv', NOW - DAY, { deviceClass: 'other' }), device('dv_old', NOW - DAY, { deviceClass: null })] });
    expect(deviceCounts(on('dv_laptop'), facts(), h, ctx())).toMatchObject({
      device_count: 3,
      computer_device_count: 0,
      tablet_device_count: 0,
      mobile_device_count: 0,
    });
  });

  it('counts devices last seen within 30 days, to the millisecond', () => {
    const at = (lastSeenAt: number) =>
      deviceCounts(on('dv_laptop'), withClass('computer'), history({ user: knownUser, devices: [device('dv_phone', lastSeenAt, { deviceClass: 'mobile' })] }), ctx());
    expect(at(NOW - 30 * DAY)).toMatchObject({ device_count: 2, mobile_device_count: 1 });
    expect(at(NOW - 30 * DAY - 1)).toMatchObject({ device_count: 1, mobile_device_count: 0 });
    // The project's own window.
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW - 10 * DAY)] });
    expect(deviceCounts(on('dv_laptop'), facts(), h, ctx(NOW, { deviceWindowMs: 7 * DAY })).device_count).toBe(1);
  });

  it('counts this device once, even when history lists it', () => {
    const h = history({ user: knownUser, devices: [device('dv_laptop', NOW - 60 * DAY, { deviceClass: 'computer' })] });
    expect(deviceCounts(on('dv_laptop'), facts(), h, ctx())).toMatchObject({ device_count: 1, computer_device_count: 1, people_count: 1, active_people_count: 1 });
  });

  it('ignores devices first seen after now (an out-of-order arrival)', () => {
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW + DAY, { firstSeenAt: NOW + 1 })] });
    expect(deviceCounts(on('dv_laptop'), facts(), h, ctx())).toMatchObject({ device_count: 1, people_count: 1 });
  });

  it('counts the known devices when the evaluation has none', () => {
    const h = history({ user: knownUser, devices: [device('dv_laptop', NOW - DAY)] });
    expect(deviceCounts(input({ channel: 'server' }), facts(), h, ctx())).toEqual({
      device_count: 1,
      computer_device_count: 1,
      tablet_device_count: 0,
      mobile_device_count: 0,
      people_count: 1,
      active_people_count: 1,
    });
  });

  it('has no people to count without any device', () => {
    expect(deviceCounts(input({ channel: 'server' }), facts(), history(), ctx())).toEqual({
      device_count: 0,
      computer_device_count: 0,
      tablet_device_count: 0,
      mobile_device_count: 0,
    });
  });
});

describe('people counts', () => {
  // This device has been active every two minutes for half an hour.
  const busy = [NOW - 2 * MINUTE, NOW - 4 * MINUTE, NOW - 6 * MINUTE];

  it('a phone and a laptop alternating from the same city are one person', () => {
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW - MINUTE, { lastLocation: places.drammen, deviceClass: 'mobile' })], deviceRecentActivity: busy });
    expect(deviceCounts(on('dv_laptop'), ipAt(places.oslo), h, ctx())).toMatchObject({ people_count: 1, active_people_count: 1 });
  });

  it('two devices active together from Oslo and Sydney are two people', () => {
    const h = history({ user: knownUser, devices: [device('dv_phone', NOW - MINUTE, { lastLocation: places.sydney, deviceClass: 'mobile' })], deviceRecentActivity: busy });
    expect(deviceCounts(on('dv_laptop'), ipAt(places.oslo), h, ctx())).toMatchObject({ people_count: 2, active_people_count: 2 });
    // Once recorded, the conflict keeps counting after the sessions end.
    const later = history({ user: knownUser, devices: [device('dv_phone', NOW - DAY)], deviceConflicts: [['dv_laptop', 'dv_phone']] });
    expect(deviceCounts(on('dv_laptop'), ipAt(places.oslo), later, ctx(NOW + 2 * DAY))).toMatchObject({ people_count: 2, active_people_count: 2 });
  });

  it('a triangle of conflicts is three people', () => {
    const h = history({
      user: knownUser,
      devices: [device('dv_a', NOW - DAY), device('dv_b', NOW - DAY), device('dv_c', NOW - DAY)],
      deviceConflicts: [
        ['dv_a', 'dv_b'],
        ['dv_b', 'dv_c'],
        ['dv_c', 'dv_a'],
      ],
    });
    expect(deviceCounts(on('dv_a'), facts(), h, ctx())).toMatchObject({ device_count: 3, people_count: 3, active_people_count: 3 });
  });

  it('active_people_count leaves out devices outside the device window', () => {
    const h: HistorySnapshot = history({
      user: knownUser,
      devices: [device('dv_old', NOW - 60 * DAY)],
      deviceConflicts: [['dv_laptop', 'dv_old']],
    });
    expect(deviceCounts(on('dv_laptop'), facts(), h, ctx())).toMatchObject({ device_count: 1, people_count: 2, active_people_count: 1 });
  });
});

describe('minimumPeople', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `dv_${i}`);
  const cycle = (n: number) => ids(n).map((id, i) => [id, `dv_${(i + 1) % n}`] as [string, string]);
  const complete = (n: number) =>
    ids(n).flatMap((a, i) =>
      ids(n)
        .slice(i + 1)
        .map((b) => [a, b] as [string, string]),
    );

  it('is 0 without devices and 1 without conflicts', () => {
    expect(minimumPeople([], [])).toBe(0);
    expect(minimumPeople(ids(5), [])).toBe(1);
  });

  it('is the chromatic number of the conflict graph', () => {
    expect(minimumPeople(ids(6), cycle(6))).toBe(2);
    expect(minimumPeople(ids(5), cycle(5))).toBe(3);
    expect(minimumPeople(ids(4), complete(4))).toBe(4);
    // The Petersen graph: 3 colours although no triangle.
    const outer = [0, 1, 2, 3, 4].map((i) => [`dv_${i}`, `dv_${(i + 1) % 5}`] as [string, string]);
    const spokes = [0, 1, 2, 3, 4].map((i) => [`dv_${i}`, `dv_${i + 5}`] as [string, string]);
    const inner = [0, 1, 2, 3, 4].map((i) => [`dv_${i + 5}`, `dv_${((i + 2) % 5) + 5}`] as [string, string]);
    expect(minimumPeople(ids(10), [...outer, ...spokes, ...inner])).toBe(3);
  });

  it('takes the largest of separate webs of conflicts and ignores unknown devices and self-pairs', () => {
    const triangle: [string, string][] = [
      ['dv_0', 'dv_1'],
      ['dv_1', 'dv_2'],
      ['dv_2', 'dv_0'],
    ];
    expect(minimumPeople(ids(6), [...triangle, ['dv_3', 'dv_4'], ['dv_5', 'dv_gone'], ['dv_5', 'dv_5']])).toBe(3);
  });

  it(`estimates greedily above ${EXACT_PEOPLE_LIMIT} devices in one web`, () => {
    expect(minimumPeople(ids(13), complete(13))).toBe(13);
    expect(minimumPeople(ids(40), cycle(40))).toBe(2);
    expect(minimumPeople(ids(200), cycle(200).concat(complete(4)))).toBeGreaterThanOrEqual(4);
  });
});
