import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressAllowed } from './address-policy.js';

/** Every address a host name resolves to (the system resolver: /etc/hosts, then DNS). Injectable for tests. */
export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** A destination the caller may connect to: this address, and no other it might resolve to later. */
export type Resolution = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: 'not_allowed' | 'unresolvable'; addresses: string[] };

/**
 * Resolves a project's destination host and judges every address it has. One forbidden address refuses
 * the host: otherwise a name with one public and one private address would reach the private one
 * whenever the connection happens to pick it. The caller connects to the address returned, never to the
 * name again, so a DNS answer that changes between this check and the connection (rebinding) changes nothing.
 */
export async function resolveDestination(host: string, options: { allowPrivate: boolean; lookup?: Lookup }): Promise<Resolution> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  let found: { address: string; family: number }[];
  if (isIP(bare)) found = [{ address: bare, family: isIP(bare) }];
  else {
    try {
      found = await (options.lookup ?? systemLookup)(bare);
    } catch {
      found = [];
    }
  }
  const addresses = found.map((a) => a.address);
  if (found.length === 0) return { ok: false, reason: 'unresolvable', addresses };
  if (!addresses.every((address) => addressAllowed(address, options))) return { ok: false, reason: 'not_allowed', addresses };
  const first = found[0]!;
  return { ok: true, address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}
