import type { IpType } from '@vigil/core';

/** One IP list of the reference data: what it says an address is, where it comes from, how old it is. */
export interface IpListSource {
  name: string;
  /** What a list can say; `isp`, `mobile`, `education` and `business` come from the AS only (asn-type.ts). */
  type: Exclude<IpType, 'residential' | 'unknown' | 'isp' | 'mobile' | 'education' | 'business'>;
  /** Files under the data directory. */
  files: string[];
  format: 'cidr' | 'ipcat_csv';
  /** The upstream snapshot's date (YYYY-MM-DD): the list's age is counted from it. */
  snapshot: string;
  upstream: string;
}

// Providers that publish IPv4 ranges only.
const v4Only = new Set(['bing', 'duckduckbot', 'openai', 'oracle', 'perplexity', 'protonvpn']);

const ipranges = (provider: string, type: IpListSource['type']): IpListSource => ({
  name: provider === 'apple-proxy' ? 'icloud_private_relay' : provider,
  type,
  files: [`ip/ipranges/${provider}/ipv4_merged.txt`, ...(v4Only.has(provider) ? [] : [`ip/ipranges/${provider}/ipv6_merged.txt`])],
  format: 'cidr',
  snapshot: '2026-08-22',
  upstream: 'https://github.com/lord-alfred/ipranges',
});

/** Every IP list Vigil reads, in the bundled snapshot and after `vigil data update`. */
export const ipListSources: readonly IpListSource[] = [
  {
    name: 'tor_exits',
    type: 'tor',
    files: ['ip/tor/tor_exit_nodes_2024-02-27.lst'],
    format: 'cidr',
    snapshot: '2024-02-27',
    upstream: 'https://github.com/SecOps-Institute/Tor-IP-Addresses',
  },
  ipranges('apple-proxy', 'relay'),
  {
    name: 'x4bnet_vpn',
    type: 'vpn',
    files: ['ip/x4bnet/output_vpn_ipv4.txt', 'ip/x4bnet/output_vpn_ipv6.txt'],
    format: 'cidr',
    snapshot: '2026-08-22',
    upstream: 'https://github.com/X4BNet/lists_vpn',
  },
  ipranges('protonvpn', 'vpn'),
  ...['googlebot', 'bing', 'duckduckbot', 'openai', 'perplexity'].map((p) => ipranges(p, 'crawler')),
  ...['amazon', 'google', 'microsoft', 'oracle', 'digitalocean', 'linode', 'vultr', 'cloudflare', 'github', 'facebook', 'twitter', 'telegram'].map((p) => ipranges(p, 'hosting')),
  {
    name: 'x4bnet_datacenter',
    type: 'hosting',
    files: ['ip/x4bnet/output_datacenter_ipv4.txt', 'ip/x4bnet/output_datacenter_ipv6.txt'],
    format: 'cidr',
    snapshot: '2026-08-22',
    upstream: 'https://github.com/X4BNet/lists_vpn',
  },
  {
    name: 'ipcat_datacenters',
    type: 'hosting',
    files: ['ip/ipcat_datacenters.csv'],
    format: 'ipcat_csv',
    snapshot: '2023-02-02',
    upstream: 'https://github.com/client9/ipcat',
  },
];
