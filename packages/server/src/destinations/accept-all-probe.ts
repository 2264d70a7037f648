import { lookup } from 'node:dns/promises';
import { AcceptAllProbe, type MailExchanger } from '@vigil/intel';
import type { Config } from '../config/config.js';
import { addressAllowed } from './address-policy.js';

/**
 * The accept-all probe as the server runs it (VIGIL_SMTP_PROBE), or null when off. The domain comes from
 * an email address anyone can type, and its MX record from whoever owns the domain: a mail exchanger
 * that resolves to loopback, the private network or a metadata address is never dialled, exactly as a
 * project's SMTP or webhook destination (address-policy.ts).
 */
export function acceptAllProbeFor(config: Config, mx: MailExchanger | null, options: { timeoutMs?: number } = {}): AcceptAllProbe | null {
  if (config.smtpProbePort === null || mx === null) return null;
  const allowPrivate = config.allowPrivateDestinations;
  return new AcceptAllProbe({
    port: config.smtpProbePort,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    exchangersOf: async (domain) => {
      const hosts = await mx.exchangers(domain);
      if (hosts === null) return null;
      const addresses: string[] = [];
      for (const host of hosts.slice(0, 2)) {
        const resolved = await lookup(host, { all: true }).catch(() => []);
        addresses.push(...resolved.map((r) => r.address).filter((a) => addressAllowed(a, { allowPrivate })));
      }
      return addresses;
    },
  });
}
