import ipaddr from 'ipaddr.js';

// Whether Vigil may open a connection to an address on a project's behalf (its SMTP server, its
// webhook endpoint). A project's settings are written by whoever holds its secret key, so without this
// they could make the server talk to its own loopback services, the private network it sits in, or a
// cloud metadata endpoint, and read the answers back (SSRF).

/** Reachable only when the operator says projects live on a private network (VIGIL_ALLOW_PRIVATE_DESTINATIONS). */
const privateRanges = new Set(['private', 'loopback', 'linkLocal', 'carrierGradeNat', 'uniqueLocal', 'deprecatedSiteLocal']);

/**
 * Cloud metadata endpoints hand out the machine's credentials: never a destination, even on a private
 * network (AWS/GCP/Azure/OpenStack 169.254.169.254, AWS IPv6 fd00:ec2::254, ECS task metadata
 * 169.254.170.2, Alibaba 100.100.100.200).
 */
const metadataAddresses = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

export type AddressVerdict = 'public' | 'private' | 'forbidden';

/**
 * What an address is as a destination. `public`: global unicast. `private`: loopback, RFC 1918,
 * link-local, CGNAT, unique-local. `forbidden`: everything else (unspecified, broadcast, multicast,
 * reserved and documentation ranges, translation prefixes that embed another address, metadata),
 * and anything that is not an address at all.
 */
export function classifyAddress(text: string): AddressVerdict {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Only canonical spellings: ipaddr.js would also read inet_aton forms ("2130706433", "0x7f.1"), but
  // an address that reaches this function comes from the resolver or a URL parser, which spell it out.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return 'forbidden';
  let address: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(bare);
  // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel: judge the IPv4 address it carries.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  if (metadataAddresses.has(address.toString())) return 'forbidden';
  const range = address.range();
  if (range === 'unicast') return address instanceof ipaddr.IPv6 && isIpv4Compatible(address) ? 'forbidden' : 'public';
  return privateRanges.has(range) ? 'private' : 'forbidden';
}

/** Whether a project's destination may be this address; `allowPrivate` is VIGIL_ALLOW_PRIVATE_DESTINATIONS. */
export function addressAllowed(text: string, options: { allowPrivate: boolean }): boolean {
  const verdict = classifyAddress(text);
  return verdict === 'public' || (verdict === 'private' && options.allowPrivate);
}

// ::a.b.c.d (deprecated IPv4-compatible, ::/96, less :: and ::1): ipaddr.js calls it unicast, but it only ever names an
// IPv4 address in disguise, so it is refused rather than judged.
function isIpv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((part) => part === 0);
}
