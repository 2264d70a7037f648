import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir } from '../data-dir.js';
import { Intel } from '../facts.js';
import { type AsnRange, ipv4, ipv4Number, rangesOf, sampleAddresses, seeded } from './test-support/asn-ranges.js';

// The lists and the AS together, over the bundled data: where the 2023 ipcat list cries wolf on access
// networks, and where hosting providers are missing from every range list.
const now = Date.UTC(2026, 10, 25);
let intel: Intel;
beforeAll(() => {
  intel = Intel.load();
});

/** The lists alone, as Vigil read an address before the AS had a say. */
const listsOnly = (ip: string) => intel.ip.lookup(ip, now)!;
const combined = (ip: string) => intel.ipInfo(ip, now)!;

const ipcatRanges = (): [number, number][] =>
  readFileSync(join(bundledDataDir, 'ip/ipcat_datacenters.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','))
    .map(([first, last]) => [ipv4Number(first!), ipv4Number(last!)]);

/** First, middle and last address of every stretch where ipcat's ranges and the AS's ranges meet. */
function ipcatWithin(ranges: readonly AsnRange[]): string[] {
  const out: string[] = [];
  for (const [s, e] of ipcatRanges()) {
    for (const [as, ae] of ranges) {
      const lo = Math.max(s, as);
      const hi = Math.min(e, ae);
      if (lo <= hi) out.push(...new Set([lo, Math.floor((lo + hi) / 2), hi].map(ipv4)));
    }
  }
  return out;
}

/** Shares of each type, as `hosting 0.1%, isp 78.0%, …`. */
function shares(ips: readonly string[], typeOf: (ip: string) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ip of ips) counts.set(typeOf(ip), (counts.get(typeOf(ip)) ?? 0) + 1);
  return new Map([...counts].map(([t, n]) => [t, n / ips.length]));
}
const show = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([t, s]) => `${t} ${(s * 100).toFixed(2)}%`)
    .join(', ');

describe('IP type from the lists and the AS', () => {
  it('no longer calls hosting the addresses of Reliance Jio, BSNL, Comcast and BT that only ipcat lists', () => {
    for (const [asn, name, expected] of [
      [55836, 'Reliance Jio', 'mobile'],
      [9829, 'BSNL', 'isp'],
      [7922, 'Comcast', 'isp'],
      [2856, 'BT', 'isp'],
    ] as const) {
      const addresses = ipcatWithin(rangesOf([asn])).filter((ip) => listsOnly(ip).sources.join() === 'ipcat_datacenters');
      expect(addresses.length, name).toBeGreaterThan(0);
      for (const ip of addresses) {
        expect(listsOnly(ip).type, `${name} ${ip}, lists only`).toBe('hosting');
        const info = combined(ip);
        expect(info, `${name} ${ip}`).toMatchObject({ type: expected, types: [expected], asn, asn_type: expected, sources: [], overruled: ['ipcat_datacenters'] });
      }
    }
  });

  it('keeps the fresher lists first: an X4BNet datacenter range in an ISP-named AS stays hosting, a Tor exit stays Tor', () => {
    // Fiber Logic (AS21887, "fiber" reads isp) holds ranges X4BNet's 2026 datacenter list names.
    const listed = rangesOf([21887])
      .flatMap(([s, e]) => [s, e].map(ipv4))
      .filter((ip) => listsOnly(ip).sources.includes('x4bnet_datacenter'));
    expect(listed.length).toBeGreaterThan(0);
    for (const ip of listed) expect(combined(ip), ip).toMatchObject({ type: 'hosting', asn_type: 'isp', overruled: [] });
    const exits = readFileSync(join(bundledDataDir, 'ip/tor/tor_exit_nodes_2024-02-27.lst'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const atIsps = exits.map(combined).filter((i) => i.asn_type === 'isp' || i.asn_type === 'mobile');
    expect(atIsps.length).toBeGreaterThan(0);
    for (const info of atIsps) expect(info.type, info.address).toBe('tor');
  });

  it('leaves ipcat its word where the AS cannot tell (a transit carrier) or is hosting', () => {
    const cogent = ipcatWithin(rangesOf([174])).filter((ip) => listsOnly(ip).sources.join() === 'ipcat_datacenters');
    expect(cogent.length).toBeGreaterThan(0);
    for (const ip of cogent) expect(combined(ip)).toMatchObject({ type: 'hosting', asn_type: null, sources: ['ipcat_datacenters'], overruled: [] });
  });

  it('calls hosting the Vultr, OVH, Hetzner and CDN77 addresses that no list names', () => {
    for (const [name, asns] of [
      ['Vultr', [20473]],
      ['OVH', [16276]],
      ['Hetzner', [24940, 213230]],
      ['CDN77', [60068, 212238]],
    ] as const) {
      const unlisted = rangesOf(asns)
        .flatMap(([s, e]) => [s, Math.floor((s + e) / 2), e].map(ipv4))
        .filter((ip) => listsOnly(ip).type === 'unknown');
      expect(unlisted.length, name).toBeGreaterThan(0);
      for (const ip of unlisted) expect(combined(ip), `${name} ${ip}`).toMatchObject({ type: 'hosting', types: ['hosting'], asn_type: 'hosting', sources: [] });
    }
  });

  it('calls an ISP address no list names isp, and keeps private addresses unknown', () => {
    expect(combined('84.208.1.1')).toMatchObject({ type: 'isp', types: ['isp'], asn: 25400, asn_type: 'isp', sources: [], overruled: [] });
    const comcast = rangesOf([7922])
      .map(([s]) => ipv4(s + 1))
      .find((ip) => listsOnly(ip).type === 'unknown')!;
    expect(combined(comcast)).toMatchObject({ type: 'isp', asn_type: 'isp' });
    expect(intel.facts({ ip: '84.208.1.1' }, now).facts.ip).toMatchObject({ type: 'isp', types: ['isp'], asn: 25400 });
    expect(combined('10.1.2.3')).toMatchObject({ type: 'unknown', types: [], asn_type: null });
  });

  it('reads at most 0.5% of sampled addresses of big consumer ISPs and mobile carriers as hosting', () => {
    // Fixed, cable and mobile access networks of every continent, curated and typed by name alike.
    const access = [
      55836, 9829, 7922, 2856, 21928, 2119, 20115, 7018, 3320, 45609, 24560, 38266, 20057, 22394, 22773, 5089, 3215, 12322, 3352, 4134, 4837, 9808, 4766, 17676, 26599, 8151, 7713,
      23693, 9121, 16135, 12389, 3269, 1136, 5607, 25400, 7029, 8447, 5483, 12912, 51207, 15895, 37069,
    ];
    const random = seeded(11);
    const sample = access.flatMap((asn) => sampleAddresses(rangesOf([asn]), 60, random));
    expect(sample.length).toBeGreaterThanOrEqual(2000);
    const before = shares(sample, (ip) => listsOnly(ip).type);
    const after = shares(sample, (ip) => combined(ip).type);
    console.log(`consumer ISP and mobile addresses (n=${sample.length}): lists only ${show(before)}; lists and AS ${show(after)}`);
    expect(after.get('hosting') ?? 0).toBeLessThanOrEqual(0.005);
    expect(after.get('unknown') ?? 0).toBeLessThan(0.05);
    // And the hosting providers: none unknown any more.
    const hosting = [20473, 16276, 24940, 60068, 14061, 63949, 51167, 60781].flatMap((asn) => sampleAddresses(rangesOf([asn]), 100, random));
    const hostingBefore = shares(hosting, (ip) => listsOnly(ip).type);
    const hostingAfter = shares(hosting, (ip) => combined(ip).type);
    console.log(`hosting provider addresses (n=${hosting.length}): lists only ${show(hostingBefore)}; lists and AS ${show(hostingAfter)}`);
    expect(hostingAfter.get('unknown') ?? 0).toBe(0);
  });
});
