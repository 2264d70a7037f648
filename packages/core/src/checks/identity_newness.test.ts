import { describe, expect, it } from 'vitest';
import { identityNewness } from './identity_newness.js';
import { DAY, NOW, ctx, facts, history, input, knownUser } from './test-support/fixtures.js';

const full = input({ ip: '203.0.113.7', fingerprint: 'abc', fingerprintId: 'fp_1', deviceId: 'dv_1', hasDeviceCookie: true });

describe('identity newness', () => {
  it('makes everything new on the first evaluation of a user', () => {
    expect(identityNewness(full, facts(), history({ fingerprintUserCount: 1, deviceUserCount: 1, ipUserCount: 3 }), ctx())).toEqual({
      is_new_user: true,
      user_age_days: 0,
      is_new_ip: true,
      is_new_fingerprint: true,
      is_new_device: true,
      fingerprint_user_count: 1,
      device_user_count: 1,
      ip_user_count: 3,
    });
  });

  it('an IP last seen within the retention window is known; one seen before it is new again', () => {
    const at = (ipLastSeenAt: number) => identityNewness(full, facts(), history({ user: knownUser, ipLastSeenAt }), ctx()).is_new_ip;
    expect(at(NOW - DAY)).toBe(false);
    expect(at(NOW - 180 * DAY)).toBe(false);
    expect(at(NOW - 180 * DAY - 1)).toBe(true);
    expect(identityNewness(full, facts(), history({ user: knownUser, ipLastSeenAt: NOW - 10 * DAY }), ctx(NOW, { retentionMs: 7 * DAY })).is_new_ip).toBe(true);
  });

  it("counts the user's age in whole days", () => {
    expect(identityNewness(full, facts(), history({ user: { ...knownUser, firstSeenAt: NOW - 2 * DAY + 1 } }), ctx()).user_age_days).toBe(1);
    expect(identityNewness(full, facts(), history({ user: knownUser }), ctx()).user_age_days).toBe(400);
  });

  it('leaves a check absent when the evaluation has no such value or the store could not count', () => {
    const bare = identityNewness(input({ channel: 'server' }), facts(), history({ user: knownUser, fingerprintUserCount: 2, deviceUserCount: 2, ipUserCount: 2 }), ctx());
    expect(bare).toEqual({ is_new_user: false, user_age_days: 400 });
    const uncounted = identityNewness(full, facts(), history({ user: knownUser, ipLastSeenAt: NOW, fingerprintLastSeenAt: NOW, deviceLastSeenAt: NOW }), ctx());
    expect(uncounted).toEqual({ is_new_user: false, user_age_days: 400, is_new_ip: false, is_new_fingerprint: false, is_new_device: false });
  });
});
