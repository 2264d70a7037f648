import { describe, expect, it } from 'vitest';
import { ipInCidr, parseCidr } from './cidr.js';

describe('parseCidr', () => {
  it('writes every range one way: the network address and its prefix', () => {
    expect(parseCidr('203.0.113.7/24')).toBe('203.0.113.0/24');
    expect(parseCidr(' 2001:DB8:0:0::1/32 ')).toBe('2001:db8::/32');
    expect(parseCidr('::ffff:10.1.2.3/8')).toBe('10.0.0.0/8');
  });

  it('refuses what is not a range', () => {
    for (const bad of ['203.0.113.0', '203.0.113.0/33', '2001:db8::/129', '1/8', 'x/8', '203.0.113.0/-1', '203.0.113.0/ 8']) expect(parseCidr(bad), bad).toBeNull();
  });
});

describe('ipInCidr', () => {
  it('matches addresses inside the range, in any spelling, and nothing outside or of the other family', () => {
    expect(ipInCidr('203.0.113.200', '203.0.113.0/24')).toBe(true);
    expect(ipInCidr('203.0.114.1', '203.0.113.0/24')).toBe(false);
    expect(ipInCidr('::ffff:203.0.113.9', '203.0.113.0/24')).toBe(true);
    expect(ipInCidr('2001:0db8:0000::0001', '2001:db8::/32')).toBe(true);
    expect(ipInCidr('2001:db9::1', '2001:db8::/32')).toBe(false);
    expect(ipInCidr('203.0.113.1', '2001:db8::/32')).toBe(false);
    expect(ipInCidr('not an ip', '203.0.113.0/24')).toBe(false);
  });
});
