/**
 * Where `vigil data update` fetches each list: one URL per file of the data layout. ipcat is archived
 * upstream and the disposable-domain allowlist was removed upstream: both stay as bundled.
 */
const raw = (repo: string, path: string) => `https://raw.githubusercontent.com/${repo}/${path}`;
const ipranges = (provider: string, files: string[]) =>
  Object.fromEntries(files.map((f) => [`ip/ipranges/${provider}/${f}`, raw('lord-alfred/ipranges', `main/${provider}/${f}`)]));

export const upstreams: Record<string, Record<string, string>> = {
  tor_exits: { 'ip/tor/tor_exit_nodes_2024-02-27.lst': raw('SecOps-Institute/Tor-IP-Addresses', 'master/tor-exit-nodes.lst') },
  x4bnet_vpn: {
    'ip/x4bnet/output_vpn_ipv4.txt': raw('X4BNet/lists_vpn', 'main/output/vpn/ipv4.txt'),
    'ip/x4bnet/output_vpn_ipv6.txt': raw('X4BNet/lists_vpn', 'main/output/vpn/ipv6.txt'),
  },
  x4bnet_datacenter: {
    'ip/x4bnet/output_datacenter_ipv4.txt': raw('X4BNet/lists_vpn', 'main/output/datacenter/ipv4.txt'),
    'ip/x4bnet/output_datacenter_ipv6.txt': raw('X4BNet/lists_vpn', 'main/output/datacenter/ipv6.txt'),
  },
  disposable_email: { 'email/disposable_blocklist.conf': raw('disposable-email-domains/disposable-email-domains', 'main/disposable_email_blocklist.conf') },
  webmail: { 'email/freemail_free.txt': raw('willwhite/freemail', 'master/data/free.txt') },
};

/** The lord-alfred/ipranges lists, by the list names of ip/lists.ts. */
export function iprangesUpstreams(lists: readonly { name: string; files: string[] }[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const list of lists) {
    const first = list.files[0] ?? '';
    const match = /^ip\/ipranges\/([^/]+)\//.exec(first);
    if (match) out[list.name] = ipranges(match[1]!, list.files.map((f) => f.split('/').pop()!));
  }
  return out;
}
