import { describe, expect, it } from 'vitest';
import { accountState } from './account_state.js';
import { DAY, NOW, ctx, facts, history, input, knownUser } from './test-support/fixtures.js';

const page = input({ origin: 'https://app.example' });

describe('account state', () => {
  it('a new user has verified nothing and is not suspended', () => {
    expect(accountState(input(), facts(), history(), ctx())).toEqual({ is_email_verified: false, is_phone_verified: false, is_suspended: false });
  });

  it('reads the stored flags', () => {
    const h = history({ user: { ...knownUser, emailVerified: true, suspended: true } });
    expect(accountState(input(), facts(), h, ctx())).toEqual({ is_email_verified: true, is_phone_verified: false, is_suspended: true });
  });

  it('an origin is new when never seen or last seen more than 90 days ago, to the millisecond', () => {
    const at = (originLastSeenAt: number | null) => accountState(page, facts(), history({ originLastSeenAt }), ctx()).origin_is_new;
    expect(at(null)).toBe(true);
    expect(at(NOW - DAY)).toBe(false);
    expect(at(NOW - 90 * DAY)).toBe(false);
    expect(at(NOW - 90 * DAY - 1)).toBe(true);
    expect(accountState(page, facts(), history({ originLastSeenAt: NOW - 10 * DAY }), ctx(NOW, { originWindowMs: 7 * DAY })).origin_is_new).toBe(true);
  });

  it('origin_is_new is absent for backend evaluations and without an origin', () => {
    expect(accountState({ ...page, channel: 'server' }, facts(), history(), ctx())).not.toHaveProperty('origin_is_new');
    expect(accountState(input(), facts(), history(), ctx())).not.toHaveProperty('origin_is_new');
  });
});
