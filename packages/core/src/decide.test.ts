import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { EvaluationInput, HistorySnapshot } from './types.js';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 25, 12, 0, 0);

const browserLogin: EvaluationInput = {
  action: 'login',
  channel: 'client',
  user: { id: 'alice' },
  metadata: {},
  ip: '203.0.113.7',
  fingerprint: 'f'.repeat(32),
  hasDeviceCookie: true,
  nonce: 'valid',
};
const noHistory: HistorySnapshot = { user: null, ipLastSeenAt: null, fingerprintLastSeenAt: null, deviceLastSeenAt: null };

describe('decide', () => {
  it('allows with no policy and marks everything new on the first evaluation of a user', () => {
    const decision = decide(browserLogin, noHistory, now);
    expect(decision.verdict).toBe('allow');
    expect(decision.effects).toEqual([]);
    expect(decision.explanation.checks).toMatchObject({
      is_new_user: true,
      user_age_days: 0,
      is_new_ip: true,
      is_new_fingerprint: true,
      is_new_device: true,
      missing_nonce: false,
      consumed_nonce: false,
      missing_cookie: false,
    });
    expect(decision.explanation.reasons).toEqual(['new_user', 'new_device', 'new_fingerprint', 'new_ip']);
  });

  it('knows a returning user on a known IP, fingerprint and device', () => {
    const history: HistorySnapshot = {
      user: { firstSeenAt: now - 10.5 * DAY },
      ipLastSeenAt: now - DAY,
      fingerprintLastSeenAt: now - 2 * DAY,
      deviceLastSeenAt: now - 3 * DAY,
    };
    const { checks, reasons } = decide(browserLogin, history, now).explanation;
    expect(checks).toMatchObject({ is_new_user: false, user_age_days: 10, is_new_ip: false, is_new_fingerprint: false, is_new_device: false });
    expect(reasons).toEqual([]);
  });

  it('treats history older than the retention window as new again, and the boundary as known', () => {
    const retentionMs = 180 * DAY;
    const history: HistorySnapshot = {
      user: { firstSeenAt: now - 400 * DAY },
      ipLastSeenAt: now - retentionMs - 1,
      fingerprintLastSeenAt: now - retentionMs,
      deviceLastSeenAt: null,
    };
    const { checks } = decide(browserLogin, history, now, { retentionMs }).explanation;
    expect(checks.is_new_ip).toBe(true);
    expect(checks.is_new_fingerprint).toBe(false);
    expect(checks.is_new_device).toBe(true);
  });

  it('leaves checks absent when the backend could not supply the signal', () => {
    const serverSide: EvaluationInput = { action: 'login', channel: 'server', user: { id: 'bob' }, metadata: {} };
    const { checks } = decide(serverSide, noHistory, now).explanation;
    expect(checks).toEqual({ is_new_user: true, user_age_days: 0 });
  });

  it.each([
    ['missing', 'missing_nonce'],
    ['unknown', 'unknown_nonce'],
    ['consumed', 'consumed_nonce'],
    ['expired', 'session_expired'],
    ['mismatch', 'nonce_session_mismatch'],
  ] as const)('records a %s nonce as %s, and only that', (status, check) => {
    const { checks, reasons } = decide({ ...browserLogin, nonce: status }, noHistory, now).explanation;
    const raised = ['missing_nonce', 'unknown_nonce', 'consumed_nonce', 'session_expired', 'nonce_session_mismatch'].filter(
      (name) => checks[name] === true,
    );
    expect(raised).toEqual([check]);
    expect(reasons).toContain(check);
  });

  it('records a browser without the device cookie, and then has no device to call new', () => {
    const { checks } = decide({ ...browserLogin, hasDeviceCookie: false }, noHistory, now).explanation;
    expect(checks.missing_cookie).toBe(true);
    expect(checks).not.toHaveProperty('is_new_device');
  });

  it('is pure: the same arguments give the same decision', () => {
    expect(decide(browserLogin, noHistory, now)).toEqual(decide(browserLogin, noHistory, now));
  });
});
