import ipaddr from 'ipaddr.js';
import { parseIp } from './normalize_ip.js';

/** A CIDR range in one canonical spelling (`203.0.113.0/24`, `2001:db8::/32`), or null when it is none. */
export function parseCidr(value: string): string | null {
  const text = value.trim();
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bits)) return null;
  const prefix = Number(bits);
  if (prefix > (ip.version === 4 ? 32 : 128)) return null;
  // The network address, so 203.0.113.7/24 and 203.0.113.0/24 are the same entry.
  const network = ip.version === 4 ? ipaddr.IPv4.networkAddressFromCIDR(`${ip.address}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${ip.address}/${prefix}`);
  return `${network.toString()}/${prefix}`;
}

/** Whether an address lies in a CIDR range (both as written anywhere); false for anything unparsable. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const canonical = parseCidr(cidr);
  const address = parseIp(ip);
  if (!canonical || !address) return false;
  const [range, prefix] = ipaddr.parseCIDR(canonical);
  const addr = ipaddr.parse(address.address);
  return addr.kind() === range.kind() && addr.match(range, prefix);
}
