import { Resolver } from 'node:dns/promises';

export interface MailExchangerOptions {
  /** DNS servers (`host` or `host:port`); none: the system's resolvers. */
  servers?: string[];
  timeoutMs?: number;
  /** How long an answer is kept per domain. */
  ttlMs?: number;
  now?: () => number;
}

const MAX_CACHED = 10_000;

/**
 * Whether a domain can receive mail: an MX record, or (RFC 5321 §5.1) an address record standing in for
 * one. `false` only on a definite "no such domain / no records"; `null` when DNS did not answer in time
 * or failed, so a slow resolver never makes an address look invalid.
 */
export class MailExchanger {
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, { value: boolean | null; until: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: MailExchangerOptions = {}) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 500, tries: 1 });
    if (options.servers?.length) this.resolver.setServers(options.servers);
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  async has(domain: string): Promise<boolean | null> {
    const cached = this.cache.get(domain);
    if (cached && cached.until > this.now()) return cached.value;
    const value = await this.lookup(domain);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    // Failures are not cached for long: the next evaluation asks again.
    this.cache.set(domain, { value, until: this.now() + (value === null ? 60_000 : this.ttlMs) });
    return value;
  }

  private async lookup(domain: string): Promise<boolean | null> {
    const definiteNo = (error: unknown) => ['ENOTFOUND', 'ENODATA'].includes((error as { code?: string }).code ?? '');
    try {
      const mx = await this.resolver.resolveMx(domain);
      if (mx.some((r) => r.exchange !== '' && r.exchange !== '.')) return true;
    } catch (error) {
      if (!definiteNo(error)) return null;
    }
    try {
      return (await this.resolver.resolve4(domain)).length > 0;
    } catch (error) {
      return definiteNo(error) ? false : null;
    }
  }
}
