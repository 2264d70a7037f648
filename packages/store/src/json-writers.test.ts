import { type FamiliarityProfile, type LocatedEvaluation, type LoginTraits, observeLogin, type RiskExplanation, settleLogin } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { familiarSetJson, risksJson } from './json-writers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7);
const RETENTION = 90 * DAY;

// What a client may send, and so what may end up in a familiar set: quotes, backslashes, control
// characters, a lone surrogate, characters outside the BMP, line and paragraph separators.
const AWKWARD = ['Mozilla/5.0 "quoted" \\ back', 'tab\there\nnew\u0000nul\u001f', 'lone \ud800 surrogate', 'emoji 😀 é ü', '\u2028\u2029', '</script>', ''];

function place(i: number): LocatedEvaluation | null {
  if (i % 4 === 3) return null;
  return {
    at: NOW - i * 1000,
    location: { latitude: 59.91 + i / 100, longitude: -10.75 - i / 7, accuracyKm: i % 2 ? 25 : 1000, precision: i % 2 ? 'city' : 'country' },
    country: i % 5 === 0 ? null : 'NO',
    relay: i % 3 === 0,
    deviceId: i % 2 ? `dv_${i}` : null,
  };
}

function traits(i: number): LoginTraits {
  const awkward = AWKWARD[i % AWKWARD.length]!;
  return {
    ip: `84.208.${i % 7}.${i % 250}`,
    ip_prefix: `84.208.${i % 7}.0/24`,
    asn: String(2119 + (i % 3)),
    ...(i % 2 ? { city: `59.9,${i}` } : {}),
    country: i % 5 === 0 ? 'SE' : 'NO',
    user_agent: `${awkward} ${i % 3}`,
    browser: i % 2 ? 'Chrome' : awkward,
    os: 'Linux',
    device_class: 'computer',
  };
}

/** Familiar sets as core builds them: trusted logins learned, others held and then settled, over many days. */
function familiarSets(): FamiliarityProfile[] {
  const sets: FamiliarityProfile[] = [];
  let profile: FamiliarityProfile | null = null;
  for (let i = 0; i < 60; i++) {
    const login = { evaluation: `ev_${i}`, at: NOW - (60 - i) * DAY, traits: traits(i), place: place(i) };
    const trust = (['trusted', 'trusted', 'pending', 'suspect', 'trusted'] as const)[i % 5]!;
    profile = observeLogin(profile, login, trust, RETENTION);
    if (i % 7 === 6 && profile) profile = settleLogin(profile, `ev_${i - 4}`, i % 2 ? 'verified' : 'failed', RETENTION) ?? profile;
    if (profile) sets.push(profile);
  }
  return sets;
}

describe('familiarSetJson', () => {
  it('writes every familiar set core builds as JSON.stringify does, awkward strings included', () => {
    const sets = familiarSets();
    // The sets grow to many values and hold logins pending, some suspect, some with no place.
    const last = sets.at(-1)!;
    expect(Object.values(last.values).some((values) => Object.keys(values ?? {}).length > 5)).toBe(true);
    expect(sets.some((s) => s.pending.some((p) => p.suspect === true))).toBe(true);
    expect(sets.some((s) => s.pending.some((p) => p.place === null))).toBe(true);
    for (const set of sets) expect(familiarSetJson(set)).toBe(JSON.stringify(set));
  });

  it('keeps a property its schema does not name (a newer node’s), as JSON.stringify would', () => {
    const set = { ...familiarSets().at(-1)!, addedLater: { kept: true } } as FamiliarityProfile;
    expect(JSON.parse(familiarSetJson(set)).addedLater).toEqual({ kept: true });
    expect(familiarSetJson(set)).toBe(JSON.stringify(set));
  });

  it('writes a number that is not finite as JSON.stringify does (null), instead of throwing', () => {
    const set = { ...familiarSets().at(-1)!, lastTrustedAt: Number.NaN };
    expect(familiarSetJson(set)).toBe(JSON.stringify(set));
    expect(JSON.parse(familiarSetJson(set)).lastTrustedAt).toBeNull();
  });
});

describe('risksJson', () => {
  it('writes risks as JSON.stringify does', () => {
    const risks: RiskExplanation[] = [
      { category: 'ato', score: 15, severity: 'low', contributions: [{ check: 'ip_is_hosting', weight: 15 }] },
      {
        category: 'fake_account',
        score: 72.5,
        severity: 'high',
        contributions: [
          { check: 'email_is_disposable', weight: 40 },
          { check: 'ip_is_tor+is_new_user', weight: 32.5 },
        ],
      },
      { category: 'account_sharing', score: 0, severity: 'low', contributions: [] },
      { category: 'a "custom" \\ category', score: -0, severity: 'maximum', contributions: [{ check: AWKWARD[2]!, weight: 1e21 }] },
    ];
    expect(risksJson(risks)).toBe(JSON.stringify(risks));
    expect(risksJson([])).toBe('[]');
  });

  it('writes a score that is not finite as JSON.stringify does (null)', () => {
    const risks: RiskExplanation[] = [{ category: 'ato', score: Number.POSITIVE_INFINITY, severity: 'high', contributions: [] }];
    expect(risksJson(risks)).toBe(JSON.stringify(risks));
  });
});
