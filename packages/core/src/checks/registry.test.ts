import { describe, expect, it } from 'vitest';
import { checkFamilies, computeChecks } from './index.js';
import { checkRegistry, lookupCheck } from './registry.js';
import { MINUTE, NOW, DAY, browserSignals, ctx, device, history, input, knownUser, located, places } from './test-support/fixtures.js';
import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';
import { observeLogin } from '../familiarity/learn.js';

/** Evaluations that between them make every family say all it can. */
const richFacts: Facts = {
  ip: { type: 'residential', types: ['residential'], asn: 7922, country: 'US', location: places.newYork, listAgeDays: 2 },
  email: { valid: true, domain: 'example.com', disposable: false, webmail: true, hasMailExchanger: true, acceptAll: false },
  phone: { valid: true, country: 'NO', type: 'mobile' },
  userAgent: { deviceClass: 'tablet', browser: 'Safari', os: 'iPadOS', isBot: false },
};
const richInput: EvaluationInput = input({
  user: { id: 'u', email: 'ola@example.com', phone: '+4791234567' },
  ip: '198.51.100.1',
  fingerprint: 'abc',
  fingerprintId: 'fp_1',
  deviceId: 'dv_ipad',
  hasDeviceCookie: true,
  origin: 'https://app.example',
  nonce: 'valid',
  userAgent: 'Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1',
});
/** A user with one trusted login from another network and browser: every familiarity check has a value. */
const learned = observeLogin(
  null,
  {
    evaluation: 'ev_0',
    at: NOW - DAY,
    traits: {
      ip: '192.0.2.1',
      ip_prefix: '192.0.2.0/24',
      asn: '2119',
      country: 'NO',
      city: '59.91,10.75',
      user_agent: 'Other/1.0',
      browser: 'Firefox',
      os: 'Windows',
      device_class: 'computer',
    },
    place: null,
  },
  'trusted',
  180 * DAY,
);
const richHistory: HistorySnapshot = history({
  user: knownUser,
  ipLastSeenAt: NOW - DAY,
  fingerprintLastSeenAt: NOW - DAY,
  deviceLastSeenAt: NOW - MINUTE,
  locatedBefore: located(NOW - 2 * 60 * MINUTE, places.oslo),
  devices: [device('dv_phone', NOW - MINUTE, { lastLocation: places.sydney, deviceClass: 'mobile' }), device('dv_laptop', NOW - DAY)],
  deviceRecentActivity: [NOW - 2 * MINUTE],
  deviceConflicts: [['dv_laptop', 'dv_phone']],
  fingerprintUserCount: 1,
  deviceUserCount: 1,
  ipUserCount: 4,
  originLastSeenAt: NOW - DAY,
  failedChallengesLastDay: 1,
  eventCounts: { 'login|10m|user': 2 },
  lists: [{ name: 'blocked', type: 'ip', matched: false }],
  familiarity: learned,
});
const scenarios: Array<[EvaluationInput, Facts, HistorySnapshot]> = [
  [richInput, richFacts, richHistory],
  [input({ channel: 'server', ip: '203.0.113.9' }), { ...richFacts, ip: { ...richFacts.ip!, type: 'vpn', types: ['vpn', 'hosting'] } }, history()],
  [richInput, { ...richFacts, ip: { ...richFacts.ip!, type: 'tor', types: ['tor', 'proxy', 'crawler', 'relay'] } }, richHistory],
  // The browser's own observations, from each engine.
  ...(['blink', 'gecko', 'webkit'] as const).map((engine): [EvaluationInput, Facts, HistorySnapshot] => [
    { ...richInput, signals: browserSignals(engine) },
    { ...richFacts, userAgent: { deviceClass: 'computer', browser: engine === 'blink' ? 'Chrome' : engine === 'gecko' ? 'Firefox' : 'Safari', os: 'Linux', isBot: false } },
    richHistory,
  ]),
];

const emitted = (): Checks[] => scenarios.flatMap(([i, f, h]) => [computeChecks(i, f, h, ctx()), ...checkFamilies.map((family) => family(i, f, h, ctx()))]);

describe('check registry', () => {
  it('names each check once', () => {
    const names = checkRegistry.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has every check any family emits, with the type it has', () => {
    for (const checks of emitted()) {
      for (const [name, value] of Object.entries(checks)) {
        const definition = lookupCheck(name);
        expect(definition, name).toBeDefined();
        expect(typeof value, name).toBe(definition!.type);
        if (definition!.type === 'number') expect(Number.isFinite(value), name).toBe(true);
      }
    }
  });

  it('every check the server can compute today is computed by some family', () => {
    const seen = new Set(emitted().flatMap((c) => Object.keys(c)));
    // event_count is answered by the policies.
    const computed = checkRegistry.filter((d) => d.name !== 'event_count');
    expect(computed.filter((d) => !seen.has(d.name)).map((d) => d.name)).toEqual([]);
  });

  it('describes each check in one sentence, with units on counts and measures', () => {
    for (const d of checkRegistry) {
      expect(d.description, d.name).toMatch(/^[A-Z].*\.$/);
      expect(d.description.replace(/\be\.g\.|\bi\.e\./g, '').slice(0, -1), d.name).not.toMatch(/\.\s/);
      if (d.name.endsWith('_count') || d.name.endsWith('_days') || d.name.endsWith('_km') || d.name.endsWith('_kmh')) expect(d.unit, d.name).toBeDefined();
      if (d.unit) expect(d.type).toBe('number');
    }
    expect(lookupCheck('travel_speed_kmh')?.unit).toBe('km/h');
    expect(lookupCheck('travel_distance_km')?.unit).toBe('km');
  });

  it("covers SPEC §4's web families, without the mobile-only device integrity", () => {
    const families = new Set(checkRegistry.map((d) => d.family));
    expect([...families].sort()).toEqual(
      [
        'account_state',
        'anti_fingerprinting_observations',
        'bot_observations',
        'device_counts',
        'email_quality',
        'identity_newness',
        'incognito_observations',
        'network_reputation',
        'phone_quality',
        'replay_observations',
        'tampering_observations',
        'velocity_and_geography',
      ].sort(),
    );
    expect(checkRegistry.filter((d) => d.family === 'bot_observations')).toHaveLength(21);
    expect(lookupCheck('jailbroken_ios')).toBeUndefined();
  });

  it('answers event_count with its parameters and in_list: for any list', () => {
    expect(lookupCheck('event_count')).toMatchObject({ type: 'number', params: 'event_count', unit: 'count' });
    expect(lookupCheck('in_list:blocked ips')).toMatchObject({ name: 'in_list:blocked ips', family: 'lists', type: 'boolean' });
    expect(lookupCheck('in_list:')).toBeUndefined();
    expect(lookupCheck('no_such_check')).toBeUndefined();
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(checkRegistry)).toBe(true);
    expect(Object.isFrozen(lookupCheck('is_new_ip'))).toBe(true);
  });
});

describe('computeChecks', () => {
  it('merges every family', () => {
    const checks = computeChecks(richInput, richFacts, richHistory, ctx());
    expect(checks).toMatchObject({
      is_new_user: false,
      ip_is_vpn: false,
      impossible_travel: true,
      country_change: true,
      concurrent_sessions: true,
      concurrent_session_count: 1,
      device_count: 3,
      tablet_device_count: 1,
      // The iPad (New York) and the phone (Sydney) now, the laptop and the phone before: two people.
      people_count: 2,
      email_is_webmail: true,
      phone_country: 'NO',
      origin_is_new: false,
      'in_list:blocked': false,
      ua_is_bot: false,
      missing_nonce: false,
    });
  });
});
