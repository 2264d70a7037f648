import type { IpRange } from './normalize_ip.js';

/**
 * The common case on the hot path: an IPv4 address in canonical dotted-quad form (no leading zeros, no
 * spaces), parsed by hand into a number. Anything else returns null and goes the full ipaddr.js way,
 * which gives the same answer.
 */
export function parseCanonicalIpv4(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || parts === 3) return null;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      parts++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // a leading zero: not canonical
      part = part * 10 + (c - 48);
      if (part > 255) return null;
      digits++;
    } else {
      return null;
    }
  }
  if (digits === 0 || parts !== 3) return null;
  return value * 256 + part;
}

// The special IPv4 ranges ipaddr.js knows (its SpecialRanges), as parseIp names them; a test checks the
// two agree over 200,000 addresses and every edge, so an ipaddr.js update that adds a range is caught.
const specialRanges: [cidr: string, range: IpRange][] = [
  ['0.0.0.0/8', 'reserved'],
  ['255.255.255.255/32', 'reserved'],
  ['224.0.0.0/4', 'reserved'],
  ['169.254.0.0/16', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['100.64.0.0/10', 'private'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['240.0.0.0/4', 'reserved'],
  ['192.175.48.0/24', 'reserved'],
  ['192.31.196.0/24', 'reserved'],
  ['192.52.193.0/24', 'reserved'],
];
const special = specialRanges.map(([cidr, range]) => {
  const [base, bits] = cidr.split('/');
  const start = parseCanonicalIpv4(base!)!;
  return { start, end: start + 2 ** (32 - Number(bits)) - 1, range };
});

/** public, private, loopback or reserved: what parseIp says of the same address. */
export function ipv4RangeOf(value: number): IpRange {
  for (const s of special) if (value >= s.start && value <= s.end) return s.range;
  return 'public';
}
