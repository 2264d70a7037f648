import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir } from './data-dir.js';
import { Intel } from './facts.js';

const now = Date.UTC(2026, 10, 25);
let intel: Intel;
beforeAll(() => {
  intel = Intel.load();
});

describe('Intel facts', () => {
  it('places public addresses at city precision, with their country', () => {
    const oslo = intel.facts({ ip: '84.208.1.1' }, now).facts.ip;
    expect(oslo).toMatchObject({ country: 'NO', asn: 25400, location: { precision: 'city', accuracyKm: 100 } });
    expect(intel.ipInfo('2001:4860:4860::8888', now)).toMatchObject({ asn: 15169, as_org: 'Google LLC' });
    expect(oslo?.location?.latitude).toBeCloseTo(59.9, 0);
    const sydney = intel.facts({ ip: '1.1.1.1' }, now).facts.ip;
    expect(sydney?.country).toBe('AU');
    expect(sydney?.location?.longitude).toBeCloseTo(151.2, 0);
    expect(intel.facts({ ip: '2001:4860:4860::8888' }, now).facts.ip?.location).not.toBeNull();
  });

  it('combines the lists and the place in ip_info', () => {
    const exit = readFileSync(join(bundledDataDir, 'ip/tor/tor_exit_nodes_2024-02-27.lst'), 'utf8').split('\n')[0]!.trim();
    const { facts, ipInfo } = intel.facts({ ip: exit }, now);
    expect(facts.ip).toMatchObject({ type: 'tor', types: ['tor'], listAgeDays: 1002 });
    expect(ipInfo).toMatchObject({ address: exit, type: 'tor', sources: ['tor_exits'], country: expect.stringMatching(/^[A-Z]{2}$/) });
  });

  it('knows nothing of private addresses or no address, and says so with nulls', () => {
    expect(intel.facts({ ip: '10.0.0.1' }, now).facts.ip).toMatchObject({ type: 'unknown', country: null, location: null });
    expect(intel.facts({ ip: null }, now)).toEqual({ facts: { ip: null, email: null, phone: null, userAgent: null }, ipInfo: null });
  });

  it('lists every reference snapshot with its age and how much it holds (none empty)', () => {
    const lists = intel.referenceData(now);
    expect(lists.map((l) => l.name)).toContain('dbip_city');
    for (const list of lists) {
      expect(list.entries, list.name).toBeGreaterThan(0);
      expect(list.age_days, list.name).toBeGreaterThanOrEqual(0);
      expect(list.snapshot, list.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The geolocation snapshot holds millions of ranges (IPv4 and IPv6), not a token count.
    expect(lists.find((l) => l.name === 'dbip_city')!.entries).toBeGreaterThan(100_000);
  });
});

describe('Intel remembers what it looked up (VIGIL_INTEL_CACHE_SIZE)', () => {
  const ips = ['84.208.1.1', '1.1.1.1', '2001:4860:4860::8888', '10.0.0.1', 'not an ip'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'curl/8.5.0'];

  it('answers from memory exactly what it answers without, and nobody can change a remembered answer', () => {
    const remembering = Intel.load({ cacheSize: 2 });
    const forgetting = Intel.load({ cacheSize: 0 });
    // Twice over more IPs (and emails) than it remembers: hits, misses and evictions all answer the same.
    const emails = ['someone@gmail.com', 'x@mailinator.com', 'not-an-email@', 'Someone@Mail.Example.co.uk.', 'z@example.com'];
    for (const round of [1, 2]) {
      for (const ip of ips) {
        for (const [i, userAgent] of agents.entries()) {
          const query = { ip, userAgent, email: emails[i % emails.length], hints: { touchPoints: round === 1 ? 0 : 5, mobile: null } };
          expect(remembering.facts(query, now)).toEqual(forgetting.facts(query, now));
        }
      }
    }
    const { facts, ipInfo } = remembering.facts({ ip: '84.208.1.1', userAgent: agents[0] }, now);
    expect(() => {
      (ipInfo as { country: string | null }).country = 'XX';
    }).toThrow(TypeError);
    expect(() => {
      (facts.userAgent as { browser: string | null }).browser = 'changed';
    }).toThrow(TypeError);
    expect(remembering.facts({ ip: '84.208.1.1' }, now).ipInfo?.country).toBe('NO');
    // An evaluation's email facts are its own copy: changing them changes no other evaluation's.
    const first = remembering.facts({ ip: null, email: 'x@mailinator.com' }, now).facts.email!;
    first.disposable = false;
    expect(remembering.facts({ ip: null, email: 'x@mailinator.com' }, now).facts.email?.disposable).toBe(true);
  });

  it("counts a list's age from the day it is asked, not the day it was remembered", () => {
    const exit = readFileSync(join(bundledDataDir, 'ip/tor/tor_exit_nodes_2024-02-27.lst'), 'utf8').split('\n')[0]!.trim();
    const remembering = Intel.load({ cacheSize: 10 });
    expect(remembering.facts({ ip: exit }, now).facts.ip?.listAgeDays).toBe(1002);
    expect(remembering.facts({ ip: exit }, now + 86_400_000).facts.ip?.listAgeDays).toBe(1003);
  });
});
