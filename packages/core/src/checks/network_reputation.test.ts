import { describe, expect, it } from 'vitest';
import { networkReputation } from './network_reputation.js';
import { facts, input, ipAt, places } from './test-support/fixtures.js';

describe('network reputation', () => {
  it('flags every type any list gave the address', () => {
    const f = facts({ ip: { type: 'vpn', types: ['vpn', 'hosting'], asn: 9009, country: 'SE', location: places.oslo, listAgeDays: 2 } });
    expect(networkReputation(input({ ip: '198.51.100.1' }), f)).toEqual({
      ip_is_vpn: true,
      ip_is_proxy: false,
      ip_is_tor: false,
      ip_is_hosting: true,
      ip_is_relay: false,
      ip_is_crawler: false,
      ip_country: 'SE',
      ip_asn: 9009,
      ip_list_age_days: 2,
    });
  });

  it('a residential address is none of them', () => {
    expect(networkReputation(input(), ipAt(places.oslo))).toMatchObject({ ip_is_vpn: false, ip_is_tor: false, ip_is_relay: false, ip_country: 'NO', ip_asn: 2119 });
  });

  it('leaves out what is unknown', () => {
    expect(networkReputation(input(), facts())).toEqual({});
    const f = facts({ ip: { type: 'unknown', types: [], asn: null, country: null, location: null, listAgeDays: null } });
    const checks = networkReputation(input(), f);
    expect(checks).not.toHaveProperty('ip_country');
    expect(checks).not.toHaveProperty('ip_asn');
    expect(checks).not.toHaveProperty('ip_list_age_days');
    expect(checks.ip_is_tor).toBe(false);
  });
});
