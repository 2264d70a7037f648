import { describe, expect, it } from 'vitest';
import { familiarity } from '../checks/familiarity.js';
import { geography } from '../checks/geography.js';
import { DAY, NOW, ctx, facts, history, input, located, places } from '../checks/test-support/fixtures.js';
import { decide } from '../decide.js';
import type { Decision, Effect, Facts, RiskExplanation } from '../types.js';
import { observeLogin, settleLogin } from './learn.js';
import { isFamiliar, shareOf } from './measure.js';
import { mergeProfiles } from './merge.js';
import { MAX_PENDING, MAX_VALUES_PER_DIMENSION, type FamiliarityProfile, parseProfile } from './profile.js';
import { ipPrefixOf, loginTraits } from './traits.js';
import { loginTrust } from './trust.js';

const RETENTION = 180 * DAY;
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const chromeUpdated = chrome.replace('142.0.0.0', '143.0.0.0');
const windowsChrome = { deviceClass: 'computer' as const, browser: 'Chrome', os: 'Windows', isBot: false };

/** What intel says of a Telenor (AS2119) home address in Oslo, or of another network. */
function homeFacts(overrides: Partial<NonNullable<Facts['ip']>> = {}): Facts {
  return facts({ ip: { type: 'isp', types: [], asn: 2119, country: 'NO', location: places.oslo, listAgeDays: 3, ...overrides }, userAgent: windowsChrome });
}

function login(ip: string, at: number, f: Facts = homeFacts(), ua = chrome) {
  const i = input({ channel: 'server', ip, userAgent: ua });
  return { evaluation: `ev_${at}`, at, traits: loginTraits(i, f), place: null };
}

/** A user who logged in `n` times from home (two addresses of one /24) with one Chrome. */
function regular(n = 6): FamiliarityProfile {
  let profile: FamiliarityProfile | null = null;
  for (let k = 0; k < n; k++) profile = observeLogin(profile, login(k % 2 ? '84.208.1.10' : '84.208.1.11', NOW - (n - k) * DAY), 'trusted', RETENTION);
  return profile!;
}

const atoOf = (severity: RiskExplanation['severity']): RiskExplanation => ({ category: 'ato', score: 0, severity, contributions: [] });
const decision = (verdict: Decision['verdict'], severity: RiskExplanation['severity']) => ({
  verdict,
  explanation: { checks: {}, reasons: [], risks: [atoOf(severity)], policy: null },
});

describe('the network prefix of an address', () => {
  it('is the /24 of IPv4 and the /48 of IPv6, however the address is written', () => {
    expect(ipPrefixOf('84.208.1.10')).toBe('84.208.1.0/24');
    expect(ipPrefixOf('2001:db8:12:34::1')).toBe('2001:db8:12::/48');
    expect(ipPrefixOf('2001:0db8::1')).toBe('2001:db8:0::/48');
    expect(ipPrefixOf('not an ip')).toBeNull();
  });
});

describe('which logins the familiar set learns from', () => {
  it('trusts a login allowed at low risk, holds a medium, challenged or high one apart, never learns a denial', () => {
    expect(loginTrust(decision('allow', 'low'))).toBe('trusted');
    expect(loginTrust(decision('allow', 'medium'))).toBe('pending');
    expect(loginTrust(decision('challenge', 'low'))).toBe('pending');
    expect(loginTrust(decision('allow', 'high'))).toBe('suspect');
    expect(loginTrust(decision('challenge', 'maximum'))).toBe('suspect');
    expect(loginTrust(decision('deny', 'low'))).toBe('untrusted');
    expect(loginTrust(decision('suspend', 'low'))).toBe('untrusted');
  });

  it('counts a trusted login on every dimension, and changes nothing for an untrusted one', () => {
    const profile = regular(4);
    expect(profile.trustedLogins).toBe(4);
    expect(profile.values.asn).toEqual({ '2119': { count: 4, firstAt: NOW - 4 * DAY, lastAt: NOW - DAY } });
    expect(Object.keys(profile.values.ip ?? {})).toHaveLength(2);
    expect(profile.lastUserAgent).toBe(chrome);
    const attacker = login('45.76.1.1', NOW, homeFacts({ asn: 20473, country: 'US', location: places.newYork }));
    expect(observeLogin(profile, attacker, 'untrusted', RETENTION)).toBe(profile);
  });

  it("counts a value named like an object's own members (a user agent `constructor`, `__proto__`) as any other, stored and read back", () => {
    for (const ua of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      let profile: FamiliarityProfile | null = null;
      for (const at of [NOW - 2 * DAY, NOW - DAY]) profile = observeLogin(profile, login('84.208.1.10', at, homeFacts(), ua), 'trusted', RETENTION);
      const stored = parseProfile(JSON.stringify(profile));
      expect(stored?.trustedLogins, ua).toBe(2);
      expect(Object.entries(stored?.values.user_agent ?? {}), ua).toEqual([[ua, { count: 2, firstAt: NOW - 2 * DAY, lastAt: NOW - DAY }]]);
      // Learned again from what was stored, and merged with itself.
      const again = observeLogin(stored, login('84.208.1.10', NOW, homeFacts(), ua), 'trusted', RETENTION)!;
      expect(JSON.parse(JSON.stringify(again)).values.user_agent[ua].count, ua).toBe(3);
      expect(JSON.parse(JSON.stringify(mergeProfiles(again, again))).values.user_agent[ua].count, ua).toBe(6);
      expect(isFamiliar(again, 'user_agent', ua, NOW - DAY)).toBe(true);
      expect(shareOf(again, 'user_agent', ua, NOW - 3 * DAY)).toBe(1);
    }
    // A user never seen with such a value is not familiar with it.
    for (const name of ['constructor', '__proto__', 'toString']) expect(isFamiliar(regular(2), 'user_agent', name, NOW - 3 * DAY), name).toBe(false);
  });

  it('holds a pending login apart until it is consumed or verified, and drops it when its challenge fails', () => {
    const travel = login('193.1.1.1', NOW, homeFacts({ asn: 1213, country: 'IE' }));
    const held = observeLogin(regular(), travel, 'pending', RETENTION)!;
    expect(held.values.country).not.toHaveProperty('IE');
    expect(held.pending.map((p) => p.evaluation)).toEqual([travel.evaluation]);
    const learned = settleLogin(held, travel.evaluation, 'consumed', RETENTION)!;
    expect(learned.values.country?.IE?.count).toBe(1);
    expect(learned.pending).toEqual([]);
    const dropped = settleLogin(held, travel.evaluation, 'failed', RETENTION)!;
    expect(dropped.values.country).not.toHaveProperty('IE');
    expect(dropped.pending).toEqual([]);
    // Settled already, or never pending: nothing to do.
    expect(settleLogin(learned, travel.evaluation, 'verified', RETENTION)).toBeNull();
  });

  it('learns a high-risk login only when its user passes a verification, never because the backend consumed it', () => {
    const phone = login('84.208.1.77', NOW, homeFacts({ asn: 29695 }), 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X)');
    const held = observeLogin(regular(), phone, 'suspect', RETENTION)!;
    expect(held.pending).toEqual([{ ...phone, suspect: true }]);
    expect(settleLogin(held, phone.evaluation, 'consumed', RETENTION)).toBeNull();
    const verified = settleLogin(held, phone.evaluation, 'verified', RETENTION)!;
    expect(verified.values.asn).toHaveProperty('29695');
    expect(verified.pending).toEqual([]);
  });

  it('stays bounded: the least familiar values and the oldest pending logins go first', () => {
    let profile: FamiliarityProfile | null = regular(3);
    for (let k = 0; k < 40; k++) profile = observeLogin(profile, login(`10.0.${k}.1`, NOW + k), 'trusted', RETENTION);
    for (let k = 0; k < 20; k++) profile = observeLogin(profile, login('10.9.9.9', NOW + 100 + k), 'pending', RETENTION);
    expect(Object.keys(profile!.values.ip ?? {})).toHaveLength(MAX_VALUES_PER_DIMENSION);
    expect(profile!.pending).toHaveLength(MAX_PENDING);
    expect(profile!.pending[0]!.at).toBe(NOW + 100 + 20 - MAX_PENDING);
  });

  it('merges an imported familiar set into a learned one: counts add up, bounds hold', () => {
    let imported: FamiliarityProfile | null = null;
    for (let k = 0; k < 30; k++) imported = observeLogin(imported, login(`10.1.${k}.1`, NOW - 50 * DAY + k), 'trusted', RETENTION);
    const merged = mergeProfiles(regular(4), imported)!;
    expect(merged.trustedLogins).toBe(34);
    expect(merged.values.asn?.['2119']).toEqual({ count: 34, firstAt: NOW - 50 * DAY, lastAt: NOW - DAY });
    expect(Object.keys(merged.values.ip ?? {})).toHaveLength(MAX_VALUES_PER_DIMENSION);
    expect(merged.values.ip).toHaveProperty('84.208.1.10');
    expect(merged.lastTrustedAt).toBe(NOW - DAY);
    expect(mergeProfiles(null, imported)).toBe(imported);
  });

  it('forgets values not seen within retention', () => {
    const old = regular(2);
    const later = observeLogin(old, login('84.208.1.10', NOW + 200 * DAY, homeFacts({ asn: 3301 })), 'trusted', RETENTION)!;
    expect(Object.keys(later.values.asn ?? {})).toEqual(['3301']);
  });
});

describe('familiarity checks', () => {
  const check = (profile: FamiliarityProfile | null, ip: string, f: Facts = homeFacts(), ua = chrome) =>
    familiarity(input({ channel: 'server', ip, userAgent: ua }), f, history({ familiarity: profile }), ctx());

  it('are absent until the user has a trusted login', () => {
    expect(check(null, '84.208.1.10')).toEqual({});
  });

  it('find a new address of a familiar /24 and provider ordinary, and a browser update no new browser', () => {
    const checks = check(regular(), '84.208.1.99', homeFacts(), chromeUpdated);
    expect(checks).toMatchObject({
      ip_prefix_is_new: false,
      asn_is_new: false,
      country_is_new: false,
      ua_is_new: true,
      ua_family_is_new: false,
      os_is_new: false,
      ua_repeats_last_login: false,
    });
    expect(checks.network_familiarity).toBe(0.9);
    expect(checks.browser_familiarity).toBe(0.8);
  });

  it('find a hosting provider the user never used new, and the last login’s exact browser a replay of it', () => {
    const checks = check(regular(), '45.76.1.1', homeFacts({ asn: 20473, type: 'hosting', types: ['hosting'], location: places.bergen }));
    expect(checks).toMatchObject({ ip_prefix_is_new: true, asn_is_new: true, city_is_new: true, country_is_new: false, ua_is_new: false, ua_repeats_last_login: true });
    expect(checks.network_familiarity).toBe(0.2);
  });

  it('weigh a replayed browser on a new hosting network into a high ato, and the same login from home into a low one', () => {
    const profile = regular();
    const ato = (ip: string, f: Facts) =>
      decide({
        evaluation: input({ channel: 'server', ip, userAgent: chrome }),
        facts: f,
        history: history({ user: { firstSeenAt: NOW - 30 * DAY, emailVerified: false, phoneVerified: false, suspended: false }, ipLastSeenAt: null, familiarity: profile }),
        policies: [],
        now: NOW,
      }).explanation.risks.find((r) => r.category === 'ato')!;
    expect(ato('84.208.1.99', homeFacts()).severity).toBe('low');
    expect(ato('45.76.1.1', homeFacts({ asn: 20473, type: 'hosting', types: ['hosting'], location: places.bergen })).score).toBeGreaterThanOrEqual(50);
  });
});

describe('privacy networks and the place learned', () => {
  it('never raise country change or impossible travel from a VPN or relay exit abroad', () => {
    const before = history({ locatedBefore: located(NOW - 10 * 60_000, places.oslo) });
    const vpn = facts({ ip: { type: 'vpn', types: ['vpn', 'hosting'], asn: 9009, country: 'US', location: places.newYork, listAgeDays: 1 } });
    expect(geography(input(), vpn, before, ctx())).toMatchObject({ country_change: false, impossible_travel: false });
    const home = facts({ ip: { type: 'isp', types: [], asn: 7922, country: 'US', location: places.newYork, listAgeDays: 1 } });
    expect(geography(input(), home, before, ctx())).toMatchObject({ country_change: true, impossible_travel: true });
  });

  it('keeps the owner’s place when an attacker’s login abroad is not trusted, so the owner’s next login is no travel', () => {
    const profile = { ...regular(), place: located(NOW - DAY, places.oslo) };
    const abroad = decide({
      evaluation: input({ channel: 'server', ip: '45.76.1.1', userAgent: chrome }),
      facts: homeFacts({ asn: 20473, type: 'hosting', types: ['hosting'], country: 'US', location: places.newYork }),
      history: history({ user: { firstSeenAt: NOW - 30 * DAY, emailVerified: false, phoneVerified: false, suspended: false }, locatedBefore: profile.place, familiarity: profile }),
      policies: [],
      now: NOW,
    });
    const observed = abroad.effects.find((e): e is Extract<Effect, { type: 'observe_login' }> => e.type === 'observe_login')!;
    expect(observed.trust).toBe('suspect');
    const after = observeLogin(profile, { evaluation: 'ev_x', at: NOW, traits: observed.traits, place: observed.place }, observed.trust, RETENTION);
    expect(after?.place?.location).toEqual(places.oslo);
  });
});
