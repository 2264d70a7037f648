import { type NumericIp, toNumeric } from './address.js';
import { ipv4RangeOf, parseCanonicalIpv4 } from './fast-ipv4.js';
import { type IpRange, parseIp } from './normalize_ip.js';

/** An address parsed once for every lookup that follows: its spelling, its range and its number. */
export interface ResolvedIp {
  address: string;
  range: IpRange;
  numeric: NumericIp;
}

export function resolveIp(ip: string): ResolvedIp | null {
  const fast = parseCanonicalIpv4(ip);
  // The hot path: a canonical IPv4 address, parsed without ipaddr.js.
  if (fast !== null) return { address: ip, range: ipv4RangeOf(fast), numeric: { version: 4, value: fast } };
  const parsed = parseIp(ip);
  const numeric = parsed && toNumeric(parsed.address);
  return parsed && numeric ? { address: parsed.address, range: parsed.range, numeric } : null;
}
