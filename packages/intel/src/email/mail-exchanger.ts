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

type Cached<T> = { value: T | null; until: number };

/**
 * Whether a domain can receive mail: an MX record, or (RFC 5321 §5.1) an address record standing in for
 * one. `false` only on a definite "no such domain / no records"; `null` when DNS did not answer in time
 * or failed, so a slow resolver never makes an address look invalid.
 */
export class MailExchanger {
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, Cached<boolean>>();
  private readonly hosts = new Map<string, Cached<string[]>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: MailExchangerOptions = {}) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 500, tries: 1 });
    if (options.servers?.length) this.resolver.setServers(options.servers);
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  async has(domain: string): Promise<boolean | null> {
    return this.remember(this.cache, domain, () => this.lookup(domain));
  }

  /**
   * The hosts that take mail for a domain, most preferred first: its MX exchanges, or the domain itself
   * when only an address record stands in for one (RFC 5321 §5.1). `[]` when the domain takes no mail
   * (no such domain, no records, or only a "null MX", RFC 7505); `null` when DNS failed or was too slow.
   * Bound to its instance, so it can be handed on as is (`exchangersOf: mx.exchangers`).
   */
  readonly exchangers = (domain: string): Promise<string[] | null> => this.remember(this.hosts, domain, () => this.lookupHosts(domain));

  private async remember<T>(cache: Map<string, Cached<T>>, domain: string, lookup: () => Promise<T | null>): Promise<T | null> {
    const cached = cache.get(domain);
    if (cached && cached.until > this.now()) return cached.value;
    const value = await lookup();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    // Failures are not cached for long: the next evaluation asks again.
    cache.set(domain, { value, until: this.now() + (value === null ? 60_000 : this.ttlMs) });
    return value;
  }

  private async lookup(domain: string): Promise<boolean | null> {
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

  private async lookupHosts(domain: string): Promise<string[] | null> {
    try {
      const mx = await this.resolver.resolveMx(domain);
      // A "null MX" (exchange "."; RFC 7505) leaves nothing: the domain says it takes no mail.
      if (mx.length > 0) {
        return mx
          .filter((r) => r.exchange !== '' && r.exchange !== '.')
          .sort((a, b) => a.priority - b.priority)
          .map((r) => r.exchange);
      }
    } catch (error) {
      if (!definiteNo(error)) return null;
    }
    try {
      return (await this.resolver.resolve4(domain)).length > 0 ? [domain] : [];
    } catch (error) {
      return definiteNo(error) ? [] : null;
    }
  }
}

/** "No such domain" and "no records of this type" are answers; anything else (timeout, SERVFAIL) is not. */
function definiteNo(error: unknown): boolean {
  return ['ENOTFOUND', 'ENODATA'].includes((error as { code?: string }).code ?? '');
}
