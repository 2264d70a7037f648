/**
 * Failed dashboard logins, counted per account and per client address over a sliding window: past a
 * limit, that account (or address) waits until its oldest failure leaves the window. Guessing a password
 * then costs days, not minutes, while a legitimate operator who mistypes is never locked out for long.
 * In memory, per node: an attacker spreading tries over several nodes gets each node's allowance.
 * Hand-written rather than a rate-limit plugin: those count requests per key and answer JSON, where this
 * counts failures under two keys at once and the login page answers a page.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly limits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000, maxKeys: 100_000 },
  ) {}

  /** Milliseconds until this account may try again from this address; 0 when it may now. */
  waitMs(email: string, address: string): number {
    const now = this.now();
    const wait = (key: string, limit: number) => {
      const times = this.#recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.limits.windowMs - now : 0;
    };
    return Math.max(wait(`account:${email.toLowerCase()}`, this.limits.perAccount), wait(`address:${address}`, this.limits.perAddress));
  }

  failed(email: string, address: string): void {
    const now = this.now();
    for (const key of [`account:${email.toLowerCase()}`, `address:${address}`]) {
      // Bounded: a flood of made-up emails cannot grow the map without end (the oldest keys go first).
      if (!this.#failures.has(key) && this.#failures.size >= this.limits.maxKeys) this.#failures.delete(this.#failures.keys().next().value!);
      this.#failures.set(key, [...this.#recent(key, now), now]);
    }
  }

  /** A successful login clears the account's failures (not the address's: one good password does not vouch for the rest). */
  succeeded(email: string): void {
    this.#failures.delete(`account:${email.toLowerCase()}`);
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length === 0) this.#failures.delete(key);
    return times;
  }
}
