import { describe, expect, it } from 'vitest';
import { DAY, NOW, facts, input, located, places } from '../checks/test-support/fixtures.js';
import type { Facts, LocatedEvaluation } from '../types.js';
import { type Login, observeLogin, SAME_VISIT_MS } from './learn.js';
import type { FamiliarityProfile } from './profile.js';
import { loginTraits } from './traits.js';

const RETENTION = 180 * DAY;
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const home: Facts = facts({
  ip: { type: 'isp', types: [], asn: 2119, country: 'NO', location: places.oslo, listAgeDays: 3 },
  userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Windows', isBot: false },
});

function visit(at: number, options: { ip?: string; ua?: string; place?: LocatedEvaluation | null } = {}): Login {
  const traits = loginTraits(input({ channel: 'server', ip: options.ip ?? '84.208.1.10', userAgent: options.ua ?? chrome }), home);
  return { evaluation: `ev_${at}`, at, traits, place: options.place === undefined ? located(at, places.oslo) : options.place };
}

/** A user who logged in from home yesterday and in the morning, and once more just now (at NOW). */
function userJustLearned(): FamiliarityProfile {
  let profile: FamiliarityProfile | null = null;
  for (const at of [NOW - DAY, NOW - 3_600_000, NOW]) profile = observeLogin(profile, visit(at), 'trusted', RETENTION);
  return profile!;
}

describe('a trusted evaluation in the same visit as the last one learned', () => {
  it('teaches nothing under a minute later when it brings nothing new: the same set, so nothing to write', () => {
    const profile = userJustLearned();
    expect(profile.trustedLogins).toBe(3);
    for (const later of [1, 5_000, SAME_VISIT_MS - 1]) expect(observeLogin(profile, visit(NOW + later), 'trusted', RETENTION)).toBe(profile);
    // So a burst of page views makes the visit's values no more familiar than one evaluation did.
    let burst = profile;
    for (let k = 1; k <= 50; k++) burst = observeLogin(burst, visit(NOW + k * 1_000), 'trusted', RETENTION)!;
    expect(burst.values.ip?.['84.208.1.10']?.count).toBe(3);
    expect(burst.trustedLogins).toBe(3);
  });

  it('is learned from a minute on, and whenever it is earlier than the last one learned', () => {
    const profile = userJustLearned();
    const nextVisit = observeLogin(profile, visit(NOW + SAME_VISIT_MS), 'trusted', RETENTION)!;
    expect(nextVisit.trustedLogins).toBe(4);
    expect(nextVisit.lastTrustedAt).toBe(NOW + SAME_VISIT_MS);
    expect(observeLogin(profile, visit(NOW - 1_000), 'trusted', RETENTION)?.trustedLogins).toBe(4);
  });

  it('is learned when it brings anything the set does not hold: an address, a browser, a place', () => {
    const profile = userJustLearned();
    const soon = NOW + 10_000;
    const otherAddress = observeLogin(profile, visit(soon, { ip: '84.208.1.77' }), 'trusted', RETENTION)!;
    expect(Object.keys(otherAddress.values.ip ?? {}).sort()).toEqual(['84.208.1.10', '84.208.1.77']);
    const otherBrowser = observeLogin(profile, visit(soon, { ua: firefox }), 'trusted', RETENTION)!;
    expect(otherBrowser.lastUserAgent).toBe(firefox);
    const elsewhere = located(soon, places.drammen);
    expect(observeLogin(profile, visit(soon, { place: elsewhere }), 'trusted', RETENTION)?.place).toEqual(elsewhere);
    const onAnotherDevice = located(soon, places.oslo, { deviceId: 'dv_2' });
    expect(observeLogin(profile, visit(soon, { place: onAnotherDevice }), 'trusted', RETENTION)?.place).toEqual(onAnotherDevice);
  });

  it("is learned when a value is one the set knows from before but not the last login's: its time moves", () => {
    // Home yesterday from .10, just now from .11: .10 is familiar, but not the address of the last login.
    let profile: FamiliarityProfile | null = observeLogin(null, visit(NOW - DAY), 'trusted', RETENTION);
    profile = observeLogin(profile, visit(NOW, { ip: '84.208.1.11' }), 'trusted', RETENTION)!;
    const back = observeLogin(profile, visit(NOW + 1_000), 'trusted', RETENTION)!;
    expect(back).not.toBe(profile);
    expect(back.values.ip?.['84.208.1.10']).toMatchObject({ count: 2, lastAt: NOW + 1_000 });
  });

  it('is learned when the last browser learned was another one, even one the set knows', () => {
    // Chrome, then Firefox just now: Chrome is familiar, but it is not the browser of the last login.
    const profile = observeLogin(userJustLearned(), visit(NOW + SAME_VISIT_MS, { ua: firefox }), 'trusted', RETENTION)!;
    const backToChrome = observeLogin(profile, visit(NOW + SAME_VISIT_MS + 1_000), 'trusted', RETENTION)!;
    expect(backToChrome).not.toBe(profile);
    expect(backToChrome.lastUserAgent).toBe(chrome);
  });

  it('takes a value named like an object member (a user agent `constructor`) as new until it was learned', () => {
    const learnedNow = observeLogin(null, visit(NOW, { ua: 'constructor' }), 'trusted', RETENTION)!;
    expect(observeLogin(learnedNow, visit(NOW + 1_000, { ua: 'constructor' }), 'trusted', RETENTION)).toBe(learnedNow);
    const withToString = observeLogin(learnedNow, visit(NOW + 1_000, { ua: 'toString' }), 'trusted', RETENTION)!;
    expect(withToString).not.toBe(learnedNow);
    expect(withToString.lastUserAgent).toBe('toString');
  });

  it('changes nothing for what is not trusted: a pending one is still held apart', () => {
    const profile = userJustLearned();
    const held = observeLogin(profile, visit(NOW + 1_000), 'pending', RETENTION)!;
    expect(held.pending).toHaveLength(1);
  });
});
