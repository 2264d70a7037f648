import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir } from '../data-dir.js';
import { IpIntel } from './ip-intel.js';

// Over the bundled snapshot itself: what the product ships is what is tested.
const now = Date.UTC(2026, 10, 25);
let intel: IpIntel;
beforeAll(() => {
  intel = IpIntel.load();
});
const firstLine = (file: string) => readFileSync(join(bundledDataDir, file), 'utf8').split('\n')[0]!.trim();
const inside = (cidr: string, offset = 1) => {
  const [base] = cidr.split('/');
  const parts = base!.split('.').map(Number);
  parts[3]! += offset;
  return parts.join('.');
};

describe('IpIntel over the bundled lists', () => {
  it('loads every list, v4 and v6', () => {
    const info = intel.info();
    expect(info.map((l) => l.name)).toEqual(
      expect.arrayContaining(['tor_exits', 'icloud_private_relay', 'x4bnet_vpn', 'googlebot', 'amazon', 'x4bnet_datacenter', 'ipcat_datacenters']),
    );
    for (const list of info) expect(list.ranges, list.name).toBeGreaterThan(0);
  });

  it('knows a Tor exit, in IPv4 and in any spelling of IPv6, and the age of the list', () => {
    const exit = firstLine('ip/tor/tor_exit_nodes_2024-02-27.lst');
    expect(intel.lookup(exit, now)).toMatchObject({ type: 'tor', sources: ['tor_exits'], listAgeDays: 1002 });
    // Listed zero-padded upstream; matched compressed, upper case and zero-padded alike.
    for (const spelling of ['2001:470:1:908::9001', '2001:0470:0001:0908:0000:0000:0000:9001', '2001:470:1:908:0:0:0:9001'.toUpperCase()]) {
      expect(intel.lookup(spelling, now)?.types, spelling).toContain('tor');
    }
    expect(intel.lookup(`::ffff:${exit}`, now)?.type).toBe('tor');
  });

  it('calls iCloud Private Relay a relay, never a VPN, though the VPN list contains it', () => {
    const relay = inside(firstLine('ip/ipranges/apple-proxy/ipv4_merged.txt'));
    const found = intel.lookup(relay, now)!;
    expect(found.type).toBe('relay');
    expect(found.types).not.toContain('vpn');
    expect(found.sources).toEqual(['icloud_private_relay']);
    expect(intel.lookup('2a02:26f7:b00a:4000::1', now)?.type).toBe('relay');
  });

  it('knows VPNs, crawlers and hosting, and says which lists said so', () => {
    expect(intel.lookup(inside(firstLine('ip/x4bnet/output_vpn_ipv4.txt'), 5), now)).toMatchObject({ type: 'vpn', types: expect.arrayContaining(['vpn']) });
    expect(intel.lookup(inside(firstLine('ip/ipranges/googlebot/ipv4_merged.txt'), 3), now)).toMatchObject({ type: 'crawler', sources: expect.arrayContaining(['googlebot']) });
    expect(intel.lookup('8.8.8.8', now)).toMatchObject({ type: 'hosting', sources: expect.arrayContaining(['google']) });
    expect(intel.lookup('3.0.0.1', now)?.sources).toEqual(expect.arrayContaining(['ipcat_datacenters']));
  });

  it('leaves private, loopback and unlisted addresses unknown, saying which range they are in', () => {
    expect(intel.lookup('10.1.2.3', now)).toMatchObject({ range: 'private', type: 'unknown', types: [], sources: [] });
    expect(intel.lookup('::1', now)).toMatchObject({ range: 'loopback', type: 'unknown' });
    expect(intel.lookup('192.0.2.1', now)).toMatchObject({ range: 'reserved', type: 'unknown' });
    expect(intel.lookup('not an ip', now)).toBeNull();
  });

  it('matches range edges exactly', () => {
    const cidr = firstLine('ip/x4bnet/output_vpn_ipv4.txt'); // a /24
    expect(intel.lookup(inside(cidr, 0), now)?.types).toContain('vpn');
    expect(intel.lookup(inside(cidr, 255), now)?.types).toContain('vpn');
    expect(intel.lookup(inside(cidr, -1), now)?.types ?? []).not.toContain('vpn');
  });
});
