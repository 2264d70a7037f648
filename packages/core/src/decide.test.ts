import { describe, expect, it } from 'vitest';
import { decide as decideWithObservation, type DecisionRequest } from './decide.js';
import { emptyHistory, noFacts } from './types.js';
import type { EvaluationInput, HistorySnapshot, PassedChallenge, Policy } from './types.js';

const DAY = 86_400_000;

/**
 * The decision with its effects minus the familiar set's observation, which every decision carries
 * (its own tests are below and in familiarity/); these tests are about the policies' effects.
 */
function decide(req: DecisionRequest) {
  const decision = decideWithObservation(req);
  return { ...decision, effects: decision.effects.filter((e) => e.type !== 'observe_login') };
}
const now = Date.UTC(2026, 10, 25, 12, 0, 0);

const browserLogin: EvaluationInput = {
  action: 'login',
  channel: 'client',
  // As a sign-up form may send them: the list values are normalised (normalizeListValue).
  user: { id: 'alice', email: 'Alice@Example.COM', phone: '+47 912 34 567' },
  metadata: { plan: 'pro' },
  ip: '203.0.113.7',
  fingerprint: 'f'.repeat(32),
  fingerprintId: 'fp_1',
  deviceId: 'dv_1',
  hasDeviceCookie: true,
  nonce: 'valid',
};
const returning: HistorySnapshot = {
  ...emptyHistory,
  user: { firstSeenAt: now - 10.5 * DAY, emailVerified: true, phoneVerified: false, suspended: false },
  ipLastSeenAt: now - DAY,
  fingerprintLastSeenAt: now - 2 * DAY,
  deviceLastSeenAt: now - 3 * DAY,
};
const request = (over: Partial<DecisionRequest> = {}): DecisionRequest => ({ evaluation: browserLogin, facts: noFacts, history: emptyHistory, policies: [], now, ...over });
const policy = (over: Partial<Policy>): Policy => ({
  id: 'po_1',
  name: 'p',
  events: ['login'],
  priority: 10,
  enabled: true,
  version: 1,
  conditions: { field: 'is_new_user', operator: 'eq', value: true },
  action: { type: 'deny' },
  ...over,
});

describe('decide: checks and risks', () => {
  it('allows with no policy and marks everything new on the first evaluation of a user', () => {
    const decision = decide(request());
    expect(decision.verdict).toBe('allow');
    expect(decision.effects).toEqual([]);
    expect(decision.explanation.policy).toBeNull();
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
    expect(decision.explanation.risks.map((r) => r.category)).toEqual(
      expect.arrayContaining(['ato', 'fake_account', 'account_sharing', 'scraping', 'linked_accounts', 'bot', 'tampering', 'anti_fingerprinting', 'incognito', 'replay_attack']),
    );
  });

  it('knows a returning user on a known IP, fingerprint and device', () => {
    const { checks, reasons } = decide(request({ history: returning })).explanation;
    expect(checks).toMatchObject({ is_new_user: false, user_age_days: 10, is_new_ip: false, is_new_fingerprint: false, is_new_device: false, is_email_verified: true });
    expect(reasons).toEqual([]);
  });

  it('treats history older than the retention window as new again, and the boundary as known', () => {
    const retentionMs = 180 * DAY;
    const history = { ...returning, ipLastSeenAt: now - retentionMs - 1, fingerprintLastSeenAt: now - retentionMs, deviceLastSeenAt: null };
    const { checks } = decide(request({ history, options: { retentionMs } })).explanation;
    expect(checks).toMatchObject({ is_new_ip: true, is_new_fingerprint: false, is_new_device: true });
  });

  it('leaves checks absent when the backend could not supply the signal', () => {
    const serverSide: EvaluationInput = { action: 'login', channel: 'server', user: { id: 'bob' }, metadata: {} };
    const { checks } = decide(request({ evaluation: serverSide })).explanation;
    expect(checks).toMatchObject({ is_new_user: true, user_age_days: 0 });
    for (const absent of [
      'is_new_ip',
      'is_new_fingerprint',
      'is_new_device',
      'missing_nonce',
      'missing_cookie',
      'impossible_travel',
      'ip_is_vpn',
      'email_is_disposable',
      'concurrent_sessions',
    ]) {
      expect(checks, absent).not.toHaveProperty(absent);
    }
  });

  it.each([
    ['missing', 'missing_nonce'],
    ['unknown', 'unknown_nonce'],
    ['consumed', 'consumed_nonce'],
    ['expired', 'session_expired'],
    ['mismatch', 'nonce_session_mismatch'],
  ] as const)('records a %s nonce as %s, only that, and scores the replay_attack risk', (status, check) => {
    const { checks, reasons, risks } = decide(request({ evaluation: { ...browserLogin, nonce: status } })).explanation;
    const raised = ['missing_nonce', 'unknown_nonce', 'consumed_nonce', 'session_expired', 'nonce_session_mismatch'].filter((name) => checks[name] === true);
    expect(raised).toEqual([check]);
    expect(reasons).toContain(check);
    expect(risks.find((r) => r.category === 'replay_attack')?.contributions.map((c) => c.check)).toContain(check);
  });

  it('records a browser without the device cookie, and then has no device to call new', () => {
    const { checks } = decide(request({ evaluation: { ...browserLogin, hasDeviceCookie: false, deviceId: null } })).explanation;
    expect(checks.missing_cookie).toBe(true);
    expect(checks).not.toHaveProperty('is_new_device');
  });

  it('is pure: the same request gives the same decision', () => {
    const r = request({ history: returning, policies: [policy({})] });
    expect(decide(r)).toEqual(decide(structuredClone(r)));
  });
});

describe('decide: policies, verdicts and effects', () => {
  it('runs the first enabled policy by priority for this action, and shows its trace', () => {
    const policies = [
      policy({ id: 'po_late', priority: 20, action: { type: 'allow' } }),
      policy({ id: 'po_off', priority: 1, enabled: false }),
      policy({ id: 'po_signup', priority: 2, events: ['signup'] }),
      policy({ id: 'po_first', priority: 5, name: 'Deny new users', action: { type: 'deny' } }),
    ];
    const decision = decide(request({ policies }));
    expect(decision.verdict).toBe('deny');
    expect(decision.explanation.policy).toMatchObject({
      id: 'po_first',
      name: 'Deny new users',
      version: 1,
      action: { type: 'deny' },
      trace: { node: 'is_new_user', status: 'matched', actual: true },
    });
  });

  it('allows when no policy holds', () => {
    const decision = decide(request({ history: returning, policies: [policy({})] }));
    expect(decision).toMatchObject({ verdict: 'allow', effects: [], explanation: { policy: null } });
  });

  it('suspends with a suspend_user effect', () => {
    expect(decide(request({ policies: [policy({ action: { type: 'suspend' } })] }))).toMatchObject({ verdict: 'suspend', effects: [{ type: 'suspend_user' }] });
  });

  it('opens a challenge whose kind comes from the risks and whose reasons are the evaluation’s', () => {
    const challenge = { type: 'verification' as const, channels: ['email' as const], success_url: 'https://shop.example/ok' };
    const decision = decide(request({ policies: [policy({ action: { type: 'challenge', challenge } })] }));
    expect(decision.verdict).toBe('challenge');
    expect(decision.effects).toEqual([
      {
        type: 'open_challenge',
        policy: 'po_1',
        challenge: {
          ...challenge,
          kind: expect.stringMatching(/^(account_takeover|account_sharing|multi_accounting|fake_account)$/),
          reasons: ['new_user', 'new_device', 'new_fingerprint', 'new_ip'],
        },
      },
    ]);
  });

  it('restricts: an allow your backend limits, with nothing to apply', () => {
    expect(decide(request({ policies: [policy({ action: { type: 'restrict' } })] }))).toMatchObject({ verdict: 'restrict', effects: [] });
  });

  it('challenges and restricts: the challenge opens as for challenge; once passed on this device, the verdict is restrict', () => {
    const challenge = { type: 'verification' as const, channels: ['email' as const] };
    const both = policy({ conditions: { field: 'is_new_user', operator: 'eq', value: false }, action: { type: 'challenge_and_restrict', challenge } });
    const first = decide(request({ history: returning, policies: [both] }));
    expect(first).toMatchObject({
      verdict: 'challenge_and_restrict',
      effects: [{ type: 'open_challenge', policy: 'po_1', challenge: { ...challenge, reasons: expect.any(Array) } }],
    });
    const passed: PassedChallenge = { id: 'ch_passed', method: 'verification', policyId: 'po_1', reasons: ['new_device', 'new_ip'], passedAt: now - DAY };
    const after = decide(request({ history: { ...returning, passedChallenges: [passed] }, policies: [both] }));
    expect(after).toMatchObject({ verdict: 'restrict', effects: [], explanation: { policy: { suppressed_by: { challenge: 'ch_passed' } } } });
  });

  describe('a verification passed on this device', () => {
    const challenge = { type: 'verification' as const, channels: ['email' as const] };
    const returningLogin = (config: typeof challenge & { suppress_days?: number } = challenge, id = 'po_1') =>
      policy({ id, conditions: { field: 'is_new_user', operator: 'eq', value: false }, action: { type: 'challenge', challenge: config } });
    const passed = (over: Partial<PassedChallenge> = {}): PassedChallenge => ({
      id: 'ch_passed',
      method: 'verification',
      policyId: 'po_1',
      reasons: ['new_device', 'new_ip'],
      passedAt: now - DAY,
      ...over,
    });
    const decideWith = (passedChallenges: PassedChallenge[], policies = [returningLogin()], evaluation = browserLogin, history = returning) =>
      decide(request({ evaluation, history: { ...history, passedChallenges }, policies }));

    it('spares the same policy’s challenge for 30 days, and says which passed challenge did', () => {
      const decision = decideWith([passed({ passedAt: now - 29 * DAY })]);
      expect(decision.verdict).toBe('allow');
      expect(decision.effects).toEqual([]);
      expect(decision.explanation.policy).toMatchObject({ id: 'po_1', suppressed_by: { challenge: 'ch_passed', passed_at: now - 29 * DAY } });
    });

    it('challenges again after 30 days, for another policy, or when the policy sets suppress_days to 0', () => {
      expect(decideWith([passed({ passedAt: now - 31 * DAY })]).verdict).toBe('challenge');
      expect(decideWith([passed({ passedAt: now - 31 * DAY })]).explanation.policy?.suppressed_by).toBeUndefined();
      expect(decideWith([passed({ policyId: 'po_checkout' })]).verdict).toBe('challenge');
      expect(decideWith([passed({ policyId: null })]).verdict).toBe('challenge');
      expect(decideWith([passed()], [returningLogin({ ...challenge, suppress_days: 0 })]).verdict).toBe('challenge');
      expect(decideWith([passed({ passedAt: now - 31 * DAY })], [returningLogin({ ...challenge, suppress_days: 90 })]).verdict).toBe('allow');
    });

    it('challenges again for a reason the passed challenge was not opened for', () => {
      const fromElsewhere = { ...browserLogin, ip: '198.51.100.9' };
      const unknownIp = { ...returning, ipLastSeenAt: null };
      const decision = decideWith([passed({ reasons: ['new_device'] })], undefined, fromElsewhere, unknownIp);
      expect(decision.explanation.reasons).toContain('new_ip');
      expect(decision.verdict).toBe('challenge');
      expect(decideWith([passed({ reasons: ['new_device', 'new_ip'] })], undefined, fromElsewhere, unknownIp).verdict).toBe('allow');
    });

    it('never spares a device limit', () => {
      const limit = policy({
        conditions: { field: 'is_new_user', operator: 'eq', value: false },
        action: { type: 'challenge', challenge: { type: 'device_limit', device_limit: 2 } },
      });
      expect(decideWith([passed({ reasons: [] })], [limit]).verdict).toBe('challenge');
    });
  });

  it.each([
    ['user', 'alice'],
    ['email', 'alice@example.com'],
    ['email_domain', 'example.com'],
    ['ip', '203.0.113.7'],
    ['fingerprint', 'fp_1'],
    ['device', 'dv_1'],
    ['phone', '+4791234567'],
  ] as const)('adds the evaluation’s %s to a list, as lists hold it', (kind, value) => {
    const decision = decide(request({ policies: [policy({ action: { type: 'add_to_list', list: 'watch', value: kind } })] }));
    expect(decision).toMatchObject({ verdict: 'add_to_list', effects: [{ type: 'add_to_list', list: 'watch', kind, value }] });
  });

  it('removes from a list, and has nothing to add when the evaluation lacks the value', () => {
    expect(decide(request({ policies: [policy({ action: { type: 'remove_from_list', list: 'watch', value: 'user' } })] })).effects).toEqual([
      { type: 'remove_from_list', list: 'watch', kind: 'user', value: 'alice' },
    ]);
    const noPhone = decide(
      request({
        evaluation: { ...browserLogin, user: { id: 'alice', email: null, phone: null } },
        policies: [policy({ action: { type: 'add_to_list', list: 'phones', value: 'phone' } })],
      }),
    );
    expect(noPhone).toMatchObject({ verdict: 'add_to_list', effects: [] });
  });

  it('matches lists, metadata, risks and event counts in conditions', () => {
    const history = { ...returning, lists: [{ name: 'vip', type: 'user' as const, matched: true }], eventCounts: { 'event_count:login:10m:ip': 7 } };
    const byList = policy({
      conditions: {
        all: [
          { field: 'in_list:vip', operator: 'eq', value: true },
          { field: 'metadata.plan', operator: 'eq', value: 'pro' },
        ],
      },
      action: { type: 'allow' },
    });
    expect(decide(request({ history, policies: [byList] })).explanation.policy?.id).toBe('po_1');
    const byCount = policy({ conditions: { field: 'event_count', params: { action: 'login', window: '10m', by: 'ip' }, operator: 'gt', value: 5 } });
    expect(decide(request({ history, policies: [byCount] })).verdict).toBe('deny');
    const byRisk = policy({ conditions: { field: 'risk:replay_attack', operator: 'gte', value: 'high' } });
    expect(decide(request({ history, policies: [byRisk] })).verdict).toBe('allow');
    expect(decide(request({ history, policies: [byRisk], evaluation: { ...browserLogin, nonce: 'consumed' } })).verdict).toBe('deny');
  });

  it('records a device conflict when two devices are active together from places too far apart for one person', () => {
    const oslo = { latitude: 59.91, longitude: 10.75, accuracyKm: 20, precision: 'city' as const };
    const sydney = { latitude: -33.87, longitude: 151.21, accuracyKm: 20, precision: 'city' as const };
    const history: HistorySnapshot = {
      ...returning,
      devices: [{ deviceId: 'dv_2', deviceClass: 'mobile', firstSeenAt: now - DAY, lastSeenAt: now - 60_000, lastLocation: sydney }],
      deviceRecentActivity: [now - 120_000],
    };
    const facts = { ...noFacts, ip: { type: 'residential' as const, types: ['residential' as const], asn: 2119, country: 'NO', location: oslo, listAgeDays: 1 } };
    const decision = decide(request({ history, facts }));
    expect(decision.effects).toEqual([{ type: 'record_device_conflict', devices: ['dv_1', 'dv_2'] }]);
    expect(decision.explanation.checks).toMatchObject({ concurrent_sessions: true, concurrent_session_count: 1, people_count: 2 });
  });
});
