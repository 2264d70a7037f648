import { describe, expect, it } from 'vitest';
import { ipv4RangeOf, parseCanonicalIpv4 } from './fast-ipv4.js';
import { parseIp, parseIpFully } from './normalize_ip.js';

describe('the fast IPv4 path', () => {
  it('parses canonical dotted quads and nothing else', () => {
    expect(parseCanonicalIpv4('0.0.0.0')).toBe(0);
    expect(parseCanonicalIpv4('255.255.255.255')).toBe(4_294_967_295);
    expect(parseCanonicalIpv4('84.208.1.1')).toBe(84 * 2 ** 24 + 208 * 2 ** 16 + 257);
    for (const other of ['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1..2.3', ' 1.2.3.4', '1.2.3.4 ', '::1', '::ffff:1.2.3.4', '1.2.3.a']) {
      expect(parseCanonicalIpv4(other), other).toBeNull();
    }
  });

  it('agrees with ipaddr.js on the range of 200,000 addresses, edges of every special range included', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const addresses = Array.from({ length: 200_000 }, () => `${next() % 256}.${next() % 256}.${next() % 256}.${next() % 256}`);
    addresses.push(
      '10.0.0.0',
      '10.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '127.0.0.1',
      '169.254.1.1',
      '172.15.255.255',
      '172.16.0.0',
      '172.31.255.255',
      '172.32.0.0',
      '192.0.2.255',
      '198.18.0.0',
      '198.19.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '224.0.0.0',
      '255.255.255.255',
    );
    for (const a of addresses) {
      const fast = parseCanonicalIpv4(a)!;
      const slow = parseIpFully(a)!;
      if (ipv4RangeOf(fast) !== slow.range) expect(`${a} ${ipv4RangeOf(fast)}`).toBe(`${a} ${slow.range}`);
      const parsed = parseIp(a)!;
      if (parsed.address !== slow.address || parsed.range !== slow.range || parsed.version !== 4) expect(parsed).toEqual(slow);
    }
  });
});
