import { describe, expect, it } from 'vitest';
import { FREEMAN_WEIGHTS, FreemanScorer, uaFeatures } from './freeman.js';
import { NaiveChecksScorer } from './naive-checks.js';

const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1';

// A stand-in for intel: three addresses, two ASes in Norway and one in the US.
const places: Record<string, { asn: number; country: string; type: string }> = {
  '1.1.1.1': { asn: 100, country: 'NO', type: 'isp' },
  '2.2.2.2': { asn: 200, country: 'NO', type: 'isp' },
  '9.9.9.9': { asn: 900, country: 'US', type: 'hosting' },
};
const describeIp = (ip: string) => places[ip] ?? null;

function twoUsers(): FreemanScorer {
  const scorer = new FreemanScorer({ describeIp });
  for (const login of [
    { user: 'alice', ip: '1.1.1.1', ua: WINDOWS_CHROME },
    { user: 'bob', ip: '2.2.2.2', ua: IPHONE_SAFARI },
    { user: 'alice', ip: '1.1.1.1', ua: WINDOWS_CHROME },
    { user: 'bob', ip: '2.2.2.2', ua: IPHONE_SAFARI },
  ]) {
    scorer.add(login);
  }
  return scorer;
}

describe('Freeman et al. (Wiefling et al. implementation)', () => {
  it('reads browser and OS with versions and the device class', () => {
    expect(uaFeatures(WINDOWS_CHROME)).toEqual({ browser: 'Chrome 140.0.0', os: 'Windows 10', device: 'computer' });
    expect(uaFeatures(IPHONE_SAFARI)).toMatchObject({ browser: 'Mobile Safari 18.6', device: 'mobile' });
  });

  it('scores a familiar login by the formula, and an unfamiliar one far higher', () => {
    const scorer = twoUsers();
    // N = 4 logins, U = 2 users, alice n_u = 2: p(u|attack)/p(u|legit) = (1/2)/(2/4) = 1.
    // IP: local = 0.6 + 0.3 + 0.1 = 1. Global: the IP seen twice, smoothed with unseen = 1 + 2 ASNs + 1
    // country = 4 and A = 2 + 1: 0.6 · 2/(4+4) · 3/(3+3); ASN 0.3 · 2/4; country 0.1 · 4/4.
    const ip = 0.6 * (2 / 8) * (3 / 6) + 0.3 * (2 / 4) + 0.1;
    // UA: local = 1. Global: the string seen twice, unseen = 1 + 2 browsers + 2 OSes + 2 devices = 7,
    // A = 3: w0 · 2/(4+7) · 3/(3+4); browser, OS, device each seen twice in 4.
    const w0 = FREEMAN_WEIGHTS.ua.ua;
    const ua = w0 * (2 / 11) * (3 / 7) + (1 - w0) * (2 / 4);
    const familiar = scorer.score({ user: 'alice', ip: '1.1.1.1', ua: WINDOWS_CHROME });
    expect(familiar).toBeCloseTo(ip * ua, 12);
    // Nothing of it in alice's history: each feature's local likelihood is its global one / 4 → 4 × 4.
    const unfamiliar = scorer.score({ user: 'alice', ip: '9.9.9.9', ua: IPHONE_SAFARI });
    expect(unfamiliar).toBeCloseTo(16, 12);
    expect(unfamiliar).toBeGreaterThan(familiar * 100);
    // A familiar address with a new device lies in between.
    const newDevice = scorer.score({ user: 'alice', ip: '1.1.1.1', ua: IPHONE_SAFARI });
    expect(newDevice).toBeGreaterThan(familiar);
    expect(newDevice).toBeLessThan(unfamiliar);
  });

  it('scores a first login 0 (or as configured) and streams: each login against the ones before it', () => {
    const scorer = new FreemanScorer({ describeIp });
    expect(scorer.scoreAndAdd({ user: 'carol', ip: '1.1.1.1', ua: WINDOWS_CHROME })).toBe(0);
    expect(new FreemanScorer({ describeIp, firstLoginScore: Number.POSITIVE_INFINITY }).score({ user: 'dave', ip: '1.1.1.1', ua: WINDOWS_CHROME })).toBe(Number.POSITIVE_INFINITY);
    // scoreAndAdd = score, then add: the login itself is not part of its own history.
    const twin = new FreemanScorer({ describeIp });
    twin.add({ user: 'carol', ip: '1.1.1.1', ua: WINDOWS_CHROME });
    const login = { user: 'carol', ip: '2.2.2.2', ua: IPHONE_SAFARI };
    const expected = twin.score(login);
    expect(scorer.scoreAndAdd(login)).toBe(expected);
    expect(scorer.score(login)).not.toBe(expected);
  });
});

describe('naive weighted checks', () => {
  it('adds 10 new IP, 15 new country, 20 new ASN, 20 new UA, 30 hosting or VPN', () => {
    const scorer = new NaiveChecksScorer({ describeIp });
    expect(scorer.scoreAndAdd({ user: 'a', ip: '1.1.1.1', ua: WINDOWS_CHROME })).toBe(0); // first login
    expect(scorer.scoreAndAdd({ user: 'a', ip: '1.1.1.1', ua: WINDOWS_CHROME })).toBe(0);
    expect(scorer.scoreAndAdd({ user: 'a', ip: '2.2.2.2', ua: WINDOWS_CHROME })).toBe(10 + 20);
    expect(scorer.scoreAndAdd({ user: 'a', ip: '9.9.9.9', ua: IPHONE_SAFARI })).toBe(10 + 15 + 20 + 20 + 30);
    expect(scorer.scoreAndAdd({ user: 'b', ip: '9.9.9.9', ua: IPHONE_SAFARI })).toBe(30); // first login, hosting
  });
});
