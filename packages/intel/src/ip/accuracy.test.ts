import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IpType } from '@vigil/core';
import { bundledDataDir } from '../data-dir.js';
import { toRange } from './address.js';
import { IpIntel } from './ip-intel.js';
import { ipListSources } from './lists.js';

// Accuracy over samples built from the lists themselves: an address inside each listed range (first,
// middle and last) must come back with that list among its sources and a type at least as telling.
const now = Date.UTC(2026, 10, 25);
let intel: IpIntel;
beforeAll(() => {
  intel = IpIntel.load();
});

const fromNumber = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const rank: IpType[] = ['tor', 'relay', 'vpn', 'proxy', 'crawler', 'hosting'];

describe('IP list accuracy', () => {
  it('finds every sampled IPv4 address of every list, and types it at least as tellingly', () => {
    const report: string[] = [];
    for (const source of ipListSources.filter((s) => s.format === 'cidr')) {
      const lines = source.files
        .flatMap((f) => readFileSync(`${bundledDataDir}${f}`, 'utf8').split('\n'))
        .map((l) => l.trim())
        .filter(Boolean);
      const ranges = lines.map(toRange).filter((r): r is { version: 4; start: number; end: number } => r?.version === 4);
      // Every 10th range, at its first, middle and last address.
      const sample = ranges
        .filter((_, i) => i % 10 === 0)
        .flatMap((r) => [r.start, Math.floor((r.start + r.end) / 2), r.end])
        .map(fromNumber);
      let named = 0;
      let typed = 0;
      let publicCount = 0;
      for (const address of sample) {
        const found = intel.lookup(address, now)!;
        if (found.range !== 'public') continue; // lists that include documentation ranges by mistake
        publicCount++;
        // A relay address is described by the relay list only (every other list describes the relay).
        const expectedList = found.type === 'relay' && source.type !== 'relay' ? 'icloud_private_relay' : source.name;
        if (found.sources.includes(expectedList)) named++;
        if (rank.indexOf(found.type) <= rank.indexOf(source.type)) typed++;
      }
      report.push(`${source.name} ${publicCount ? ((named / publicCount) * 100).toFixed(1) : '-'}%`);
      expect(named, source.name).toBe(publicCount);
      expect(typed, source.name).toBe(publicCount);
    }
    console.log(`IP lists, sampled addresses found: ${report.join(', ')}`);
  });

  it('measures how a Tor list ages: exits of six months before still listed today', () => {
    const older = readFileSync(new URL('../../fixtures/ip/tor_exit_nodes_2023-08-31.lst', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const stillExits = older.filter((a) => intel.lookup(a, now)?.type === 'tor').length / older.length;
    console.log(`Tor: ${(stillExits * 100).toFixed(1)}% of the exits of 2023-08-31 are in the 2024-02-27 list (why list age is shown)`);
    // Published churn (shared/data README): ~75% after 180 days; the floor sits below that.
    expect(stillExits).toBeGreaterThan(0.5);
    expect(stillExits).toBeLessThan(0.95);
  });
});
